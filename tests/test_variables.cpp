// Variable tensors (SVDF and LSTM state) in the generated C: NAME_reset() sets each to TFLite
// Micro's zero (the zero point for int8, else 0 bits), the state carries over from one NAME_run
// to the next, and a reset gives the first run's bytes back.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "arenaplan/c_emitter.h"
#include "arenaplan/pool_assignment.h"
#include "emit/c_variables.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

std::vector<EmittedFile> emitted(const std::string& model, const std::string& kernels, bool operators) {
  PoolSetup setup;
  setup.pools.push_back(parse_pool_spec("sram", "test"));
  LoweringOptions lowering;
  lowering.kernels = kernels;
  SolveOptions solving;
  solving.time_limit_seconds = 0.2;
  const PooledModel m = plan_model_in_pools(test::model(model), lowering, solving, setup);
  CEmitOptions options;
  options.name = "m";
  options.operators = operators;
  return emit_c(test::model(model), m.model.lowered, m.model.plan, options);
}

std::string file(const std::vector<EmittedFile>& files, const std::string& name) {
  for (const EmittedFile& f : files)
    if (f.name == name) return f.text;
  return "";
}

// int8: its zero point, as memset's byte (-50 is the byte 0xce); int16 and float: 0.
TEST(Variables, ResetUsesTheInt8ZeroPoint) {
  Graph g;
  Tensor state;
  state.name = "state8";
  state.type = DataType::int8;
  state.shape = {1, 4};
  state.bytes = 4;
  state.is_variable = true;
  state.quantization.scale = {0.5f};
  state.quantization.zero_point = {-50};
  Tensor cell = state;
  cell.name = "cell16";
  cell.type = DataType::int16;
  cell.bytes = 8;
  cell.quantization.zero_point = {7};  // not applied: TFLite Micro fills only int8 with it
  Tensor weights = state;
  weights.is_variable = false;
  weights.is_constant = true;
  g.tensors = {state, weights, cell};
  Operator op;
  op.opcode = "SVDF";
  op.inputs = {1, 0, -1, 2};
  g.operators = {op};
  EXPECT_TRUE(c_out::has_variables(g));
  EXPECT_EQ(c_out::variable_inputs(g, 0), (std::vector<std::int32_t>{0, 2}));
  const std::string text = c_out::variable_reset_statements(g, [](std::size_t t) { return "p" + std::to_string(t); });
  EXPECT_EQ(text, "  memset(p0, -50, 4u); /* 'state8' */\n  memset(p2, 0, 8u); /* 'cell16' */\n");
  g.tensors[0].is_variable = g.tensors[2].is_variable = false;
  EXPECT_FALSE(c_out::has_variables(g));
}

// NAME_reset exists with operator code for a model with state, and only then.
TEST(Variables, ResetIsDeclaredForModelsWithState) {
  const auto lstm = emitted("tflm_mnist_lstm_int8", "arenaplan", true);
  EXPECT_NE(file(lstm, "m.h").find("void m_reset(void);"), std::string::npos) << file(lstm, "m.h");
  EXPECT_NE(file(lstm, "m_model.c").find("void m_reset(void) {\n  memset("), std::string::npos);
  EXPECT_EQ(file(emitted("tflm_mnist_lstm_int8", "reference", false), "m.h").find("m_reset"), std::string::npos);
  EXPECT_EQ(file(emitted("tflm_hello_world_int8", "arenaplan", true), "m.h").find("m_reset"), std::string::npos);
}

// The keyword model (seven SVDF states): after reset + run the pool holds S1; a second run on the
// same input changes it (the state carried over); reset + run gives S1 again, byte for byte.
TEST(Variables, StateCarriesOverAndResetRestoresIt) {
  if (std::system("command -v gcc >/dev/null 2>&1") != 0) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = test::fresh_dir("variables", "keyword");
  const auto files = emitted("tflm_keyword_scrambled", "arenaplan", true);
  write_directory_atomically(dir + "/out", files);
  std::ofstream(dir + "/main.c")
      << "#include <string.h>\n#include \"m.h\"\n"
      << "static uint8_t first[M_SRAM_WORKSPACE_POOL_SIZE];\n"
      << "static void once(void) {\n"
      << "  m_inputs in = m_map_inputs();\n"
      << "  int16_t* x = (int16_t*)in.tensor_52;\n"
      << "  int i;\n  for (i = 0; i < M_INPUT_TENSOR_52_SIZE / 2; ++i) x[i] = (int16_t)(i * 37 - 1500);\n"
      << "  m_run();\n}\n"
      << "int main(void) {\n"
      << "  m_reset(); once(); memcpy(first, m_sram, sizeof first);\n"
      << "  once(); if (memcmp(first, m_sram, sizeof first) == 0) return 1;\n"
      << "  m_reset(); once(); return memcmp(first, m_sram, sizeof first) == 0 ? 0 : 2;\n}\n";
  std::string sources;
  for (const auto& f : files)
    if (f.name.ends_with(".c")) sources += " " + dir + "/out/" + f.name;
  ASSERT_EQ(std::system(("gcc -std=c99 -Wall -Wextra -Werror -O1 -I " + dir + "/out " + dir + "/main.c" + sources +
                         " -lm -o " + dir + "/main")
                            .c_str()),
            0);
  EXPECT_EQ(std::system((dir + "/main").c_str()), 0);
}

}  // namespace
}  // namespace arenaplan
