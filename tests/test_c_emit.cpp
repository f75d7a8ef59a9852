// The emitted C memory interface: compiles alone (-I DIR) with the host gcc and with
// arm-none-eabi-gcc, workspace in .bss, constants in read-only data holding the real weights,
// map_inputs/map_outputs (U4), two models sharing one external pool (U2), atomic output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"
#include "arenaplan/pool_assignment.h"
#include "emit/c_runtime.h"
#include "kernels/kernel_ids.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

int sh(const std::string& command) { return std::system(command.c_str()); }

std::string fresh_dir(const std::string& name) {
  const std::string dir = testing::TempDir() + "/c_emit_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

PooledModel planned(const std::string& name, std::vector<std::string> specs, bool io_in_pool = true) {
  PoolSetup setup;
  for (const auto& s : specs) setup.pools.push_back(parse_pool_spec(s, "test"));
  LoweringOptions lowering;
  lowering.io_in_arena = io_in_pool;
  SolveOptions solving;
  solving.time_limit_seconds = 0.2;
  return plan_model_in_pools(test::model(name), lowering, solving, setup);
}

std::string emit_to(const std::string& dir, const std::string& model, const PooledModel& m, const std::string& name) {
  CEmitOptions options;
  options.name = name;
  write_directory_atomically(dir, emit_c(test::model(model), m.model.lowered, m.model.plan, options));
  return dir;
}

const char* kKws = "mlperf_tiny_kws_dscnn_int8";
const std::vector<std::string> kChip = {"dtcm:size=8K", "sram:external", "itcm:kind=constant,size=16K",
                                        "flash:kind=constant"};

TEST(CEmit, DeterministicAndNamed) {
  const PooledModel m = planned(kKws, kChip);
  const Graph g = test::model(kKws);
  const auto a = emit_c(g, m.model.lowered, m.model.plan, {"kws"});
  const auto b = emit_c(g, m.model.lowered, m.model.plan, {"kws"});
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].text, b[0].text);
  EXPECT_EQ(a[1].text, b[1].text);
  const std::string& h = a[0].text;
  EXPECT_NE(h.find("#define KWS_DTCM_WORKSPACE_POOL_SIZE "), std::string::npos);
  EXPECT_NE(h.find("#define KWS_ITCM_CONSTANT_POOL_SIZE "), std::string::npos);
  EXPECT_NE(h.find("typedef struct {\n  uint8_t* sram;\n} kws_workspace_pools;"), std::string::npos);
  EXPECT_NE(h.find("kws_inputs kws_map_inputs(kws_workspace_pools* workspace_pools);"), std::string::npos);
  EXPECT_NE(h.find("int32_t kws_run(kws_workspace_pools* workspace_pools);"), std::string::npos);
  EXPECT_NE(a[1].text.find("const uint8_t kws_itcm["), std::string::npos);
  EXPECT_THROW(emit_c(g, m.model.lowered, m.model.plan, {"1bad name"}), InputError);
}

TEST(CEmit, IoOutsideThePoolIsPassedToRun) {
  const PooledModel m = planned(kKws, {"sram"}, false);
  const auto files = emit_c(test::model(kKws), m.model.lowered, m.model.plan, {"kws"});
  EXPECT_NE(files[0].text.find("int32_t kws_run(kws_inputs* inputs, kws_outputs* outputs);"), std::string::npos);
  EXPECT_EQ(files[0].text.find("map_inputs"), std::string::npos);
}

// Host gcc: the directory compiles alone; a program maps I/O into the pools and finds the
// model's real weights at the offsets the header names.
TEST(CEmit, CompilesAndRunsWithHostGcc) {
  if (!have("gcc")) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = fresh_dir("host");
  const PooledModel m = planned(kKws, kChip);
  const Graph g = test::model(kKws);
  emit_to(dir + "/kws", kKws, m, "kws");
  // The first constant buffer of the itcm pool and its first weight byte.
  const Problem& p = m.model.lowered.problem;
  const auto itcm = *p.find_pool("itcm");
  std::size_t first = 0;
  while (m.model.plan.placements[first].pool != itcm) ++first;
  const Tensor& t = g.tensors[static_cast<std::size_t>(*p.buffers[first].tensor)];
  const int byte = g.constant_data[static_cast<std::size_t>(t.constant_buffer)].at(0);
  std::ofstream(dir + "/main.c")
      << "#include \"kws.h\"\n"
      << "int32_t kws_run(kws_workspace_pools* p) { (void)p; return 0; }\n"
      << "static uint8_t sram[KWS_SRAM_WORKSPACE_POOL_SIZE];\n"
      << "int main(void) {\n"
      << "  kws_workspace_pools pools; kws_inputs in; kws_outputs out;\n"
      << "  pools.sram = sram;\n"
      << "  in = kws_map_inputs(&pools); out = kws_map_outputs(&pools);\n"
      << "  if (in.input_1 == 0 || out.identity == 0) return 1;\n"
      << "  if (kws_itcm[" << m.model.plan.placements[first].offset << "] != " << byte << ") return 2;\n"
      << "  if (KWS_WORKSPACE_SIZE != KWS_DTCM_WORKSPACE_POOL_SIZE + KWS_SRAM_WORKSPACE_POOL_SIZE) return 3;\n"
      << "  return kws_run(&pools);\n}\n";
  const std::string flags = "-std=c99 -Wall -Wextra -Werror -pedantic";
  ASSERT_EQ(sh("gcc " + flags + " -I " + dir + "/kws -c " + dir + "/kws/kws_memory.c -o " + dir + "/kws.o"), 0);
  ASSERT_EQ(sh("gcc " + flags + " -I " + dir + "/kws " + dir + "/main.c " + dir + "/kws.o -o " + dir + "/main"), 0);
  EXPECT_EQ(sh(dir + "/main"), 0);
}

// arm-none-eabi-gcc for a Cortex-M4: the workspace is in .bss, the constants in .rodata.
TEST(CEmit, CompilesWithArmNoneEabiGcc) {
  if (!have("arm-none-eabi-gcc") || !have("arm-none-eabi-size")) GTEST_SKIP() << "arm-none-eabi-gcc is not installed";
  const std::string dir = fresh_dir("arm");
  const PooledModel m = planned(kKws, {"sram", "flash:kind=constant"});
  emit_to(dir + "/kws", kKws, m, "kws");
  ASSERT_EQ(sh("arm-none-eabi-gcc -std=c99 -Wall -Wextra -Werror -mcpu=cortex-m4 -mthumb -Os -I " + dir + "/kws -c " +
               dir + "/kws/kws_memory.c -o " + dir + "/kws.o"),
            0);
  ASSERT_EQ(sh("arm-none-eabi-size -A " + dir + "/kws.o > " + dir + "/size.txt"), 0);
  const std::string size = test::slurp(dir + "/size.txt");
  const Bytes sram = m.model.plan.pool_sizes[static_cast<std::size_t>(*m.model.lowered.problem.find_pool("sram"))];
  const Bytes flash = m.model.plan.pool_sizes[static_cast<std::size_t>(*m.model.lowered.problem.find_pool("flash"))];
  EXPECT_NE(size.find(".bss              " + std::to_string(sram) + " "), std::string::npos) << size;
  EXPECT_NE(size.find(".rodata           " + std::to_string(flash) + " "), std::string::npos) << size;
}

// U2: two models share one external workspace pool; each header states its size, the
// application allocates the largest once.
TEST(CEmit, TwoModelsShareOneExternalPool) {
  if (!have("gcc")) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = fresh_dir("shared");
  const char* speech = "tflm_micro_speech_int8";
  emit_to(dir + "/kws", kKws, planned(kKws, {"sram:external"}), "kws");
  emit_to(dir + "/speech", speech, planned(speech, {"sram:external"}), "speech");
  std::ofstream(dir + "/main.c")
      << "#include \"kws.h\"\n#include \"speech.h\"\n"
      << "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
      << "static uint8_t sram[MAX(KWS_SRAM_WORKSPACE_POOL_SIZE, SPEECH_SRAM_WORKSPACE_POOL_SIZE)];\n"
      << "int main(void) {\n  kws_workspace_pools a; speech_workspace_pools b;\n  a.sram = sram; b.sram = sram;\n"
      << "  return kws_map_inputs(&a).input_1 == 0 || speech_map_inputs(&b).reshape_1 == 0 ? 1 : (int)sizeof sram > 0 "
         "? 0 : 2;\n}\n";
  const std::string flags = "-std=c99 -Wall -Wextra -Werror -I " + dir + "/kws -I " + dir + "/speech ";
  ASSERT_EQ(sh("gcc " + flags + dir + "/main.c " + dir + "/kws/kws_memory.c " + dir + "/speech/speech_memory.c -o " +
               dir + "/main"),
            0);
  EXPECT_EQ(sh(dir + "/main"), 0);
}

TEST(CEmit, OutputDirectoryIsWrittenAtomically) {
  const std::string dir = fresh_dir("atomic");
  const std::vector<EmittedFile> files = {{"a.h", "x"}, {"b.c", "y"}};
  write_directory_atomically(dir + "/out", files);
  write_directory_atomically(dir + "/out", {{"c.h", "z"}});  // replaces the previous output
  EXPECT_FALSE(fs::exists(dir + "/out/a.h"));
  EXPECT_EQ(test::slurp(dir + "/out/c.h"), "z");
  std::ofstream(dir + "/file") << "not a directory";
  EXPECT_THROW(write_directory_atomically(dir + "/file", files), InputError);
  EXPECT_THROW(write_directory_atomically(dir + "/missing/out", files), InputError);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 2u);  // out and file: no temporary left behind
}

// The operator code names its parameters (designated initialisers) and its offsets (the header's
// macros): no operand address is a bare number.
TEST(CEmit, OperatorCodeNamesFieldsAndOffsets) {
  const PooledModel m = planned(kKws, {"sram"});
  CEmitOptions options;
  options.name = "kws";
  options.operators = true;
  std::string model_c, header;
  for (const EmittedFile& f : emit_c(test::model(kKws), m.model.lowered, m.model.plan, options)) {
    if (f.name == "kws_model.c") model_c = f.text;
    if (f.name == "kws.h") header = f.text;
  }
  ASSERT_FALSE(model_c.empty());
  EXPECT_NE(model_c.find("static const ap_conv_shape op0_shape = {\n    .batches = 1,"), std::string::npos) << model_c;
  EXPECT_NE(model_c.find(".input_offset = "), std::string::npos);
  EXPECT_NE(model_c.find("(kws_sram + KWS_SRAM_OFFSET_"), std::string::npos);
  EXPECT_EQ(model_c.find("kws_sram + 0"), std::string::npos);
  EXPECT_EQ(model_c.find("kws_constants + 0"), std::string::npos);
  // Every macro the code uses is defined in the header.
  for (std::size_t at = model_c.find("KWS_SRAM_OFFSET_"); at != std::string::npos;
       at = model_c.find("KWS_SRAM_OFFSET_", at + 1)) {
    const std::string macro = model_c.substr(at, model_c.find_first_of("),", at) - at);
    EXPECT_NE(header.find("#define " + macro + " "), std::string::npos) << macro;
  }
}

// Every kernel identifier names a function the embedded runtime declares, once.
TEST(CEmit, KernelTableMatchesTheRuntime) {
  std::string declarations;
  for (const c_out::RuntimeFile& f : c_out::runtime_files())
    if (f.name.ends_with(".h")) declarations += f.text;
  std::set<std::string_view> names;
  for (const auto& [id, function] : kernels::kKernelFunctions) {
    EXPECT_TRUE(names.insert(function).second) << function;
    EXPECT_EQ(kernels::kernel_id(function), id);
    EXPECT_NE(declarations.find("void " + std::string(function) + "("), std::string::npos) << function;
  }
  EXPECT_FALSE(kernels::kernel_id("ap_no_such_kernel"));
}

TEST(CEmit, CompileCommand) {
  const std::string dir = fresh_dir("cli");
  auto r = test::run_arenaplan(
      "compile " + test::model_path(kKws) + " -o " + dir + "/out --pool sram:size=32K --time-limit 0.2", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/out/mlperf_tiny_kws_dscnn_int8.h"));
  r = test::run_arenaplan(
      "compile " + test::model_path(kKws) + " -o " + dir + "/bad --pool sram:size=1K --time-limit 0.2", dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(fs::exists(dir + "/bad"));
  r = test::run_arenaplan("compile " + test::model_path(kKws) + " -o " + dir + "/bad --name 'no way'", dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(fs::exists(dir + "/bad"));
}

}  // namespace
}  // namespace arenaplan
