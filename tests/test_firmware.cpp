// Issue 16, firmware users: what `compile` gives a firmware engineer, checked by building and
// running it (external constant pools, -Wcast-align on Cortex-M).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arenaplan/byte_size.h"
#include "arenaplan/io.h"
#include "arenaplan/model_planning.h"
#include "cli_runner.h"
#include "emit/c_names.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }
int sh(const std::string& command) { return std::system(command.c_str()); }

const char* kHello = "tflm_hello_world_int8";

std::string compile_model(const std::string& dir, const std::string& model, const std::string& options) {
  const test::CommandResult r =
      test::run_cli("compile " + test::model_path(model) + " -o " + dir + " --name m -q " + options);
  EXPECT_EQ(r.status, 0) << r.out;
  return r.out;
}

// A program writing input bytes 0..n-1, running the model, printing the output bytes in hex.
std::string hello_main(bool external_flash) {
  std::string c = "#include <stdio.h>\n#include \"m.h\"\n";
  if (external_flash) c += "#include \"m_flash_data.h\"\nstatic const uint8_t flash[] = M_FLASH_CONSTANT_POOL_DATA;\n";
  c += "int main(void) {\n  m_inputs in = m_map_inputs();\n  m_outputs out = m_map_outputs();\n";
  c += "  unsigned i;\n  for (i = 0; i < M_INPUT_SERVING_DEFAULT_DENSE_INPUT_0_SIZE; ++i) ((uint8_t*)in."
       "serving_default_dense_input_0)[i] = (uint8_t)(i + 100);\n";
  if (external_flash)
    c += "  m_constant_pools pools;\n  pools.flash = flash;\n  if (m_run(&pools) != 0) return 1;\n";
  else
    c += "  if (m_run() != 0) return 1;\n";
  c += "  for (i = 0; i < M_OUTPUT_STATEFULPARTITIONEDCALL_0_SIZE; ++i) printf(\"%02x\", "
       "((uint8_t*)out.statefulpartitionedcall_0)[i]);\n  printf(\"\\n\");\n  return 0;\n}\n";
  return c;
}

std::string build_and_run(const std::string& dir, const std::string& main) {
  std::ofstream(dir + "/main.c") << main;
  const std::string cc = "gcc -std=c99 -Wall -Wextra -Werror -Wcast-align=strict -O1 -I " + dir;
  if (sh(cc + " " + dir + "/*.c -o " + dir + "/prog -lm") != 0) return "build failed";
  if (sh(dir + "/prog > " + dir + "/out.txt") != 0) return "run failed";
  return test::slurp(dir + "/out.txt");
}

// An external constant pool (--pool flash:kind=constant,external) compiles (it was an internal
// error) and the application's copy of the data header's bytes gives the internal pool's outputs.
TEST(Firmware, ExternalConstantPoolCompilesAndRuns) {
  if (!have("gcc")) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "external_constants");
  compile_model(dir + "/internal", kHello, "");
  compile_model(dir + "/external", kHello, "--pool flash:kind=constant,external");
  const std::string header = test::slurp(dir + "/external/m_flash_data.h");
  EXPECT_NE(header.find("#define M_FLASH_CONSTANT_POOL_DATA {"), std::string::npos) << header;
  const std::string internal = build_and_run(dir + "/internal", hello_main(false));
  EXPECT_EQ(build_and_run(dir + "/external", hello_main(true)), internal);
  EXPECT_EQ(internal.size(), 3u) << internal;  // one output byte in hex and a newline
}

// --constant-data binary: the external pool's bytes as m_flash.bin (no data header), which the
// application loads; same outputs as the internal pool.
TEST(Firmware, ExternalConstantPoolAsBinaryFile) {
  if (!have("gcc")) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "constants_bin");
  compile_model(dir + "/internal", kHello, "");
  compile_model(dir + "/binary", kHello, "--pool flash:kind=constant,external --constant-data binary");
  EXPECT_FALSE(std::ifstream(dir + "/binary/m_flash_data.h").good());
  const std::string bin = test::slurp(dir + "/binary/m_flash.bin");
  const std::string header = test::slurp(dir + "/binary/m.h");
  EXPECT_NE(header.find(fmt::format("#define M_FLASH_CONSTANT_POOL_SIZE {}", bin.size())), std::string::npos)
      << bin.size() << header;
  std::string main = hello_main(true);
  const std::string data_line =
      "#include \"m_flash_data.h\"\nstatic const uint8_t flash[] = M_FLASH_CONSTANT_POOL_DATA;\n";
  ASSERT_NE(main.find(data_line), std::string::npos);
  main.replace(main.find(data_line), data_line.size(),
               "static uint8_t flash[M_FLASH_CONSTANT_POOL_SIZE] __attribute__((aligned(16)));\n");
  const std::string load = "  m_constant_pools pools;\n";
  main.replace(main.find(load), load.size(),
               load + "  { FILE* f = fopen(\"" + dir +
                   "/binary/m_flash.bin\", \"rb\"); if (f == NULL || fread(flash, 1, "
                   "sizeof flash, f) != sizeof flash) return 2; fclose(f); }\n");
  EXPECT_EQ(build_and_run(dir + "/binary", main), build_and_run(dir + "/internal", hello_main(false)));
}

// Every generated file builds for a Cortex-M4 with -Wcast-align=strict -Werror (pool bytes reach
// the kernels as typed pointers through void*: the plan aligns them).
TEST(Firmware, CortexM4BuildHasNoCastAlignWarnings) {
  if (!have("arm-none-eabi-gcc")) GTEST_SKIP() << "arm-none-eabi-gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "cast_align");
  compile_model(dir, "mlperf_tiny_kws_dscnn_float32_hybrid", "--pool flash:kind=constant,external");
  EXPECT_EQ(sh("cd " + dir +
               " && for f in *.c; do arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -std=c99 -Wall -Wextra "
               "-Wcast-align=strict -Werror -O1 -c $f -o /dev/null || exit 1; done"),
            0);
}

// The plan JSON of a model lists every non-constant tensor: VWW's tensor 86 (a RESHAPE output on
// its input's bytes) says which buffer it is an alias of, at that buffer's pool and offset.
TEST(Firmware, PlanJsonListsEveryTensorWithAliases) {
  const test::CommandResult r =
      test::run_cli("plan " + test::model_path("mlperf_tiny_vww_mobilenetv1_int8") + " --format json --no-timing");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto root = nlohmann::json::parse(r.out);
  const Graph graph = test::model("mlperf_tiny_vww_mobilenetv1_int8");
  std::map<std::int64_t, nlohmann::json> by_tensor;
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& b : root["buffers"]) {
    if (b.contains("tensor")) by_tensor[b["tensor"].get<std::int64_t>()] = b;
    if (!b.contains("alias_of")) by_name[b["name"].get<std::string>()] = b;
  }
  for (std::size_t t = 0; t < graph.tensors.size(); ++t)
    if (!graph.tensors[t].is_constant) { EXPECT_TRUE(by_tensor.count(static_cast<std::int64_t>(t))) << "tensor " << t; }
  ASSERT_TRUE(by_tensor.count(86));
  const auto& alias = by_tensor[86];
  ASSERT_TRUE(alias.contains("alias_of")) << alias;
  const auto& target = by_name.at(alias["alias_of"].get<std::string>());
  EXPECT_EQ(alias["pool"], target["pool"]);
  EXPECT_EQ(alias["offset"], target["offset"]);
}

// Readers of plan files accept aliases; the checker's reader verifies they sit on their buffer.
TEST(Firmware, PlanReadersAcceptAliases) {
  const Graph graph = test::model("mlperf_tiny_vww_mobilenetv1_int8");
  const ModelPlan planned = plan_model(graph, LoweringOptions{}, SolveOptions{});
  const auto aliases = tensor_aliases(graph, planned.lowered);
  ASSERT_EQ(aliases.size(), 1u);
  std::ostringstream json;
  write_plan_json(planned.lowered.problem, planned.plan, json, false, aliases);
  std::optional<std::string> mismatch;
  const Plan back = parse_plan_json(json.str(), "plan.json", planned.lowered.problem, mismatch);
  EXPECT_FALSE(mismatch) << *mismatch;
  EXPECT_EQ(back.placements.size(), planned.plan.placements.size());
  // The alias entry repeats its buffer's placement: a plan whose alias sits elsewhere is caught.
  auto text = json.str();
  const auto at = text.rfind("\"offset\": ");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + 10, "1");
  parse_plan_json(text, "plan.json", planned.lowered.problem, mismatch);
  ASSERT_TRUE(mismatch);
  EXPECT_NE(mismatch->find("alias"), std::string::npos) << *mismatch;
  const std::string dir = test::fresh_dir("firmware", "alias_file");
  std::ofstream(dir + "/plan.json") << json.str();
  EXPECT_EQ(read_plan_file(dir + "/plan.json").problem.buffers.size(), planned.lowered.problem.buffers.size());
}

TEST(Firmware, ByteSizesAsFirmwareEngineersWriteThem) {
  for (const char* text : {"65536", "64K", "64k", "64KB", "64kb", "64KiB", "0x10000", "0X10000", "65536B"})
    EXPECT_EQ(parse_byte_size(text), 65536) << text;
  EXPECT_EQ(parse_byte_size("2MiB"), 2 << 20);
  EXPECT_EQ(parse_byte_size("1GB"), Bytes{1} << 30);
  for (const char* text : {"", "K", "0x", "64KX", "64 K", "1.5K", "-1", "0x10K", "64Ki", "0x-1"})
    EXPECT_FALSE(parse_byte_size(text)) << text;
  // The one parser behind --pool size=, --capacity and pools files.
  const test::CommandResult r = test::run_cli("plan " + test::model_path(kHello) + " --pool sram:size=0x10000");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("65536"), std::string::npos) << r.out;
}

// One name for one thing: plan takes compile's --io-outside-pool; the old name still works, hidden.
TEST(Firmware, IoOutsidePoolIsOneFlag) {
  const std::string model = test::model_path(kHello);
  const test::CommandResult now = test::run_cli("plan " + model + " --io-outside-pool --format json --no-timing");
  const test::CommandResult old = test::run_cli("plan " + model + " --io-outside-arena --format json --no-timing");
  const test::CommandResult inside = test::run_cli("plan " + model + " --format json --no-timing");
  ASSERT_EQ(now.status, 0) << now.out;
  EXPECT_EQ(now.out, old.out);
  EXPECT_NE(now.out, inside.out);  // the inputs and outputs are out of the plan
  const test::CommandResult help = test::run_cli("plan --help");
  EXPECT_NE(help.out.find("--io-outside-pool"), std::string::npos);
  EXPECT_EQ(help.out.find("--io-outside-arena"), std::string::npos);
  // Why the default kernel profiles differ, in both commands' help.
  EXPECT_NE(help.out.find("compile and run default to"), std::string::npos) << help.out;
  EXPECT_NE(test::run_cli("compile --help").out.find("unlike plan's reference"), std::string::npos);
}

// solve -o FILE.csv writes MiniMalloc's CSV: the input's columns plus the offset of the JSON plan.
TEST(Firmware, SolveWritesMiniMallocCsv) {
  const std::string dir = test::fresh_dir("firmware", "solve_csv");
  const std::string input = std::string(ARENAPLAN_TEST_DATA) + "/exact/minimalloc_input.12.csv";
  const test::CommandResult r = test::run_cli("solve " + input + " --no-timing -o " + dir + "/plan.csv --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto plan = nlohmann::json::parse(r.out);
  std::istringstream csv(test::slurp(dir + "/plan.csv"));
  std::istringstream in(test::slurp(input));
  std::string line, input_line;
  std::getline(csv, line);
  std::getline(in, input_line);
  EXPECT_EQ(line, input_line + ",offset");
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    ASSERT_TRUE(std::getline(in, input_line));
    const auto& b = plan["buffers"][rows++];
    EXPECT_EQ(line, input_line + "," + std::to_string(b["offset"].get<std::int64_t>()));
  }
  EXPECT_EQ(rows, plan["buffers"].size());
  ASSERT_EQ(test::run_cli("solve " + input + " --no-timing -o " + dir + "/plan.json").status, 0);
  EXPECT_EQ(nlohmann::json::parse(test::slurp(dir + "/plan.json"))["buffers"], plan["buffers"]);
}

// A model file in a format the importers do not read says which formats they read.
TEST(Firmware, OtherModelFormatsNameTheFormatsRead) {
  const std::string dir = test::fresh_dir("firmware", "formats");
  std::ofstream(dir + "/m.onnx") << std::string("\x08\x07\x12\x04test", 8);
  const test::CommandResult r = test::run_cli("plan " + dir + "/m.onnx");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find(dir + "/m.onnx: "), std::string::npos) << r.out;  // the ONNX importer's one line
  std::ofstream(dir + "/notes.txt") << "hello, this is not a model";
  const test::CommandResult text = test::run_cli("plan " + dir + "/notes.txt");
  EXPECT_EQ(text.status, 2);
  EXPECT_NE(text.out.find("arenaplan reads TensorFlow Lite flatbuffers (.tflite) and ONNX models (.onnx)"),
            std::string::npos)
      << text.out;
}

// The header describes every input and output: element typedef, rank, dimensions, elements,
// bytes, and the model's own scale and zero point (exactly: the float round-trips).
TEST(Firmware, HeaderDescribesInputsAndOutputs) {
  const std::string dir = test::fresh_dir("firmware", "typed_io");
  compile_model(dir, kHello, "");
  const std::string h = test::slurp(dir + "/m.h");
  const Graph graph = test::model(kHello);
  const Tensor& in = graph.tensors[static_cast<std::size_t>(graph.inputs.at(0))];
  const std::string m = "M_INPUT_SERVING_DEFAULT_DENSE_INPUT_0_";
  EXPECT_NE(h.find("typedef int8_t m_input_serving_default_dense_input_0_t;"), std::string::npos) << h;
  EXPECT_NE(h.find("typedef int8_t m_output_statefulpartitionedcall_0_t;"), std::string::npos);
  EXPECT_NE(h.find("#define " + m + "RANK " + std::to_string(in.shape.size()) + "\n"), std::string::npos);
  EXPECT_NE(h.find("#define " + m + "DIM_1 " + std::to_string(in.shape.at(1)) + "\n"), std::string::npos);
  EXPECT_NE(h.find("#define " + m + "ELEMENTS 1\n"), std::string::npos);
  EXPECT_NE(h.find("#define " + m + "QUANTIZED 1\n"), std::string::npos);
  const auto at = h.find("#define " + m + "SCALE ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(std::strtof(h.c_str() + at + m.size() + 14, nullptr), in.quantization.scale.at(0));
  EXPECT_NE(h.find("#define " + m + "ZERO_POINT (" + std::to_string(in.quantization.zero_point.at(0)) + ")\n"),
            std::string::npos);
  EXPECT_NE(h.find("#define M_OK 0\n"), std::string::npos);
  EXPECT_NE(h.find("-lm"), std::string::npos);  // the link needs libm: said where the user reads
}

// Per-channel quantization gives the axis and one scale and zero point per channel.
TEST(Firmware, HeaderGivesPerChannelQuantization) {
  Graph graph;
  Tensor t;
  t.name = "x";
  t.type = DataType::int16;
  t.shape = {1, 3};
  t.bytes = 6;
  t.quantization = {{0.5f, 0.25f, 0.125f}, {0, 1, -2}, 1};
  graph.tensors.push_back(t);
  c_out::Layout l;
  l.prefix = "m";
  l.macro = "M";
  l.inputs.push_back({"x", "X", 0, 0});
  const std::string h = c_out::io_descriptions(graph, l);
  EXPECT_NE(h.find("typedef int16_t m_input_x_t;"), std::string::npos) << h;
  EXPECT_NE(h.find("#define M_INPUT_X_DIMS {1, 3}\n"), std::string::npos) << h;
  EXPECT_NE(h.find("#define M_INPUT_X_QUANT_AXIS 1\n#define M_INPUT_X_QUANT_CHANNELS 3\n"), std::string::npos) << h;
  EXPECT_NE(h.find("#define M_INPUT_X_SCALES {0.5f, 0.25f, 0.125f}\n"), std::string::npos) << h;
  EXPECT_NE(h.find("#define M_INPUT_X_ZERO_POINTS {0, 1, -2}\n"), std::string::npos) << h;
  EXPECT_EQ(h.find("M_INPUT_X_SCALE "), std::string::npos);
}

// run returns distinct error codes for the pointers it is given: NULL, a misaligned pool, or OK.
TEST(Firmware, RunReturnsDistinctErrorCodes) {
  if (!have("gcc")) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "run_errors");
  compile_model(dir, kHello, "--pool sram:external --io-outside-pool");
  std::ofstream(dir + "/main.c")
      << "#include <stdio.h>\n#include \"m.h\"\n"
      << "static uint8_t pool[M_SRAM_WORKSPACE_POOL_SIZE + 64] __attribute__((aligned(64)));\n"
      << "static int8_t x, y;\n"
      << "int main(void) {\n  m_inputs in; m_outputs out; m_workspace_pools pools;\n"
      << "  in.serving_default_dense_input_0 = &x; out.statefulpartitionedcall_0 = &y;\n"
      << "  pools.sram = 0;\n  printf(\"%d \", (int)m_run(&in, &out, &pools));\n"
      << "  printf(\"%d \", (int)m_run(&in, &out, 0));\n"
      << "  pools.sram = pool + 1;\n  printf(\"%d \", (int)m_run(&in, &out, &pools));\n"
      << "  pools.sram = pool;\n  out.statefulpartitionedcall_0 = 0;\n"
      << "  printf(\"%d \", (int)m_run(&in, &out, &pools));\n"
      << "  out.statefulpartitionedcall_0 = &y;\n  printf(\"%d\\n\", (int)m_run(&in, &out, &pools));\n"
      << "  return 0;\n}\n";
  ASSERT_EQ(sh("gcc -std=c99 -Wall -Wextra -Werror -O1 -I " + dir + " " + dir + "/*.c -o " + dir + "/prog -lm"), 0);
  ASSERT_EQ(sh(dir + "/prog > " + dir + "/out.txt"), 0);
  EXPECT_EQ(test::slurp(dir + "/out.txt"), "1 1 2 1 0\n");
}

// The summary block comes first: RAM per pool with limit and headroom, flash, the spill cost.
TEST(Firmware, SummaryBlockForFirmwareEngineers) {
  const std::string model = test::model_path(kHello);
  test::CommandResult r = test::run_cli("plan " + model + " --pool dtcm:size=64K --pool sram --no-timing");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("summary\n  RAM    pool", 0), 0u) << r.out;
  const auto json = nlohmann::json::parse(
      test::run_cli("plan " + model + " --pool dtcm:size=64K --pool sram --no-timing --format json").out);
  const std::int64_t used = json["pools"][0]["size_bytes"].get<std::int64_t>();
  ASSERT_LT(used, 1000);  // printed without a thousands separator
  const std::int64_t headroom = 65536 - used;
  const std::string grouped = fmt::format("{},{:03}", headroom / 1000, headroom % 1000);
  EXPECT_NE(r.out.find(fmt::format("{:<12} {:>10} {:>10} {:>10} (", "dtcm", used, "65,536", grouped)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("flash  constants"), std::string::npos);
  EXPECT_NE(r.out.find("TFLite Micro's reference kernels: not estimated"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("spill  none: every buffer read or written is in dtcm"), std::string::npos) << r.out;
  r = test::run_cli("compile " + model + " -o " + test::fresh_dir("firmware", "summary") + " --name m");
  EXPECT_NE(r.out.find("bytes estimated (Cortex-M4 -Os: kernel library"), std::string::npos) << r.out;
  // A fast pool too small for everything: the spill is priced in bytes accessed per run.
  r = test::run_cli("plan " + test::model_path("mlperf_tiny_ic_resnet8_int8") +
                    " --pool dtcm:size=16K --pool sram --time-limit 0.2");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("fall outside dtcm, the fastest pool"), std::string::npos) << r.out;
}

// The full buffer table of a model over 30 buffers only with --verbose.
TEST(Firmware, BufferTableOnlyWithVerboseForLargeModels) {
  const std::string plan =
      "plan " + test::model_path("mlperf_tiny_kws_dscnn_int8") + " --pool dtcm:size=8K --pool sram --time-limit 0.2";
  const test::CommandResult quiet = test::run_cli(plan);
  const test::CommandResult verbose = test::run_cli(plan + " --verbose");
  ASSERT_EQ(quiet.status, 0) << quiet.out;
  EXPECT_EQ(quiet.out.find("buffers (access:"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find(" (--verbose lists each"), std::string::npos) << quiet.out;
  EXPECT_NE(verbose.out.find("buffers (access:"), std::string::npos) << verbose.out;
  EXPECT_NE(verbose.out.find("dtcm full of denser buffers"), std::string::npos);
  // A small model keeps its table.
  EXPECT_NE(test::run_cli("plan " + test::model_path(kHello) + " --pool sram").out.find("buffers (access:"),
            std::string::npos);
}

// With --pool, plan still draws --map and --format ascii (both were reported ignored).
TEST(Firmware, PoolPlansDrawTheirMaps) {
  const std::string dir = test::fresh_dir("firmware", "pool_maps");
  const test::CommandResult r =
      test::run_cli("plan " + test::model_path(kHello) + " --pool sram:size=1K --map " + dir + "/m.svg --format ascii");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(test::slurp(dir + "/m.svg").find("<svg"), std::string::npos);
  EXPECT_NE(r.out.find("^ peak: "), std::string::npos) << r.out;  // the text map
}

// The summary's code estimate against a real Cortex-M4 -Os build of the compile output: the
// kernel library within 15 % of its text, VWW's calls and tables within 15 % of <name>_model.c.
TEST(Firmware, CodeEstimateMatchesACortexM4Build) {
  if (!have("arm-none-eabi-gcc") || !have("arm-none-eabi-size")) GTEST_SKIP() << "arm-none-eabi-gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "code_size");
  const test::CommandResult compiled =
      test::run_cli("compile " + test::model_path("mlperf_tiny_vww_mobilenetv1_int8") + " -o " + dir + "/m --name m");
  ASSERT_EQ(compiled.status, 0) << compiled.out;
  const std::string& out = compiled.out;
  auto number_after = [&](const std::string& key) {
    const auto at = out.find(key);
    EXPECT_NE(at, std::string::npos) << key << " in " << out;
    std::string digits;
    for (std::size_t k = at + key.size();
         k < out.size() && (std::isdigit(static_cast<unsigned char>(out[k])) || out[k] == ','); ++k)
      if (out[k] != ',') digits += out[k];
    return digits.empty() ? 0.0 : std::stod(digits);
  };
  const double library = number_after("kernel library "), calls = number_after("operator calls "),
               tables = number_after("parameter tables ");
  const std::string cc = "cd " + dir +
                         "/m && arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 "
                         "-mfloat-abi=hard -Os -std=c99 -ffunction-sections -fdata-sections -I . -c ";
  ASSERT_EQ(sh(cc + "arenaplan_kernels.c kernels_*.c && arm-none-eabi-size -t arenaplan_kernels.o kernels_*.o | "
                    "tail -1 | awk '{print $1}' > ../library.txt"),
            0);
  ASSERT_EQ(sh(cc + "m_model.c && arm-none-eabi-size -A m_model.o | awk '$1 ~ /^.(text|rodata)/ {t += $2} END "
                    "{print t}' > ../model.txt"),
            0);
  const double measured_library = std::stod(test::slurp(dir + "/library.txt"));
  const double measured_model = std::stod(test::slurp(dir + "/model.txt"));
  EXPECT_NEAR(library, measured_library, 0.15 * measured_library) << "update kKernelLibraryBytes";
  EXPECT_NEAR(calls + tables, measured_model, 0.15 * measured_model);
}

}  // namespace
}  // namespace arenaplan
