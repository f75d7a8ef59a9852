// TFLite import: real models read with the right counts, opcodes and options; malformed files
// (truncated, bit-flipped, not a flatbuffer, absurd shapes, control flow, dynamic shapes) give
// an InputError that names the file, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"
#include "model_test_util.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

using test::model;

std::string import_error(const std::vector<std::uint8_t>& bytes) {
  try {
    parse_tflite(bytes, "m.tflite");
  } catch (const InputError& e) { return e.what(); }
  return "";
}

struct Counts {
  const char* name;
  std::size_t operators, tensors, constants, variables;
};

TEST(TfliteImport, RealModelsHaveTheDocumentedStructure) {
  // Counts from shared/models/README.md (flatc JSON dumps of the same files).
  const Counts expected[] = {
      {"tflm_keyword_scrambled", 15, 54, 31, 7},       {"tflm_test_conv_model", 7, 15, 7, 0},
      {"tflm_hello_world_int8", 3, 10, 6, 0},          {"tflm_mnist_lstm_int8", 4, 27, 15, 2},
      {"tflm_audio_preprocessor_int8", 22, 43, 18, 0}, {"tflm_micro_speech_int8", 4, 10, 5, 0},
      {"mlperf_tiny_kws_dscnn_int8", 13, 35, 21, 0},   {"mlperf_tiny_vww_mobilenetv1_int8", 31, 89, 57, 0},
      {"mlperf_tiny_ic_resnet8_int8", 16, 38, 21, 0},
  };
  for (const Counts& c : expected) {
    SCOPED_TRACE(c.name);
    const Graph g = model(c.name);
    EXPECT_EQ(g.operators.size(), c.operators);
    EXPECT_EQ(g.tensors.size(), c.tensors);
    EXPECT_EQ(std::count_if(g.tensors.begin(), g.tensors.end(), [](const Tensor& t) { return t.is_constant; }),
              static_cast<std::ptrdiff_t>(c.constants));
    EXPECT_EQ(std::count_if(g.tensors.begin(), g.tensors.end(), [](const Tensor& t) { return t.is_variable; }),
              static_cast<std::ptrdiff_t>(c.variables));
  }
}

TEST(TfliteImport, TensorsCarryShapeTypeBytesAndRole) {
  const Graph g = model("tflm_keyword_scrambled");
  ASSERT_EQ(g.inputs.size(), 1u);
  const Tensor& in = g.tensors[g.inputs[0]];
  EXPECT_EQ(in.type, DataType::int16);
  EXPECT_EQ(in.shape, (std::vector<std::int64_t>{1, 96}));
  EXPECT_EQ(in.bytes, 192);
  EXPECT_TRUE(in.is_input);
  EXPECT_FALSE(in.is_constant);
  // The SVDF state tensors: variable int16, 10240 bytes in all.
  Bytes state = 0;
  for (const Tensor& t : g.tensors)
    if (t.is_variable) {
      state += t.bytes;
      EXPECT_EQ(t.type, DataType::int16);
    }
  EXPECT_EQ(state, 10240);
  EXPECT_TRUE(g.tensors[g.outputs[0]].is_output);
}

TEST(TfliteImport, OperatorsInModelOrderWithOptions) {
  const Graph conv = model("tflm_test_conv_model");
  std::vector<std::string> names;
  for (const Operator& op : conv.operators) names.push_back(op.opcode);
  EXPECT_EQ(names, (std::vector<std::string>{"QUANTIZE", "CONV_2D", "CONV_2D", "MAX_POOL_2D", "RESHAPE",
                                             "FULLY_CONNECTED", "DEQUANTIZE"}));
  EXPECT_TRUE(conv.operators[1].attribute("stride_w").has_value());
  EXPECT_TRUE(conv.operators[3].attribute("filter_w").has_value());
  const Graph kw = model("tflm_keyword_scrambled");
  EXPECT_EQ(kw.operators[1].opcode, "SVDF");
  EXPECT_GE(kw.operators[1].attribute_or("rank", 0), 1);
}

TEST(TfliteImport, CustomOperatorsByNameWithFlexbufferOptions) {
  const Graph g = model("tflm_audio_preprocessor_int8");
  auto rfft = std::find_if(g.operators.begin(), g.operators.end(),
                           [](const Operator& op) { return op.opcode == "SignalRfft"; });
  ASSERT_NE(rfft, g.operators.end());
  EXPECT_TRUE(rfft->custom);
  EXPECT_EQ(rfft->attribute_or("fft_length", 0), 512);
}

TEST(TfliteImport, OpcodeIsTheLargerOfBuiltinAndDeprecatedCode) {
  test::ModelSpec spec;
  spec.tensors = {test::tensor("a", 9, {1, 4}), test::tensor("b", 9, {1, 4})};
  spec.inputs = {0};
  spec.outputs = {1};
  // Old file: only deprecated_builtin_code (22 = RESHAPE), builtin_code left at 0 (ADD).
  spec.ops = {test::op(22, {0}, {1})};
  spec.ops[0].omit_builtin = true;
  EXPECT_EQ(parse_tflite(test::build_tflite(spec), "old.tflite").operators[0].opcode, "RESHAPE");
  // New file: builtin_code above 127, deprecated code at the placeholder 127.
  spec.ops = {test::op(150, {0}, {1})};
  spec.ops[0].deprecated = 127;
  EXPECT_EQ(parse_tflite(test::build_tflite(spec), "new.tflite").operators[0].opcode, "GELU");
}

TEST(TfliteImport, ControlFlowIsRejectedNamingTheOperator) {
  test::ModelSpec spec;
  spec.tensors = {test::tensor("a", 9, {1, 4}), test::tensor("b", 9, {1, 4})};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {test::op(119 /* WHILE */, {0}, {1})};
  spec.extra_subgraphs = 2;
  const std::string error = import_error(test::build_tflite(spec));
  EXPECT_NE(error.find("m.tflite: operator 0 (WHILE)"), std::string::npos) << error;
  EXPECT_NE(error.find("control flow"), std::string::npos) << error;
}

TEST(TfliteImport, DynamicShapesAreRejectedNamingTheOperator) {
  test::ModelSpec spec;
  spec.tensors = {test::tensor("a", 9, {1, 4}), test::tensor("b", 9, {1, 4}, {1, -1})};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {test::op(0 /* ADD */, {0, 0}, {1})};
  const std::string error = import_error(test::build_tflite(spec));
  EXPECT_NE(error.find("operator 0 (ADD)"), std::string::npos) << error;
  EXPECT_NE(error.find("dynamic shape"), std::string::npos) << error;
  // An unknown batch dimension with a concrete shape is planned at that shape, as TFLM runs it.
  spec.tensors[1].signature = {-1, 4};
  EXPECT_EQ(parse_tflite(test::build_tflite(spec), "m.tflite").tensors[1].bytes, 4);
}

// A dynamic input [-1, -1, -1, 2] whose H, W feed a SHAPE -> STRIDED_SLICE -> FLOOR_MOD / SUB ->
// PACK chain that computes SPACE_TO_BATCH_ND's paddings (as converters write dilated convolutions).
test::ModelSpec dynamic_space_to_batch() {
  const auto ints = [](std::string name, std::vector<std::int32_t> values, std::vector<std::int32_t> shape) {
    test::TensorSpec t = test::tensor(std::move(name), 2, std::move(shape));
    t.constant = true;
    t.data.resize(values.size() * 4);
    std::memcpy(t.data.data(), values.data(), t.data.size());
    return t;
  };
  test::ModelSpec spec;
  spec.tensors = {test::tensor("x", 0, {1, 1, 1, 2}, {-1, -1, -1, 2}),
                  test::tensor("shape", 2, {4}),
                  ints("begin", {1}, {1}),
                  ints("end", {3}, {1}),
                  ints("stride", {1}, {1}),
                  test::tensor("hw", 2, {2}),
                  ints("two", {2, 2}, {2}),
                  test::tensor("rest", 2, {2}),
                  test::tensor("short", 2, {2}),
                  test::tensor("pad_end", 2, {2}),
                  ints("zero", {0, 0}, {2}),
                  test::tensor("pads", 2, {2, 2}),
                  test::tensor("y", 0, {1, 1, 1, 2}, {-1, -1, -1, 2}),
                  test::tensor("z", 0, {1, 1, 1, 2}, {-1, -1, -1, 2})};
  spec.inputs = {0};
  spec.outputs = {13};
  spec.ops = {test::op(77 /* SHAPE */, {0}, {1}),
              test::op(45 /* STRIDED_SLICE */, {1, 2, 3, 4}, {5}),
              test::op(95 /* FLOOR_MOD */, {5, 6}, {7}),
              test::op(41 /* SUB */, {6, 7}, {8}),
              test::op(95 /* FLOOR_MOD */, {8, 6}, {9}),
              test::op(83 /* PACK */, {10, 9}, {11}),
              test::op(38 /* SPACE_TO_BATCH_ND */, {0, 6, 11}, {12}),
              test::op(19 /* RELU */, {12}, {13})};
  spec.ops[5].axis = 1;
  return spec;
}

// Without --dim the message names the input and says how to set it; with it, the integer chain is
// folded (H, W = 5, 6: remainders 1, 0, paddings [[0, 1], [0, 0]]) and the operators after it get
// static shapes: [1, 5, 6, 2] padded to 6 x 6 in 2 x 2 blocks is [4, 3, 3, 2].
TEST(TfliteImport, DynamicInputsTakeDimAndFoldShapeComputations) {
  const std::vector<std::uint8_t> bytes = test::build_tflite(dynamic_space_to_batch());
  const std::string error = import_error(bytes);
  EXPECT_NE(error.find("graph input 0 ('x') has a dynamic shape (shape_signature [-1, -1, -1, 2])"), std::string::npos)
      << error;
  EXPECT_NE(error.find("--dim x=1xNxNx2"), std::string::npos) << error;
  TfliteOptions options;
  options.input_shapes["x"] = {1, 5, 6, 2};
  const Graph g = parse_tflite(bytes, "m.tflite", options);
  ASSERT_EQ(g.operators.size(), 2u);
  EXPECT_EQ(g.operators[0].opcode, "SPACE_TO_BATCH_ND");
  EXPECT_EQ(g.tensors[0].shape, (std::vector<std::int64_t>{1, 5, 6, 2}));
  EXPECT_EQ(g.tensors[0].bytes, 5 * 6 * 2 * 4);
  EXPECT_EQ(g.tensors[12].shape, (std::vector<std::int64_t>{4, 3, 3, 2}));
  EXPECT_EQ(g.tensors[13].shape, (std::vector<std::int64_t>{4, 3, 3, 2}));
  ASSERT_TRUE(g.tensors[11].is_constant);
  const auto& pads = g.constant_data[static_cast<std::size_t>(g.tensors[11].constant_buffer)];
  std::vector<std::int32_t> values(4);
  std::memcpy(values.data(), pads.data(), 16);
  EXPECT_EQ(values, (std::vector<std::int32_t>{0, 1, 0, 0}));
  // A shape of the wrong rank, a fixed dimension changed, or an unknown name: one line each.
  options.input_shapes["x"] = {1, 5, 6, 3};
  try {
    parse_tflite(bytes, "m.tflite", options);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) { EXPECT_NE(std::string(e.what()).find("does not fit"), std::string::npos); }
  options.input_shapes = {{"nope", {1, 2}}};
  try {
    parse_tflite(bytes, "m.tflite", options);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no graph input named 'nope'"), std::string::npos);
  }
}

TEST(TfliteImport, AbsurdShapesAreInputErrors) {
  test::ModelSpec spec;
  spec.tensors = {test::tensor("a", 9, {1, 4}), test::tensor("huge", 0, {1 << 30, 1 << 30, 1 << 30})};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {test::op(0, {0, 0}, {1})};
  EXPECT_NE(import_error(test::build_tflite(spec)).find("absurd"), std::string::npos);
  // Just below the element limit, the byte size (x 8 for int64) still must not overflow silently
  // (RESHAPE: ADD's kernels index with 32 bits, so its operands are limited to 2^31 elements).
  spec.tensors[1] = test::tensor("big", 4 /* INT64 */, {1 << 28, 1 << 28, 1});
  spec.ops = {test::op(22 /* RESHAPE */, {0}, {1})};
  EXPECT_NO_THROW(parse_tflite(test::build_tflite(spec), "m.tflite"));
}

TEST(TfliteImport, NotAFlatbuffer) {
  const std::string text = "this is not a model, just some text that is long enough";
  const std::vector<std::uint8_t> bytes(text.begin(), text.end());
  EXPECT_NE(import_error(bytes).find("m.tflite: not a TFLite model"), std::string::npos);
  EXPECT_NE(import_error({}).find("m.tflite: not a TFLite model"), std::string::npos);
}

TEST(TfliteImport, EveryTruncationIsAnInputError) {
  const std::string file = test::slurp(test::model_path("tflm_hello_world_int8"));
  const std::vector<std::uint8_t> whole(file.begin(), file.end());
  for (std::size_t n = 0; n < whole.size(); ++n) {
    const std::vector<std::uint8_t> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(import_error(cut).empty()) << "prefix of " << n << " bytes was accepted";
  }
}

// Flipping bytes anywhere gives a model that imports, lowers (with both kernel profiles) and
// plans, or an InputError naming the file: never a crash.
void flip_bytes(const std::string& name, std::size_t stride) {
  const std::string file = test::slurp(test::model_path(name));
  const std::vector<std::uint8_t> whole(file.begin(), file.end());
  std::mt19937 random(7);
  int rejected = 0, planned = 0;
  for (std::size_t i = 0; i < whole.size(); i += stride) {
    std::vector<std::uint8_t> bytes = whole;
    bytes[i] ^= static_cast<std::uint8_t>(1u << (random() % 8));
    if (i % 3 == 0) bytes[(i * 7919) % bytes.size()] ^= 0xFF;
    try {
      const Graph g = parse_tflite(bytes, "flipped.tflite");
      for (const char* kernels : {"reference", "cmsis-nn"}) {
        LoweringOptions options;
        options.kernels = kernels;
        SolveOptions solving;
        solving.algorithm = "tflm";
        (void)plan_model(g, options, solving);
      }
      ++planned;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("flipped.tflite: ", 0), 0u) << e.what();
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(planned, 0);
}

TEST(TfliteImport, BitFlipsNeverCrash) {
  flip_bytes("tflm_hello_world_int8", 1);
  flip_bytes("tflm_keyword_scrambled", 17);
  flip_bytes("tflm_test_conv_model", 17);
}

}  // namespace
}  // namespace arenaplan
