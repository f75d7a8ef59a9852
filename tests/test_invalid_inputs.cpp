// Issue 12, "Inputs": every invalid input is exit 2 with one clean line. Structurally broken
// graphs and out-of-range operator parameters are refused at import; names are escaped; size
// limits act before a file is read and while it is parsed; `check` verifies everything a plan
// file states; alignments are powers of two everywhere.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "arenaplan/error.h"
#include "arenaplan/tflite.h"
#include "cli_runner.h"
#include "scratch_dir.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using test::op;
using test::run_cli;
using test::tensor;

constexpr int kInt8 = 9, kFloat32 = 0;
constexpr int kAdd = 0, kConcatenation = 2, kConv2d = 3, kFullyConnected = 9, kMaxPool2d = 17;

std::string import_error(const test::ModelSpec& spec) {
  try {
    parse_tflite(test::build_tflite(spec), "m.tflite");
  } catch (const InputError& e) { return e.what(); }
  return "";
}

#define EXPECT_REFUSED(spec, text)                                                                \
  do {                                                                                            \
    const std::string error_ = import_error(spec);                                                \
    EXPECT_EQ(error_.rfind("m.tflite: ", 0), 0u) << error_;                                       \
    EXPECT_NE(error_.find(text), std::string::npos) << "expected '" << (text) << "': " << error_; \
  } while (0)

// a -> ADD -> b -> ADD -> c: valid, and the base every mutation below starts from.
test::ModelSpec chain() {
  test::ModelSpec spec;
  spec.tensors = {tensor("a", kFloat32, {1, 4}), tensor("b", kFloat32, {1, 4}), tensor("c", kFloat32, {1, 4})};
  spec.inputs = {0};
  spec.outputs = {2};
  spec.ops = {op(kAdd, {0, 0}, {1}), op(kAdd, {1, 1}, {2})};
  return spec;
}

TEST(InvalidGraphs, TheValidChainImports) { EXPECT_EQ(import_error(chain()), ""); }

TEST(InvalidGraphs, ACycleIsRefused) {
  test::ModelSpec spec = chain();
  spec.ops[0].inputs = {0, 2};  // b = a + c, c = b + b
  EXPECT_REFUSED(spec, "operator 0 (ADD) reads tensor 2 ('c') before operator 1 (ADD) writes it");
}

TEST(InvalidGraphs, AnOperatorReadingItsOwnOutputIsRefused) {
  test::ModelSpec spec = chain();
  spec.ops[1].inputs = {1, 2};
  EXPECT_REFUSED(spec, "operator 1 (ADD) reads its own output tensor 2 ('c')");
}

TEST(InvalidGraphs, TwoProducersOfOneTensorAreRefused) {
  test::ModelSpec spec = chain();
  spec.ops[1].outputs = {1};
  spec.outputs = {1};
  EXPECT_REFUSED(spec, "tensor 1 ('b') is written by operator 0 (ADD) and by operator 1 (ADD)");
}

TEST(InvalidGraphs, AModelWithoutOperatorsIsRefused) {
  test::ModelSpec spec = chain();
  spec.ops.clear();
  EXPECT_REFUSED(spec, "the model has no operators");
}

TEST(InvalidGraphs, AnEmptiedWeightBufferIsRefused) {
  test::ModelSpec spec;
  spec.tensors = {tensor("x", kFloat32, {1, 4}), tensor("w", kFloat32, {2, 4}), tensor("y", kFloat32, {1, 2})};
  spec.tensors[1].constant = true;
  spec.inputs = {0};
  spec.outputs = {2};
  spec.ops = {op(kFullyConnected, {0, 1}, {2})};
  EXPECT_EQ(import_error(spec), "");
  spec.tensors[1].constant = false;
  spec.tensors[1].empty_buffer = true;
  EXPECT_REFUSED(spec, "operator 0 (FULLY_CONNECTED) reads tensor 1 ('w'), which no operator writes");
}

TEST(InvalidGraphs, AnUnwrittenGraphOutputIsRefused) {
  test::ModelSpec spec = chain();
  spec.tensors.push_back(tensor("d", kFloat32, {1, 4}));
  spec.outputs = {2, 3};
  EXPECT_REFUSED(spec, "graph output tensor 3 ('d') is not written by any operator");
}

TEST(InvalidGraphs, WritingAGraphInputOrAConstantIsRefused) {
  test::ModelSpec spec = chain();
  spec.ops[1].outputs = {0};
  EXPECT_REFUSED(spec, "operator 1 (ADD) writes tensor 0 ('a'), which is a graph input");
  spec = chain();
  spec.tensors[2].constant = true;
  EXPECT_REFUSED(spec, "operator 1 (ADD) writes tensor 2 ('c'), which is a constant");
}

// CONV_2D 8x8x1 -> 8x8x1 with a 3x3 filter.
test::ModelSpec conv(int stride, int dilation, std::int32_t out_hw) {
  test::ModelSpec spec;
  spec.tensors = {tensor("in", kFloat32, {1, 8, 8, 1}), tensor("filter", kFloat32, {1, 3, 3, 1}),
                  tensor("out", kFloat32, {1, out_hw, out_hw, 1})};
  spec.tensors[1].constant = true;
  spec.inputs = {0};
  spec.outputs = {2};
  spec.ops = {op(kConv2d, {0, 1}, {2})};
  spec.ops[0].stride = stride;
  spec.ops[0].dilation = dilation;
  return spec;
}

TEST(InvalidParameters, ConvolutionStridesAndDilations) {
  EXPECT_EQ(import_error(conv(1, 1, 8)), "");
  EXPECT_EQ(import_error(conv(3, 1, 3)), "");
  EXPECT_EQ(import_error(conv(2147483647, 1, 1)), "");  // one output position: nothing overflows
  // The audit's case: the output shape claims positions a huge stride would reach.
  EXPECT_REFUSED(conv(2147483647, 1, 8), "output height 8 does not match the 1 that input height 8, filter 3");
  EXPECT_REFUSED(conv(0, 1, 8), "stride_h 0 is out of range [1, 2^31-1]");
  EXPECT_REFUSED(conv(1, -2, 8), "dilation_h -2 is out of range");
  EXPECT_REFUSED(conv(1, 1073741824, 8), "stride 1 and dilation 1073741824 reach beyond 2^31-1 input positions");
  test::ModelSpec flat = conv(1, 1, 8);
  flat.tensors[0].shape = {64};
  EXPECT_REFUSED(flat, "the input 'in' must be 4-D (NHWC), not rank 1");
}

TEST(InvalidParameters, PoolingWindows) {
  test::ModelSpec spec;
  spec.tensors = {tensor("in", kFloat32, {1, 8, 8, 2}), tensor("out", kFloat32, {1, 4, 4, 2})};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {op(kMaxPool2d, {0}, {1})};
  spec.ops[0].filter = 2;
  spec.ops[0].stride = 2;
  spec.ops[0].padding = 1;  // VALID
  EXPECT_EQ(import_error(spec), "");
  spec.ops[0].filter = -1;
  EXPECT_REFUSED(spec, "filter_h -1 is out of range");
  spec.ops[0].filter = 2;
  spec.tensors[1].shape = {1, 5, 4, 2};
  EXPECT_REFUSED(spec, "output height 5 does not match the 4");
}

TEST(InvalidParameters, ConcatenationAxis) {
  test::ModelSpec spec;
  spec.tensors = {tensor("a", kFloat32, {1, 4}), tensor("b", kFloat32, {1, 8})};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {op(kConcatenation, {0, 0}, {1})};
  spec.ops[0].axis = -1;
  EXPECT_EQ(import_error(spec), "");
  spec.ops[0].axis = 2;
  EXPECT_REFUSED(spec, "axis 2 is out of range for 'b' of rank 2");
}

// int8 ADD of two quantized inputs.
test::ModelSpec quantized_add(float out_scale, std::int64_t zero_point) {
  test::ModelSpec spec;
  spec.tensors = {tensor("a", kInt8, {1, 4}), tensor("b", kInt8, {1, 4})};
  spec.tensors[0].scale = {0.5f};
  spec.tensors[0].zero_point = {zero_point};
  spec.tensors[1].scale = {out_scale};
  spec.tensors[1].zero_point = {0};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {op(kAdd, {0, 0}, {1})};
  return spec;
}

TEST(InvalidParameters, QuantizationScalesZeroPointsAndMultipliers) {
  EXPECT_EQ(import_error(quantized_add(0.25f, -3)), "");
  EXPECT_REFUSED(quantized_add(0.25f, 300), "tensor 0 ('a') has zero point 300, outside [-128, 127] of its type int8");
  EXPECT_REFUSED(quantized_add(0.0f, 0), "tensor 1 ('b') has quantization scale 0; scales must be positive");
  EXPECT_REFUSED(quantized_add(1e-30f, 0), "is too large for a 32-bit fixed-point multiplier");
}

// --- names and values echoed in messages -------------------------------------------------------

TEST(PrintableText, ControlBytesAndInvalidUtf8AreEscaped) {
  EXPECT_EQ(printable_text("plain 'name' 1.5"), "plain 'name' 1.5");
  EXPECT_EQ(printable_text(std::string("a\0b\r\n\x1b[31m\x7f", 11)), "a\\x00b\\x0d\\x0a\\x1b[31m\\x7f");
  EXPECT_EQ(printable_text("caf\xc3\xa9 \xe2\x80\x94"), "caf\xc3\xa9 \xe2\x80\x94");  // valid UTF-8 stays
  EXPECT_EQ(printable_text("\xff\xc3"), "\\xff\\xc3");                                // invalid, cut short
  EXPECT_EQ(printable_text("\xc2\x9b"), "\\xc2\\x9b");                                // C1 control (CSI)
  EXPECT_EQ(printable_text("\xc0\xaf"), "\\xc0\\xaf");                                // overlong
}

class InvalidCli : public test::ScratchDirTest {
 protected:
  std::string model(const std::string& name, const test::ModelSpec& spec) {
    const auto bytes = test::build_tflite(spec);
    return file(name, std::string(bytes.begin(), bytes.end()));
  }
};

// One line, starting "arenaplan: ", no byte a terminal would act on.
void expect_one_clean_line(const test::CommandResult& r) {
  EXPECT_EQ(r.out.rfind("arenaplan: ", 0), 0u) << r.out;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;
  for (char c : r.out.substr(0, r.out.size() - 1))
    EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) << "byte " << int(c) << " in " << r.out;
}

TEST_F(InvalidCli, StructurallyInvalidModelsAreExitTwoForPlanCompileAndRun) {
  test::ModelSpec spec = chain();
  spec.ops[0].inputs = {0, 2};
  const std::string m = model("cycle.tflite", spec);
  for (const std::string& command : std::vector<std::string>{"plan", "compile -o " + (dir_ / "out").string(), "run"}) {
    const auto r = run_cli(command + " " + m);
    EXPECT_EQ(r.status, 2) << command << ": " << r.out;
    expect_one_clean_line(r);
    EXPECT_NE(r.out.find("not a valid schedule"), std::string::npos) << r.out;
  }
}

TEST_F(InvalidCli, AConstantGraphOutputCompilesAndRuns) {
  // b = a + k, and k (a constant) is a graph output too: its output pointer is into read-only memory.
  test::ModelSpec spec = chain();
  spec.tensors[2].constant = true;
  spec.ops = {op(kAdd, {0, 2}, {1})};
  spec.outputs = {1, 2};
  const std::string m = model("k.tflite", spec);
  const auto r = run_cli("run " + m);  // builds the generated code with -Werror, runs and compares it
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
}

TEST_F(InvalidCli, EchoedNamesAreEscaped) {
  // A duplicate buffer whose name holds CR, LF, ESC and a NUL (JSON escapes decode to raw bytes).
  const std::string json = file("p.json", R"({"buffers": [{"name": "x\r\n\u001b[2Jy\u0000z", "size_bytes": 1},
                                     {"name": "x\r\n\u001b[2Jy\u0000z", "size_bytes": 1}]})");
  const auto r = run_cli("solve " + json);
  EXPECT_EQ(r.status, 2) << r.out;
  expect_one_clean_line(r);
  EXPECT_NE(r.out.find("'x\\x0d\\x0a\\x1b[2Jy\\x00z' is defined twice"), std::string::npos) << r.out;
  // The same in a model's tensor name.
  test::ModelSpec spec = chain();
  spec.tensors[2].name = std::string("c\x1b]0;owned\x07\r", 12);
  spec.ops[1].inputs = {1, 2};
  const auto m = run_cli("plan " + model("m.tflite", spec));
  EXPECT_EQ(m.status, 2) << m.out;
  expect_one_clean_line(m);
  EXPECT_NE(m.out.find("'c\\x1b]0;owned\\x07\\x0d'"), std::string::npos) << m.out;
}

// Runs the tool directly (no shell) and reports its exit status, peak RSS and wall time.
struct Measured {
  int status = -1;
  long max_rss_kb = 0;
  double seconds = 0;
  std::string err;
};
Measured measure(const std::vector<std::string>& args, const fs::path& err_file) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(ARENAPLAN_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (std::freopen(err_file.c_str(), "w", stderr) == nullptr) _exit(127);
    execv(ARENAPLAN_BINARY, argv.data());
    _exit(127);
  }
  int raw = 0;
  rusage usage{};
  wait4(pid, &raw, 0, &usage);
  Measured m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128;
  m.max_rss_kb = usage.ru_maxrss;
  std::ifstream in(err_file);
  std::getline(in, m.err);
  return m;
}

// A refusal reads nothing: far below the file's 2 GiB (AddressSanitizer's shadow memory alone
// takes about 90 MB of RSS).
#ifdef __SANITIZE_ADDRESS__
constexpr long kRefusalRssKb = 256 * 1024;
#else
constexpr long kRefusalRssKb = 64 * 1024;
#endif

TEST_F(InvalidCli, AHugeFileIsRefusedBeforeItIsRead) {
  const fs::path big = dir_ / "big.tflite";
  std::ofstream(big).close();
  fs::resize_file(big, std::uintmax_t{2} << 30);  // 2 GiB, sparse: no disk space, no bytes to read
  for (const auto& [limit, text] : std::vector<std::pair<std::string, std::string>>{
           {"1000000",
            "file is 2147483648 bytes, larger than the limit of 1000000 bytes (raise it with --max-file-size)"},
           {"", "file is 2147483648 bytes, larger than the limit of 1073741824 bytes (raise it with --max-file-size)"},
           {"4000000000", "file is too large for a TFLite flatbuffer (2147483648 bytes, at most 1073741823)"}}) {
    std::vector<std::string> args{"plan", big.string()};
    if (!limit.empty()) args.insert(args.end(), {"--max-file-size", limit});
    const Measured m = measure(args, dir_ / "err.txt");
    EXPECT_EQ(m.status, 2) << m.err;
    // The message states the file's size: it was measured, not read.
    EXPECT_NE(m.err.find(text), std::string::npos) << m.err;
    EXPECT_LT(m.max_rss_kb, kRefusalRssKb) << "peak RSS of the refusal";
    EXPECT_LT(m.seconds, 5.0);
  }
  // A problem file too.
  fs::rename(big, dir_ / "big.json");
  const Measured m = measure({"solve", (dir_ / "big.json").string(), "--max-file-size", "1000"}, dir_ / "err.txt");
  EXPECT_EQ(m.status, 2);
  EXPECT_NE(m.err.find("file is 2147483648 bytes, larger than the limit of 1000 bytes"), std::string::npos) << m.err;
}

TEST_F(InvalidCli, BufferLimitsActWhileParsing) {
  // The document is cut off after its third buffer: the limits fire before the parser reaches
  // the end (a full parse would report the truncation instead).
  const std::string cut = file("cut.json", R"({"buffers": [{"name": "a", "size_bytes": 100},
      {"name": "b", "size_bytes": 100}, {"name": "c", "size_bytes": 100}, {"name": "d", "si)");
  auto r = run_cli("solve " + cut + " --max-buffers 2");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("cut.json: more than 2 buffers, the limit (raise it with --max-buffers)"), std::string::npos)
      << r.out;
  r = run_cli("solve " + cut + " --max-total-size 250");
  EXPECT_NE(r.out.find("cut.json: the buffers' sizes add up to more than the limit of 250 bytes"), std::string::npos)
      << r.out;
  r = run_cli("solve " + cut);
  EXPECT_NE(r.out.find("not valid JSON"), std::string::npos) << r.out;
  r = run_cli("diff " + cut + " " + cut + " --max-buffers 2");  // a plan file read on its own
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("cut.json: more than 2 buffers, the limit (raise it with --max-buffers)"), std::string::npos)
      << r.out;
  const std::string csv = file("p.csv", "id,lower,upper,size\na,0,1,100\nb,0,1,100\nc,0,1,100\nd,0,1,x\n");
  r = run_cli("solve " + csv + " --max-total-size 250");
  EXPECT_NE(r.out.find("p.csv:4: the buffers' sizes add up to more than the limit of 250 bytes"), std::string::npos)
      << r.out;
}

TEST_F(InvalidCli, NulBytesAreRefused) {
  auto r = run_cli("solve " + file("p.json", std::string(R"({"buffers": [{"name": "a", "size_bytes": 1}]})") +
                                                 std::string("\0{junk", 6)));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("p.json:1:46: not valid JSON (a NUL byte)"), std::string::npos) << r.out;
  r = run_cli("solve " + file("p.csv", std::string("id,lower,upper,size\na\0b,0,1,4\n", 30)));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("p.csv:2: a NUL byte"), std::string::npos) << r.out;
}

TEST_F(InvalidCli, AlignmentsArePowersOfTwoEverywhere) {
  for (int a : {3, 6}) {
    auto r = run_cli("solve " + file("p.json", R"({"buffers": [{"name": "a", "size_bytes": 8, "alignment": )" +
                                                   std::to_string(a) + "}]}"));
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("buffer 'a': alignment " + std::to_string(a) + " must be a power of two"), std::string::npos)
        << r.out;
    r = run_cli("solve " + file("q.json", R"({"pools": [{"name": "p", "alignment": )" + std::to_string(a) +
                                              R"(}], "buffers": [{"name": "a", "size_bytes": 8}]})"));
    EXPECT_NE(r.out.find("pool 'p': alignment " + std::to_string(a) + " must be a power of two"), std::string::npos)
        << r.out;
    r = run_cli("solve " + file("p.csv", "id,lower,upper,size,alignment\na,0,1,8," + std::to_string(a) + "\n"));
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("must be a power of two"), std::string::npos) << r.out;
  }
  EXPECT_EQ(run_cli("solve " + file("p.csv", "id,lower,upper,size,alignment\na,0,1,8,16\n")).status, 0);
}

TEST_F(InvalidCli, AnEmptyOutputNameIsRefused) {
  const std::string csv = file("p.csv", "id,lower,upper,size\na,0,1,8\n");
  const auto r = run_cli("solve " + csv + " -o ''");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("an empty name is not a file name"), std::string::npos) << r.out;
}

TEST_F(InvalidCli, CheckVerifiesEverythingThePlanStates) {
  const std::string problem = file("p.json", R"({"pools": [{"name": "sram", "alignment": 16},
      {"name": "flash", "kind": "constant"}],
      "buffers": [{"name": "a", "size_bytes": 100, "live": [[0, 2]], "pool_candidates": ["sram"]},
                  {"name": "b", "size_bytes": 50, "live": [[1, 3]], "pool_candidates": ["sram"]},
                  {"name": "w", "size_bytes": 20, "kind": "constant", "pool_candidates": ["flash"]}]})");
  const std::string plan_path = (dir_ / "plan.json").string();
  ASSERT_EQ(run_cli("solve " + problem + " --no-timing -o " + plan_path).status, 0);
  nlohmann::json plan;
  std::ifstream(plan_path) >> plan;
  EXPECT_EQ(run_cli("check " + problem + " " + plan_path).status, 0);
  const std::vector<std::pair<std::function<void(nlohmann::json&)>, std::string>> lies{
      {[](nlohmann::json& j) { j["buffers"][0]["size_bytes"] = 10; }, "buffer 'a' is 100 bytes, the plan states 10"},
      {[](nlohmann::json& j) { j["total_bytes"] = 1; }, "the plan states total_bytes 1, its pools add up to"},
      {[](nlohmann::json& j) { j["pools"].erase(1); }, "the plan does not list pool 'flash'"},
      {[](nlohmann::json& j) { j["pools"].push_back(j["pools"][0]); }, "the plan lists pool 'sram' twice"},
      {[](nlohmann::json& j) { j["pools"][1]["kind"] = "workspace"; },
       "pool 'flash' is a constant pool, the plan states kind \"workspace\""},
      {[](nlohmann::json& j) { j["pools"][0]["alignment"] = 4; }, "pool 'sram' has alignment 16, the plan states 4"},
      {[](nlohmann::json& j) { j["pools"][0]["limit_bytes"] = 4096; }, "pool 'sram' has limit none"},
      {[](nlohmann::json& j) { j["pools"][0]["size_bytes"] = j["pools"][0]["size_bytes"].get<int>() + 16; },
       "pool 'sram': the plan states"},
      {[](nlohmann::json& j) { j["buffers"][1]["kind"] = "scratch"; }, "buffer 'b' is a activation buffer"},
      {[](nlohmann::json& j) { j["buffers"][1]["alignment"] = 2; }, "buffer 'b' has alignment 1, the plan states 2"},
      {[](nlohmann::json& j) {
         j["buffers"][1]["live"] = {{0, 3}};
       },
       "buffer 'b': the plan states other live ranges"},
      {[](nlohmann::json& j) { j["lower_bound_bytes"] = 1000000; }, "the plan states a lower bound of 1000000 bytes"},
  };
  for (const auto& [lie, text] : lies) {
    nlohmann::json changed = plan;
    lie(changed);
    std::ofstream(dir_ / "lie.json") << changed.dump();
    const auto r = run_cli("check " + problem + " " + (dir_ / "lie.json").string());
    EXPECT_EQ(r.status, 1) << text << "\n" << r.out;
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  }
}

}  // namespace
}  // namespace arenaplan
