// CONCATENATION written in place by its producers (docs/overlap.md): with the `arenaplan` kernels the
// inputs of a concatenation on its outermost non-1 axis are slices of the output's buffer. Proven by
// execution (bit-identical to the reference run that copies), the arena shrinks, and the plan JSON's slice
// aliases are verified when read back.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "arenaplan/execution_check.h"
#include "arenaplan/io.h"
#include "arenaplan/model_planning.h"
#include "model_test_util.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

constexpr int kFloat32 = 0, kInt32 = 2, kInt8 = 9;
constexpr int kConcat = 2, kConv = 3;

test::TensorSpec activation(std::string name, int type, std::vector<std::int32_t> shape) {
  test::TensorSpec t = test::tensor(std::move(name), type, std::move(shape));
  if (type == kInt8) {
    t.scale = {0.1f};
    t.zero_point = {-2};
  }
  return t;
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed, bool floats) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<std::uint8_t> b(floats ? 4 * n : n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!floats) {
      b[i] = static_cast<std::uint8_t>(random());
      continue;
    }
    const float f = value(random);
    std::memcpy(b.data() + 4 * i, &f, 4);
  }
  return b;
}

// A 3x3 VALID convolution's filter [out_c, 3, 3, in_c] and bias.
std::vector<test::TensorSpec> weights(const std::string& name, int type, int out_c, int in_c, std::uint32_t seed) {
  test::TensorSpec w = test::tensor(name + "_w", type, {out_c, 3, 3, in_c});
  w.constant = true;
  w.data = random_bytes(static_cast<std::size_t>(out_c * 9 * in_c), seed, type == kFloat32);
  test::TensorSpec b = test::tensor(name + "_b", type == kFloat32 ? kFloat32 : kInt32, {out_c});
  b.constant = true;
  b.data = random_bytes(static_cast<std::size_t>(out_c), seed + 1, type == kFloat32);
  if (type == kInt8) {
    w.scale = {0.02f};
    w.zero_point = {0};
    b.scale = {0.002f};
    b.zero_point = {0};
    b.data = std::vector<std::uint8_t>(4 * static_cast<std::size_t>(out_c), 0);
    for (int i = 0; i < out_c; ++i) b.data[4 * static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(37 * i);
  }
  return {w, b};
}

// x [1,6,6,2] -> convolutions a and b [1,4,4,3] -> cat1 = concat(a, b) on rows [1,8,4,3]; c [1,4,4,3]
// -> cat2 = concat(cat1, c) [1,12,4,3] (nested) -> convolution -> y [1,10,2,2].
Graph model_of(int type) {
  test::ModelSpec m;
  auto add = [&](test::TensorSpec t) {
    m.tensors.push_back(std::move(t));
    return static_cast<std::int32_t>(m.tensors.size() - 1);
  };
  auto conv = [&](std::int32_t in, const std::string& name, int out_c, int in_c, std::vector<std::int32_t> shape,
                  std::uint32_t seed) {
    const auto w = weights(name, type, out_c, in_c, seed);
    const std::int32_t wi = add(w[0]), bi = add(w[1]);
    const std::int32_t out = add(activation(name, type, std::move(shape)));
    test::OpSpec o = test::op(kConv, {in, wi, bi}, {out});
    o.padding = 1;  // VALID
    m.ops.push_back(o);
    return out;
  };
  const std::int32_t x = add(activation("x", type, {1, 6, 6, 2}));
  const std::int32_t a = conv(x, "a", 3, 2, {1, 4, 4, 3}, 11);
  const std::int32_t b = conv(x, "b", 3, 2, {1, 4, 4, 3}, 21);
  const std::int32_t cat1 = add(activation("cat1", type, {1, 8, 4, 3}));
  test::OpSpec concat1 = test::op(kConcat, {a, b}, {cat1});
  concat1.axis = 1;
  m.ops.push_back(concat1);
  const std::int32_t c = conv(x, "c", 3, 2, {1, 4, 4, 3}, 31);
  const std::int32_t cat2 = add(activation("cat2", type, {1, 12, 4, 3}));
  test::OpSpec concat2 = test::op(kConcat, {cat1, c}, {cat2});
  concat2.axis = -3;
  m.ops.push_back(concat2);
  const std::int32_t y = conv(cat2, "y", 2, 3, {1, 10, 2, 2}, 41);
  m.inputs = {x};
  m.outputs = {y};
  const std::string name = type == kInt8 ? "int8" : "float32";
  return test::read_spec(m, "concat-in-place", name);
}

ModelPlan planned(const Graph& g, bool in_place, bool overlaps = true) {
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  lowering.concat_in_place = in_place;
  lowering.overlaps = overlaps;
  return plan_model(g, lowering, SolveOptions{});
}

std::size_t tensor_index(const Graph& g, const std::string& name) {
  for (std::size_t t = 0; t < g.tensors.size(); ++t)
    if (g.tensors[t].name == name) return t;
  ADD_FAILURE() << name;
  return 0;
}

void expect_in_place_equals_copies(const Graph& g) {
  const ModelPlan in_place = planned(g, true), copies = planned(g, false);
  EXPECT_EQ(copies.lowered.concat_in_place, std::vector<bool>(g.operators.size(), false));
  const LoweredModel& l = in_place.lowered;
  // a, b and c are slices of cat2's buffer at 0, 48 and 96 elements; cat1 is one too, at 0.
  const std::size_t cat2 = tensor_index(g, "cat2");
  const Bytes element = g.tensors[cat2].type == DataType::float32 ? 4 : 1;
  for (const auto& [name, offset] :
       std::vector<std::pair<std::string, Bytes>>{{"a", 0}, {"b", 48 * element}, {"cat1", 0}, {"c", 96 * element}}) {
    const std::size_t t = tensor_index(g, name);
    EXPECT_EQ(l.tensor_buffer[t], l.tensor_buffer[cat2]) << name;
    EXPECT_EQ(l.tensor_offset[t], offset) << name;
  }
  EXPECT_EQ(l.concat_in_place, (std::vector<bool>{false, false, true, false, true, false}));
  EXPECT_LT(in_place.arena_bytes(), copies.arena_bytes());
  // One build and run (about 5 s): the reference it is compared with, every tensor in its own
  // array, runs the CONCATENATION's copy, so equal outputs mean each producer wrote its slice.
  ExecutionOptions options = test::execution_options();
  options.random_inputs = 1;
  const ExecutionReport a = check_by_execution(g, l, in_place.plan, options);
  EXPECT_TRUE(a.passed()) << (a.mismatches.empty() ? "guards" : a.mismatches[0].tensor);
  EXPECT_GT(a.outputs_compared, 0);
}

TEST(ConcatInPlace, Int8ProducersWriteTheirSlicesBitIdentical) { expect_in_place_equals_copies(model_of(kInt8)); }

TEST(ConcatInPlace, Float32NestedConcatenationBitIdentical) { expect_in_place_equals_copies(model_of(kFloat32)); }

// x [1,6,6,2] -> a = 3x3 CONV_2D [1,4,4,3], b = 3x3 DEPTHWISE_CONV_2D (multiplier 2) [1,4,4,4] ->
// concat on channels [1,4,4,7] -> 3x3 CONV_2D -> y [1,2,2,2]: a and b write their pixels 7 apart.
Graph channel_model(int type) {
  test::ModelSpec m;
  auto add = [&](test::TensorSpec t) {
    m.tensors.push_back(std::move(t));
    return static_cast<std::int32_t>(m.tensors.size() - 1);
  };
  const std::int32_t x = add(activation("x", type, {1, 6, 6, 2}));
  auto w1 = weights("a", type, 3, 2, 51);
  const std::int32_t w1i = add(w1[0]), b1i = add(w1[1]);
  const std::int32_t a = add(activation("a", type, {1, 4, 4, 3}));
  auto w2 = weights("b", type, 4, 1, 61);  // [4,3,3,1] as OHWI; a depthwise filter is [1,3,3,4]
  w2[0].shape = {1, 3, 3, 4};
  const std::int32_t w2i = add(w2[0]), b2i = add(w2[1]);
  const std::int32_t b = add(activation("b", type, {1, 4, 4, 4}));
  const std::int32_t cat = add(activation("cat", type, {1, 4, 4, 7}));
  auto w3 = weights("y", type, 2, 7, 71);
  const std::int32_t w3i = add(w3[0]), b3i = add(w3[1]);
  const std::int32_t y = add(activation("y", type, {1, 2, 2, 2}));
  test::OpSpec conv_a = test::op(kConv, {x, w1i, b1i}, {a});
  conv_a.padding = 1;
  test::OpSpec dw_b = test::op(4, {x, w2i, b2i}, {b});
  dw_b.padding = 1;
  dw_b.depth_multiplier = 2;
  test::OpSpec concat = test::op(kConcat, {a, b}, {cat});
  concat.axis = 3;
  test::OpSpec conv_y = test::op(kConv, {cat, w3i, b3i}, {y});
  conv_y.padding = 1;
  m.ops = {conv_a, dw_b, concat, conv_y};
  m.inputs = {x};
  m.outputs = {y};
  const std::string name = type == kInt8 ? "channels_int8" : "channels_float32";
  return test::read_spec(m, "concat-in-place", name);
}

void expect_channel_slices(int type) {
  const Graph g = channel_model(type);
  const ModelPlan p = planned(g, true);
  const LoweredModel& l = p.lowered;
  const Bytes element = type == kFloat32 ? 4 : 1;
  const std::size_t a = tensor_index(g, "a"), b = tensor_index(g, "b"), cat = tensor_index(g, "cat");
  EXPECT_EQ(l.tensor_buffer[a], l.tensor_buffer[cat]);
  EXPECT_EQ(l.tensor_buffer[b], l.tensor_buffer[cat]);
  EXPECT_EQ(l.tensor_offset[b], 3 * element);
  EXPECT_EQ(l.tensor_pixel_stride[a], 7);
  EXPECT_EQ(l.tensor_pixel_stride[b], 7);
  EXPECT_LT(p.arena_bytes(), planned(g, false).arena_bytes());
  ExecutionOptions options = test::execution_options();
  options.random_inputs = 1;
  const ExecutionReport r = check_by_execution(g, l, p.plan, options);
  EXPECT_TRUE(r.passed()) << (r.mismatches.empty() ? "guards" : r.mismatches[0].tensor);
}

TEST(ConcatInPlace, Int8ChannelSlicesWrittenWithAPixelStride) { expect_channel_slices(kInt8); }

TEST(ConcatInPlace, Float32ChannelSlicesWrittenWithAPixelStride) { expect_channel_slices(kFloat32); }

TEST(ConcatInPlace, ArenaHoldsTheOutputOnly) {
  const Graph g = model_of(kInt8);
  // Whole tensors: at the second concatenation cat1 (96) + c (48) + cat2 (144) with copies; in
  // place the largest step is cat2 (144, from a's write on) with y's input window, x (80) live
  // until c is written: x + cat2.
  EXPECT_EQ(planned(g, false, false).arena_bytes(), 96 + 48 + 144);
  EXPECT_EQ(planned(g, true, false).arena_bytes(), 80 + 144);
}

TEST(ConcatInPlace, SliceAliasesAreVerifiedWhenThePlanIsRead) {
  const Graph g = model_of(kInt8);
  const ModelPlan p = planned(g, true);
  std::ostringstream json;
  write_plan_json(p.lowered.problem, p.plan, json, false, tensor_aliases(g, p.lowered));
  const std::string text = json.str();
  EXPECT_NE(text.find("\"alias_offset\": 96"), std::string::npos) << text;
  std::optional<std::string> mismatch;
  parse_plan_json(text, "plan.json", p.lowered.problem, mismatch);
  EXPECT_FALSE(mismatch) << *mismatch;
  // A slice stated one byte off, or running past its buffer, is a violation.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"alias_offset\": 96", "\"alias_offset\": 97"}, {"\"size_bytes\": 48,", "\"size_bytes\": 490,"}}) {
    std::string bad = text;
    const std::size_t at = bad.rfind(from);
    ASSERT_NE(at, std::string::npos) << from;
    bad.replace(at, from.size(), to);
    std::optional<std::string> found;
    parse_plan_json(bad, "plan.json", p.lowered.problem, found);
    ASSERT_TRUE(found) << to;
    EXPECT_NE(found->find("alias"), std::string::npos) << *found;
  }
}

// Kept as copies: the reference and cmsis-nn profiles (TFLite Micro's kernels copy), a channel
// concatenation of graph inputs (no producer to write the slices), and one on columns (each input
// a strided set of runs that no kernel writes).
TEST(ConcatInPlace, KeepsTheCopyWhereTheSlicesAreNotProducedContiguously) {
  const Graph g = model_of(kInt8);
  for (const char* kernels : {"reference", "cmsis-nn"}) {
    LoweringOptions lowering;
    lowering.kernels = kernels;
    const LoweredModel l = lower_graph(g, lowering);
    EXPECT_EQ(l.concat_in_place, std::vector<bool>(g.operators.size(), false)) << kernels;
  }
  test::ModelSpec m;
  m.tensors = {activation("x", kInt8, {1, 4, 4, 2}), activation("y", kInt8, {1, 4, 4, 2}),
               activation("channels", kInt8, {1, 4, 4, 4}), activation("rows", kInt8, {1, 4, 8, 2})};
  test::OpSpec channels = test::op(kConcat, {0, 1}, {2});
  channels.axis = 3;
  test::OpSpec rows = test::op(kConcat, {0, 1}, {3});
  rows.axis = 2;
  m.ops = {channels, rows};
  m.inputs = {0, 1};
  m.outputs = {2, 3};
  const std::string dir = test::fresh_dir("concat-in-place", "kept");
  const std::vector<std::uint8_t> bytes = test::build_tflite(m);
  std::ofstream(dir + "/kept.tflite", std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  EXPECT_EQ(lower_graph(read_tflite(dir + "/kept.tflite"), lowering).concat_in_place,
            (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace arenaplan
