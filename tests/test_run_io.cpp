// `arenaplan run --inputs FILE... --save-io DIR [--trace]`: raw input sets in, raw tensors out,
// named by subgraph tensor index as TensorFlow Lite Micro's golden dumps are.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::model;
using test::model_path;
using test::run_arenaplan;
using test::slurp;

std::string scratch_dir(const std::string& name) { return test::fresh_dir("run-io", name); }

std::string write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// micro_speech: one int8 input [1, 1960], RESHAPE (an alias of the input's bytes), CONV_2D,
// FULLY_CONNECTED, SOFTMAX.
constexpr const char* kModel = "tflm_micro_speech_int8";

std::string input_bytes(char first) {
  std::string bytes(1960, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(first + static_cast<char>(i * 7));
  return bytes;
}

TEST(RunIo, GivenInputsAreTheOnlySetsAndOutputsAreNamedByTensorIndex) {
  const std::string dir = scratch_dir("outputs");
  const std::string a = write(dir + "/a.bin", input_bytes(1)), b = write(dir + "/b.bin", input_bytes(2));
  const auto r = run_arenaplan(
      "run " + model_path(kModel) + " --inputs " + a + " --inputs " + b + " --save-io " + dir + "/io", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("compared 2 input sets"), std::string::npos) << r.out;
  const Graph g = model(kModel);
  const json index = json::parse(slurp(dir + "/io/index.json"));
  EXPECT_EQ(index.at("sets").size(), 2u);
  EXPECT_EQ(index.at("tensors").size(), g.inputs.size() + g.outputs.size());  // no --trace: inputs and outputs
  for (int set = 0; set < 2; ++set) {
    const std::string in = slurp(fmt::format("{}/io/set{}/t{}.bin", dir, set, g.inputs[0]));
    EXPECT_EQ(in, set == 0 ? input_bytes(1) : input_bytes(2));
    const std::string out = slurp(fmt::format("{}/io/set{}/t{}.bin", dir, set, g.outputs[0]));
    EXPECT_EQ(out, slurp(fmt::format("{}/io/output_{}.bin", dir, set)));  // the concatenated form agrees
    EXPECT_EQ(out.size(), static_cast<std::size_t>(g.tensors[static_cast<std::size_t>(g.outputs[0])].bytes));
  }
  // Different inputs, different outputs: the files were really used.
  EXPECT_NE(slurp(dir + "/io/set0/t" + std::to_string(g.outputs[0]) + ".bin"),
            slurp(dir + "/io/set1/t" + std::to_string(g.outputs[0]) + ".bin"));
}

TEST(RunIo, TraceWritesEveryOperatorOutputAndNamesAliases) {
  const std::string dir = scratch_dir("trace");
  const std::string a = write(dir + "/a.bin", input_bytes(3));
  const auto r =
      run_arenaplan("run " + model_path(kModel) + " --inputs " + a + " --trace --save-io " + dir + "/io", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const Graph g = model(kModel);
  const json index = json::parse(slurp(dir + "/io/index.json"));
  std::size_t aliases = 0;
  for (const Operator& op : g.operators) {
    const auto t = static_cast<std::size_t>(op.outputs[0]);
    const std::string bytes = slurp(fmt::format("{}/io/set0/t{}.bin", dir, t));
    EXPECT_EQ(bytes.size(), static_cast<std::size_t>(g.tensors[t].bytes)) << t;
    if (op.opcode == "RESHAPE") {  // its bytes are its input's: planned on the same memory
      EXPECT_EQ(bytes, slurp(fmt::format("{}/io/set0/t{}.bin", dir, op.inputs[0])));
    }
  }
  for (const auto& t : index.at("tensors")) {
    EXPECT_TRUE(fs::is_regular_file(fmt::format("{}/io/set0/{}", dir, t.at("file").get<std::string>()))) << t;
    if (!t.contains("alias_of")) continue;
    ++aliases;
    EXPECT_EQ(g.operators[static_cast<std::size_t>(t.at("producer").get<int>())].opcode, "RESHAPE") << t;
  }
  EXPECT_EQ(aliases, 1u);
  EXPECT_EQ(index.at("tensors").size(), g.inputs.size() + g.operators.size());
}

TEST(RunIo, WrongInputSizeExits2NamingFileAndBothCounts) {
  const std::string dir = scratch_dir("size");
  const std::string a = write(dir + "/short.bin", std::string(1959, 'x'));
  const auto r = run_arenaplan("run " + model_path(kModel) + " --inputs " + a, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(a + ": 1959 bytes, but graph input 0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("has 1960 bytes"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(RunIo, WrongNumberOfInputFilesExits2) {
  const std::string dir = scratch_dir("count");
  const std::string a = write(dir + "/a.bin", input_bytes(1));
  const auto r = run_arenaplan("run " + model_path(kModel) + " --inputs " + a + " " + a, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("2 input files given"), std::string::npos) << r.err;
  const auto missing = run_arenaplan("run " + model_path(kModel) + " --inputs " + dir + "/none.bin", dir);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find(dir + "/none.bin: cannot open"), std::string::npos) << missing.err;
}

TEST(RunIo, TraceNeedsSaveIo) {
  const std::string dir = scratch_dir("needs");
  const auto r = run_arenaplan("run " + model_path(kModel) + " --trace", dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--trace requires --save-io"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace arenaplan
