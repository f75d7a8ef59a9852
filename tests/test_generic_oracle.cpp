// The generic operators' generated code against the TFLite 2.9 C library (tools/armnn_reference's
// tflite_run, configured with -DARENAPLAN_TFLITE_RUN=PATH; skipped without it): small synthetic
// models, each operator reading the graph inputs and writing a graph output, run by `arenaplan run`
// and by TFLite on the same input bytes. Integer outputs must be identical; float32 outputs too,
// except where TFLite's optimised kernels compute a transcendental function differently from its
// reference kernels, which we follow (the bound is per operator below).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>

#include "arenaplan/kernels.h"
#include "arenaplan/tflite.h"
#include "emit/lookup_tables.h"
#include "emit/quantization.h"

#include "model_test_util.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

using test::OpSpec;
using test::TensorSpec;

constexpr int kFloat32 = 0, kInt32 = 2, kUint8 = 3, kInt64 = 4, kInt16 = 7, kInt8 = 9;
constexpr int kLogistic = 14, kMul = 18, kRelu = 19, kReluN1To1 = 20, kRelu6 = 21, kTanh = 28, kTranspose = 39,
              kMaximum = 55, kMinimum = 57, kHardSwish = 117, kDequantize = 6, kQuantize = 114, kArgMax = 56,
              kArgMin = 79, kCast = 53, kPack = 83, kUnpack = 88, kDiv = 42, kSquaredDifference = 99, kFloorMod = 95,
              kRsqrt = 76, kLogSoftmax = 50, kSpaceToBatchNd = 38, kBatchToSpaceNd = 37, kAdd = 0, kMean = 40,
              kSum = 74;

TensorSpec quantized(std::string name, int type, std::vector<std::int32_t> shape, float scale, std::int64_t zero) {
  TensorSpec t = test::tensor(std::move(name), type, std::move(shape));
  t.scale = {scale};
  t.zero_point = {zero};
  return t;
}

TensorSpec int32_constant(std::string name, const std::vector<std::int32_t>& values,
                          std::vector<std::int32_t> shape = {}) {
  if (shape.empty()) shape = {static_cast<std::int32_t>(values.size())};
  TensorSpec t = test::tensor(std::move(name), kInt32, std::move(shape));
  t.constant = true;
  t.data.resize(values.size() * 4);
  std::memcpy(t.data.data(), values.data(), t.data.size());
  return t;
}

struct Output {
  std::string op;          // for messages
  double tolerance = 0.0;  // float32 only: the largest |ours - TFLite| accepted
  std::int64_t steps = 0;  // integers: the largest difference accepted (0: byte-identical)
};

// A model of independent operators over the graph inputs; every operator's output is a graph output.
struct Oracle {
  test::ModelSpec spec;
  std::vector<Output> outputs;

  std::int32_t add(TensorSpec t) {
    spec.tensors.push_back(std::move(t));
    return static_cast<std::int32_t>(spec.tensors.size() - 1);
  }
  std::int32_t input(TensorSpec t) {
    const std::int32_t i = add(std::move(t));
    spec.inputs.push_back(i);
    return i;
  }
  void op(int builtin, std::vector<std::int32_t> inputs, TensorSpec out, std::string name, double tolerance = 0.0,
          int activation = 0, std::int64_t steps = 0) {
    const std::int32_t o = add(std::move(out));
    OpSpec s = test::op(builtin, std::move(inputs), {o});
    s.activation = activation;
    spec.ops.push_back(s);
    spec.outputs.push_back(o);
    outputs.push_back({std::move(name), tolerance, steps});
  }
};

std::int64_t element_bytes(int type) {
  return type == kInt64 ? 8 : type == kFloat32 || type == kInt32 ? 4 : type == kInt16 ? 2 : 1;
}

std::int64_t count(const TensorSpec& t) {
  std::int64_t n = 1;
  for (std::int32_t d : t.shape) n *= d;
  return n;
}

// Deterministic input bytes: the type's extremes first, then splitmix64 values (floats in [-20, 20),
// beyond both of LOGISTIC's cutoffs).
[[maybe_unused]] std::string input_bytes(const TensorSpec& t, std::uint64_t seed) {
  std::string bytes;
  std::uint64_t s = seed;
  for (std::int64_t i = 0; i < count(t); ++i) {
    s += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    if (t.type == kFloat32) {
      const float f = static_cast<float>(static_cast<double>(z >> 40) / 16777216.0 * 40.0 - 20.0);
      bytes.append(reinterpret_cast<const char*>(&f), 4);
    } else {
      const std::size_t size = static_cast<std::size_t>(element_bytes(t.type));
      if (i < 2) z = i == 0 ? 0x8080808080808080ULL : 0x7f7f7f7f7f7f7f7fULL;  // both ends of the signed range
      if (i == 2) z = 0xffffffffffffffffULL;
      if (i == 3) z = 0;
      bytes.append(reinterpret_cast<const char*>(&z), size);
    }
  }
  return bytes;
}

void expect_matches_tflite(const Oracle& o, const std::string& name) {
#ifndef ARENAPLAN_TFLITE_RUN
  (void)o;
  GTEST_SKIP() << name << ": configure with -DARENAPLAN_TFLITE_RUN=PATH to tools/armnn_reference's tflite_run";
#else
  const std::string dir = test::fresh_dir("generic-oracle", name);
  const std::vector<std::uint8_t> model = test::build_tflite(o.spec);
  const std::string path = dir + "/model.tflite";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(model.data()), static_cast<std::streamsize>(model.size()));
  std::string args = "run " + path + " --inputs", all;
  for (std::size_t i = 0; i < o.spec.inputs.size(); ++i) {
    const std::string file = dir + "/in" + std::to_string(i) + ".bin";
    const std::string bytes = input_bytes(o.spec.tensors[static_cast<std::size_t>(o.spec.inputs[i])], 17 + i);
    std::ofstream(file, std::ios::binary) << bytes;
    all += bytes;
    args += " " + file;
  }
  std::ofstream(dir + "/inputs.bin", std::ios::binary) << all;
  const auto r = test::run_arenaplan(args + " --save-io " + dir + "/io", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string command = std::string(ARENAPLAN_TFLITE_RUN) + " " + path + " " + dir + "/inputs.bin " + dir +
                              "/tflite.bin 2>" + dir + "/tflite.err";
  ASSERT_EQ(std::system(command.c_str()), 0) << test::slurp(dir + "/tflite.err");
  const std::string ours = test::slurp(dir + "/io/output_0.bin"), theirs = test::slurp(dir + "/tflite.bin");
  ASSERT_EQ(ours.size(), theirs.size());
  std::size_t at = 0;
  for (std::size_t k = 0; k < o.outputs.size(); ++k) {
    const TensorSpec& t = o.spec.tensors[static_cast<std::size_t>(o.spec.outputs[k])];
    const std::size_t bytes = static_cast<std::size_t>(count(t) * element_bytes(t.type));
    if (t.type != kFloat32 && o.outputs[k].steps == 0) {
      EXPECT_EQ(ours.substr(at, bytes), theirs.substr(at, bytes)) << o.outputs[k].op << " differs from TFLite";
    } else if (t.type != kFloat32) {
      // Where TFLite 2.9's optimised kernel and TFLite Micro's reference differ (stated per case).
      const auto element = [&](const std::string& b, std::size_t i) -> std::int64_t {
        if (t.type == kInt16) return static_cast<std::int16_t>(static_cast<std::uint8_t>(b[i]) | (b[i + 1] << 8));
        return t.type == kUint8 ? static_cast<std::uint8_t>(b[i]) : static_cast<std::int8_t>(b[i]);
      };
      const std::size_t size = static_cast<std::size_t>(element_bytes(t.type));
      std::int64_t worst = 0, differing = 0;
      for (std::size_t i = at; i < at + bytes; i += size) {
        const std::int64_t d = std::abs(element(ours, i) - element(theirs, i));
        worst = std::max(worst, d);
        differing += d != 0;
      }
      EXPECT_LE(worst, o.outputs[k].steps) << o.outputs[k].op;
      std::printf("%s: %lld of %zu values differ from TFLite 2.9, by at most %lld steps\n", o.outputs[k].op.c_str(),
                  static_cast<long long>(differing), bytes / size, static_cast<long long>(worst));
    } else {
      double worst = 0.0;
      for (std::size_t i = at; i < at + bytes; i += 4) {
        float a = 0, b = 0;
        std::memcpy(&a, ours.data() + i, 4);
        std::memcpy(&b, theirs.data() + i, 4);
        const double d = std::isnan(a) || std::isnan(b) ? (std::isnan(a) && std::isnan(b) ? 0.0 : INFINITY)
                                                        : std::fabs(static_cast<double>(a) - static_cast<double>(b));
        worst = std::max(worst, d);
      }
      EXPECT_LE(worst, o.outputs[k].tolerance) << o.outputs[k].op;
      std::printf("%s: max |ours - TFLite| = %.3g\n", o.outputs[k].op.c_str(), worst);
    }
    at += bytes;
  }
#endif
}

Oracle Int8Operators() {
  Oracle o;
  const std::int32_t x = o.input(quantized("x", kInt8, {1, 4, 4, 3}, 0.1f, -3));
  const std::int32_t y = o.input(quantized("y", kInt8, {3}, 0.05f, 7));
  const std::int32_t perm = o.add(int32_constant("perm", {0, 3, 1, 2}));
  o.op(kMul, {x, y}, quantized("mul", kInt8, {1, 4, 4, 3}, 0.07f, -10), "MUL int8 broadcast, RELU", 0, 1);
  o.op(kMul, {x, x}, quantized("square", kInt8, {1, 4, 4, 3}, 0.3f, 127), "MUL int8 square", 0, 0);
  o.op(kLogistic, {x}, quantized("logistic", kInt8, {1, 4, 4, 3}, 1.0f / 256, -128), "LOGISTIC int8");
  o.op(kTanh, {x}, quantized("tanh", kInt8, {1, 4, 4, 3}, 1.0f / 128, 0), "TANH int8");
  o.op(kRelu, {x}, quantized("relu", kInt8, {1, 4, 4, 3}, 0.05f, -128), "RELU int8");
  o.op(kRelu6, {x}, quantized("relu6", kInt8, {1, 4, 4, 3}, 0.03f, -100), "RELU6 int8");
  o.op(kReluN1To1, {x}, quantized("relu1", kInt8, {1, 4, 4, 3}, 0.01f, 0), "RELU_N1_TO_1 int8");
  o.op(kMaximum, {x, y}, quantized("max", kInt8, {1, 4, 4, 3}, 0.1f, -3), "MAXIMUM int8 broadcast");
  o.op(kMinimum, {y, x}, quantized("min", kInt8, {1, 4, 4, 3}, 0.1f, -3), "MINIMUM int8 broadcast");
  o.op(kTranspose, {x, perm}, quantized("transposed", kInt8, {1, 3, 4, 4}, 0.1f, -3), "TRANSPOSE int8");
  o.op(kHardSwish, {x}, quantized("hard_swish", kInt8, {1, 4, 4, 3}, 0.05f, -20), "HARD_SWISH int8");
  o.op(kHardSwish, {y}, quantized("hard_swish_y", kInt8, {3}, 0.002f, 100), "HARD_SWISH int8 (left shift)");
  // LOG_SOFTMAX int8: the output quantization is fixed (1/16, 127); rows of 3, 50 and 300 values,
  // input scales from 2^-20 to 1.5 (a wide diff_min cut-off and a sum of many exps).
  const TensorSpec log_out = quantized("log_softmax", kInt8, {1, 4, 4, 3}, 16.0f / 256, 127);
  o.op(kLogSoftmax, {x}, log_out, "LOG_SOFTMAX int8 rows of 3");
  const std::int32_t l = o.input(quantized("l", kInt8, {4, 50}, 0.2f, 10));
  o.op(kLogSoftmax, {l}, quantized("log_softmax_l", kInt8, {4, 50}, 16.0f / 256, 127), "LOG_SOFTMAX int8 rows of 50");
  const std::int32_t w = o.input(quantized("w", kInt8, {2, 300}, 1.5f, -5));
  o.op(kLogSoftmax, {w}, quantized("log_softmax_w", kInt8, {2, 300}, 16.0f / 256, 127), "LOG_SOFTMAX int8 scale 1.5");
  const std::int32_t t = o.input(quantized("t", kInt8, {3, 7}, 0x1p-20f, 0));
  o.op(kLogSoftmax, {t}, quantized("log_softmax_t", kInt8, {3, 7}, 16.0f / 256, 127), "LOG_SOFTMAX int8 scale 2^-20");
  return o;
}

TEST(GenericOracle, Int8Operators) { expect_matches_tflite(Int8Operators(), "int8"); }

Oracle Uint8AndInt16Operators() {
  Oracle o;
  const std::int32_t a = o.input(quantized("a", kUint8, {2, 8}, 0.02f, 128));
  const std::int32_t b = o.input(quantized("b", kUint8, {2, 8}, 0.04f, 0));
  const std::int32_t p = o.input(quantized("p", kInt16, {2, 8}, 1.0f / 1024, 0));
  const std::int32_t q = o.input(quantized("q", kInt16, {1, 8}, 1.0f / 4096, 0));
  o.op(kMul, {a, b}, quantized("mul_u8", kUint8, {2, 8}, 0.05f, 255), "MUL uint8");
  o.op(kMul, {p, q}, quantized("mul_s16", kInt16, {2, 8}, 1.0f / 2048, 0), "MUL int16 broadcast");
  o.op(kRelu, {a}, quantized("relu_u8", kUint8, {2, 8}, 0.01f, 3), "RELU uint8");
  o.op(kLogistic, {a}, quantized("logistic_u8", kUint8, {2, 8}, 1.0f / 256, 0), "LOGISTIC uint8");
  o.op(kTanh, {b}, quantized("tanh_u8", kUint8, {2, 8}, 1.0f / 128, 128), "TANH uint8");
  o.op(kHardSwish, {a}, quantized("hard_swish_u8", kUint8, {2, 8}, 0.03f, 60), "HARD_SWISH uint8");
  const std::int32_t c = o.input(quantized("c", kUint8, {2, 8}, 0.004f, 10));
  o.op(kHardSwish, {c}, quantized("hard_swish_c", kUint8, {2, 8}, 0.002f, 0), "HARD_SWISH uint8 (right shift)");
  o.op(kMaximum, {p, q}, quantized("max_s16", kInt16, {2, 8}, 1.0f / 1024, 0), "MAXIMUM int16 broadcast");
  const std::int32_t f = o.input(test::tensor("f", kFloat32, {2, 8}));
  o.op(kQuantize, {f}, quantized("quantized_u8", kUint8, {2, 8}, 0.1f, 100), "QUANTIZE float32 -> uint8");
  o.op(kQuantize, {f}, quantized("quantized_s16", kInt16, {2, 8}, 1.0f / 512, 0), "QUANTIZE float32 -> int16");
  o.op(kDequantize, {a}, test::tensor("dequantized_u8", kFloat32, {2, 8}), "DEQUANTIZE uint8");
  o.op(kDequantize, {p}, test::tensor("dequantized_s16", kFloat32, {2, 8}), "DEQUANTIZE int16");
  return o;
}

TEST(GenericOracle, Uint8AndInt16Operators) { expect_matches_tflite(Uint8AndInt16Operators(), "uint8-int16"); }

// uint8 MUL with output scales so small that the real multiplier needs a left shift over 30
// (coral's video_traffic has 3.1e30): TFLite's shift is undefined in C++, what tflite_run computes
// is matched (shifts 32, 35, 91 and 105; zero points that make products of both signs).
Oracle MulDegenerateScales() {
  Oracle o;
  const std::int32_t a = o.input(quantized("a", kUint8, {2, 8}, 0.02f, 128));
  const std::int32_t b = o.input(quantized("b", kUint8, {2, 8}, 0.04f, 10));
  const std::int32_t c = o.input(quantized("c", kUint8, {2, 8}, 0.02f, 0));
  const float product = 0.02f * 0.04f;
  o.op(kMul, {a, b}, quantized("shift32", kUint8, {2, 8}, product / 0x1p31f / 1.4f, 100), "MUL uint8, shift 32");
  o.op(kMul, {a, b}, quantized("shift35", kUint8, {2, 8}, product / 0x1p34f / 1.4f, 255), "MUL uint8, shift 35");
  o.op(kMul, {a, c}, quantized("shift91", kUint8, {2, 8}, product / 0x1p90f / 1.4f, 0), "MUL uint8, shift 91");
  o.op(kMul, {c, b}, quantized("shift105", kUint8, {2, 8}, 2.97e-35f, 7), "MUL uint8, shift 105");
  return o;
}

TEST(GenericOracle, MulDegenerateScales) { expect_matches_tflite(MulDegenerateScales(), "mul-degenerate"); }

// 64 boxes on an 8 x 8 grid of anchors (a constant, as in SSD models), 3 classes and a background
// column; random encodings and scores (uint8 scores tie often: the sorts' tie-breaks matter).
// Regular and fast NMS, float32 and uint8; all four outputs of each are compared.
Oracle DetectionPostprocess() {
  Oracle o;
  constexpr int kBoxes = 64, kColumns = 4;
  const std::int32_t fboxes = o.input(test::tensor("encodings_f32", kFloat32, {1, kBoxes, 4}));
  const std::int32_t fscores = o.input(test::tensor("scores_f32", kFloat32, {1, kBoxes, kColumns}));
  const std::int32_t qboxes = o.input(quantized("encodings_u8", kUint8, {1, kBoxes, 4}, 0.05f, 128));
  const std::int32_t qscores = o.input(quantized("scores_u8", kUint8, {1, kBoxes, kColumns}, 1.0f / 256, 0));
  TensorSpec fanchors = test::tensor("anchors_f32", kFloat32, {kBoxes, 4});
  TensorSpec qanchors = quantized("anchors_u8", kUint8, {kBoxes, 4}, 1.0f / 128, 0);
  fanchors.constant = qanchors.constant = true;
  for (int i = 0; i < kBoxes; ++i) {
    const float grid[4] = {(static_cast<float>(i / 8) + 0.5f) / 8, (static_cast<float>(i % 8) + 0.5f) / 8, 0.25f,
                           0.25f};
    for (float g : grid) {
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(&g);
      fanchors.data.insert(fanchors.data.end(), bytes, bytes + 4);
      qanchors.data.push_back(static_cast<std::uint8_t>(g * 128));
    }
  }
  const std::int32_t fa = o.add(fanchors), qa = o.add(qanchors);
  const auto detection = [&](std::vector<std::int32_t> inputs, const std::string& what, bool regular,
                             int max_detections, int per_detection, float threshold) {
    const int rows = max_detections * per_detection;
    std::vector<std::int32_t> outs;
    const char* parts[] = {"boxes", "classes", "scores", "count"};
    for (int k = 0; k < 4; ++k) {
      std::vector<std::int32_t> shape = k == 0   ? std::vector<std::int32_t>{1, rows, 4}
                                        : k == 3 ? std::vector<std::int32_t>{1}
                                                 : std::vector<std::int32_t>{1, rows};
      outs.push_back(o.add(test::tensor(what + "_" + parts[k], kFloat32, shape)));
      o.spec.outputs.push_back(outs.back());
      o.outputs.push_back({"TFLite_Detection_PostProcess " + what + " " + parts[k], 0.0});
    }
    OpSpec op = test::op(32, std::move(inputs), outs);
    op.custom = "TFLite_Detection_PostProcess";
    op.custom_options = test::detection_options(regular, max_detections, per_detection, 4, 3, threshold);
    o.spec.ops.push_back(op);
  };
  detection({fboxes, fscores, fa}, "regular_f32", true, 10, 1, 0.0f);
  detection({fboxes, fscores, fa}, "fast_f32", false, 6, 2, 0.0f);
  detection({qboxes, qscores, qa}, "regular_u8", true, 10, 1, 0.3f);
  detection({qboxes, qscores, qa}, "fast_u8", false, 6, 2, 0.3f);
  return o;
}

TEST(GenericOracle, DetectionPostprocess) { expect_matches_tflite(DetectionPostprocess(), "detection"); }

Oracle Float32Operators() {
  Oracle o;
  const std::int32_t x = o.input(test::tensor("x", kFloat32, {2, 1, 5}));
  const std::int32_t y = o.input(test::tensor("y", kFloat32, {3, 1}));
  const std::int32_t z = o.input(test::tensor("z", kFloat32, {3, 1, 4, 2, 2}));
  const std::int32_t perm = o.add(int32_constant("perm", {4, 2, 0, 3, 1}));
  o.op(kMul, {x, y}, test::tensor("mul", kFloat32, {2, 3, 5}), "MUL float32 broadcast, RELU6", 0, 3);
  o.op(kLogistic, {x}, test::tensor("logistic", kFloat32, {2, 1, 5}), "LOGISTIC float32", 1e-6);
  o.op(kTanh, {x}, test::tensor("tanh", kFloat32, {2, 1, 5}), "TANH float32", 1e-6);
  o.op(kHardSwish, {x}, test::tensor("hard_swish", kFloat32, {2, 1, 5}), "HARD_SWISH float32", 1e-6);
  o.op(kRelu, {x}, test::tensor("relu", kFloat32, {2, 1, 5}), "RELU float32");
  o.op(kRelu6, {x}, test::tensor("relu6", kFloat32, {2, 1, 5}), "RELU6 float32");
  o.op(kReluN1To1, {x}, test::tensor("relu1", kFloat32, {2, 1, 5}), "RELU_N1_TO_1 float32");
  o.op(kMaximum, {x, y}, test::tensor("max", kFloat32, {2, 3, 5}), "MAXIMUM float32 broadcast");
  o.op(kMinimum, {x, y}, test::tensor("min", kFloat32, {2, 3, 5}), "MINIMUM float32 broadcast");
  o.op(kTranspose, {z, perm}, test::tensor("transposed", kFloat32, {2, 4, 3, 2, 1}), "TRANSPOSE float32 rank 5");
  return o;
}

TEST(GenericOracle, Float32Operators) { expect_matches_tflite(Float32Operators(), "float32"); }

// ARG_MAX / ARG_MIN, CAST, PACK, UNPACK (UNPACK's outputs are graph outputs in order).
Oracle ArgCastPackUnpack() {
  Oracle o;
  const std::int32_t x = o.input(quantized("x", kInt8, {3, 4, 5}, 0.1f, 0));
  const std::int32_t f = o.input(test::tensor("f", kFloat32, {3, 4, 5}));
  const std::int32_t i = o.input(test::tensor("i", kInt32, {3, 4, 5}));
  const std::int32_t axis1 = o.add(int32_constant("axis1", {1}));
  const std::int32_t axis_last = o.add(int32_constant("axis_last", {-1}));
  o.op(kArgMax, {x, axis1}, test::tensor("argmax", kInt32, {3, 5}), "ARG_MAX int8 axis 1");
  o.op(kArgMin, {f, axis_last}, test::tensor("argmin", kInt32, {3, 4}), "ARG_MIN float32 axis -1");
  o.op(kCast, {f}, test::tensor("f_to_i", kInt32, {3, 4, 5}), "CAST float32 -> int32");
  o.op(kCast, {i}, test::tensor("i_to_f", kFloat32, {3, 4, 5}), "CAST int32 -> float32");
  o.op(kCast, {x}, test::tensor("x_to_i", kInt32, {3, 4, 5}), "CAST int8 -> int32");
  o.spec.ops.push_back(test::op(kPack, {x, x}, {o.add(quantized("packed", kInt8, {3, 2, 4, 5}, 0.1f, 0))}));
  o.spec.ops.back().axis = 1;
  o.spec.outputs.push_back(o.spec.ops.back().outputs[0]);
  o.outputs.push_back({"PACK int8 axis 1"});
  const std::int32_t u0 = o.add(test::tensor("u0", kFloat32, {3, 5})), u1 = o.add(test::tensor("u1", kFloat32, {3, 5})),
                     u2 = o.add(test::tensor("u2", kFloat32, {3, 5})), u3 = o.add(test::tensor("u3", kFloat32, {3, 5}));
  o.spec.ops.push_back(test::op(kUnpack, {f}, {u0, u1, u2, u3}));
  o.spec.ops.back().axis = 1;
  for (std::int32_t u : {u0, u1, u2, u3}) {
    o.spec.outputs.push_back(u);
    o.outputs.push_back({"UNPACK float32 axis 1"});
  }
  return o;
}

TEST(GenericOracle, ArgCastPackUnpack) { expect_matches_tflite(ArgCastPackUnpack(), "arg-cast-pack"); }

Oracle FloatArithmetic() {
  Oracle o;
  const std::int32_t x = o.input(test::tensor("x", kFloat32, {2, 3, 4}));
  const std::int32_t y = o.input(test::tensor("y", kFloat32, {3, 1}));
  const std::int32_t i = o.input(test::tensor("i", kInt32, {2, 3, 4}));
  const std::int32_t j = o.add(int32_constant("j", {3, -2, 5, -7}));  // TFLite fails on a zero divisor
  o.op(kDiv, {x, y}, test::tensor("div", kFloat32, {2, 3, 4}), "DIV float32 broadcast, RELU", 0, 1);
  o.op(kSquaredDifference, {x, y}, test::tensor("sqdiff", kFloat32, {2, 3, 4}), "SQUARED_DIFFERENCE float32");
  o.op(kFloorMod, {x, y}, test::tensor("fmod", kFloat32, {2, 3, 4}), "FLOOR_MOD float32");
  o.op(kFloorMod, {i, j}, test::tensor("imod", kInt32, {2, 3, 4}), "FLOOR_MOD int32");
  o.op(kMul, {i, j}, test::tensor("imul", kInt32, {2, 3, 4}), "MUL int32 (wrapping)");
  o.op(kDiv, {i, j}, test::tensor("idiv", kInt32, {2, 3, 4}), "DIV int32", 0, 3);
  o.op(kAdd, {i, j}, test::tensor("iadd", kInt32, {2, 3, 4}), "ADD int32 broadcast (wrapping)");
  o.op(kRsqrt, {y}, test::tensor("rsqrt", kFloat32, {3, 1}), "RSQRT float32 (NaN below 0 in both)", 1e-6);
  o.op(kLogSoftmax, {x}, test::tensor("log_softmax", kFloat32, {2, 3, 4}), "LOG_SOFTMAX float32", 1e-5);
  return o;
}

TEST(GenericOracle, FloatArithmetic) { expect_matches_tflite(FloatArithmetic(), "float-arithmetic"); }

Oracle SpaceBatch() {
  Oracle o;
  const std::int32_t x = o.input(quantized("x", kInt8, {2, 4, 6, 3}, 0.1f, 5));
  const std::int32_t f = o.input(test::tensor("f", kFloat32, {8, 2, 3, 2}));
  const std::int32_t g = o.input(test::tensor("g", kFloat32, {2, 5, 2}));
  const std::int32_t block = o.add(int32_constant("block", {2, 3}));
  const std::int32_t pads = o.add(int32_constant("pads", {1, 1, 0, 3}, {2, 2}));
  const std::int32_t block2 = o.add(int32_constant("block2", {2, 2}));
  const std::int32_t crops = o.add(int32_constant("crops", {1, 0, 0, 2}, {2, 2}));
  const std::int32_t block1 = o.add(int32_constant("block1", {2}));
  const std::int32_t pads1 = o.add(int32_constant("pads1", {1, 0}, {1, 2}));
  o.op(kSpaceToBatchNd, {x, block, pads}, quantized("s2b", kInt8, {12, 3, 3, 3}, 0.1f, 5),
       "SPACE_TO_BATCH_ND int8 (zero point padding)");
  o.op(kBatchToSpaceNd, {f, block2, crops}, test::tensor("b2s", kFloat32, {2, 3, 4, 2}), "BATCH_TO_SPACE_ND float32");
  o.op(kSpaceToBatchNd, {g, block1, pads1}, test::tensor("s2b3", kFloat32, {4, 3, 2}), "SPACE_TO_BATCH_ND 3-D");
  return o;
}

TEST(GenericOracle, SpaceBatch) { expect_matches_tflite(SpaceBatch(), "space-batch"); }

// int16 LOGISTIC / TANH (power-of-two and general input scales) and integer MEAN / SUM.
Oracle Int16ActivationsAndReductions() {
  constexpr std::int64_t kPotSteps = 10;  // measured: 6, 10 and 9 of 32768
  Oracle o;
  const std::int32_t a = o.input(quantized("a", kInt16, {4, 64}, 1.0f / 4096, 0));
  const std::int32_t b = o.input(quantized("b", kInt16, {4, 64}, 0.0007f, 0));
  const std::int32_t c = o.input(quantized("c", kInt16, {4, 64}, 1.0f / 2048, 0));
  const TensorSpec q15 = quantized("y", kInt16, {4, 64}, 1.0f / 32768, 0);
  o.op(kLogistic, {a}, q15, "LOGISTIC int16 scale 2^-12 (TFLite 2.9: gemmlowp)", 0, 0, kPotSteps);
  o.op(kLogistic, {b}, q15, "LOGISTIC int16 scale 0.0007");
  o.op(kLogistic, {c}, q15, "LOGISTIC int16 scale 2^-11");
  o.op(kTanh, {a}, q15, "TANH int16 scale 2^-12 (TFLite 2.9: gemmlowp)", 0, 0, kPotSteps);
  o.op(kTanh, {b}, q15, "TANH int16 scale 0.0007");
  o.op(kTanh, {c}, q15, "TANH int16 scale 2^-11 (TFLite 2.9: gemmlowp)", 0, 0, kPotSteps);
  const std::int32_t x = o.input(quantized("x", kInt8, {2, 5, 4, 3}, 0.05f, -7));
  const std::int32_t u = o.input(quantized("u", kUint8, {2, 5, 4, 3}, 0.02f, 131));
  const std::int32_t w = o.input(quantized("w", kInt16, {2, 5, 4, 3}, 0.001f, 0));
  const std::int32_t hw = o.add(int32_constant("hw", {1, 2}));
  const std::int32_t last = o.add(int32_constant("last", {-1}));
  const std::int32_t first = o.add(int32_constant("first", {0, 3}));
  const auto reduce = [&](int builtin, std::int32_t in, std::int32_t axes, TensorSpec out, std::string name, bool keep,
                          std::int64_t steps = 0) {
    o.op(builtin, {in, axes}, std::move(out), std::move(name), 0, 0, steps);
    o.spec.ops.back().keep_dims = keep;
  };
  reduce(kMean, x, hw, quantized("m1", kInt8, {2, 1, 1, 3}, 0.05f, -7),
         "MEAN int8 H,W keep_dims, same quantization (TFLite 2.9 rounds, TFLite Micro truncates)", true, 1);
  reduce(kMean, x, hw, quantized("m2", kInt8, {2, 1, 1, 3}, 0.01f, 20), "MEAN int8 H,W keep_dims, rescaled", true);
  reduce(kMean, x, last, quantized("m3", kInt8, {2, 5, 4}, 0.003f, -128), "MEAN int8 last axis (saturating)", false);
  reduce(kMean, u, hw, quantized("m4", kUint8, {2, 1, 1, 3}, 0.01f, 128), "MEAN uint8 H,W keep_dims", true);
  reduce(kMean, w, first, quantized("m5", kInt16, {5, 4}, 0.0005f, 0), "MEAN int16 axes 0,3", false);
  reduce(kSum, x, hw, quantized("s1", kInt8, {2, 3}, 0.4f, 3), "SUM int8 H,W", false);
  reduce(kSum, w, last, quantized("s2", kInt16, {2, 5, 4}, 0.001f, 0),
         "SUM int16 last axis (TFLite 2.9 needs equal scales)", false);
  reduce(kSum, u, first, quantized("s3", kUint8, {5, 4}, 0.5f, 100), "SUM uint8 axes 0,3", false);
  constexpr int kSoftmax = 25;
  const std::int32_t logits = o.input(quantized("logits", kInt16, {3, 40}, 0.0003f, 0));
  o.op(kSoftmax, {logits}, quantized("softmax16", kInt16, {3, 40}, 1.0f / 32768, 0), "SOFTMAX int16");
  o.op(kSoftmax, {b}, quantized("softmax16b", kInt16, {4, 64}, 1.0f / 32768, 0), "SOFTMAX int16 beta 0.5");
  o.spec.ops.back().beta = 0.5f;
  return o;
}

TEST(GenericOracle, Int16ActivationsAndReductions) {
  expect_matches_tflite(Int16ActivationsAndReductions(), "int16-reduce");
}

// Every operator of the models above: TFLite Micro's kernels (reference, cmsis-nn) request no
// scratch buffer for it (the profiles' table says so), the `arenaplan` profile has a kernel for
// it with none either, and the element-wise ones may write over their dying input.
TEST(GenericProfiles, NoScratchAndElementwiseOverlaps) {
  const std::set<std::string> elementwise{"ap_relu_q",       "ap_relu_f32",        "ap_lookup_8bit",
                                          "ap_logistic_f32", "ap_tanh_f32",        "ap_hard_swish_f32",
                                          "ap_quantize_f32", "ap_dequantize_f32",  "ap_cast",
                                          "ap_rsqrt_f32",    "ap_log_softmax_f32", "ap_log_softmax_s8"};
  for (const Oracle& o : {Int8Operators(), Uint8AndInt16Operators(), Float32Operators(), ArgCastPackUnpack(),
                          FloatArithmetic(), SpaceBatch()}) {
    const Graph g = parse_tflite(test::build_tflite(o.spec), "generic.tflite");
    for (std::size_t op = 0; op < g.operators.size(); ++op) {
      SCOPED_TRACE(g.operators[op].opcode);
      for (const char* profile : {"reference", "cmsis-nn"}) {
        const OperatorMemory m = kernel_profile(profile).describe(g, op);
        EXPECT_TRUE(m.known) << profile;
        EXPECT_TRUE(m.scratch.empty()) << profile;
      }
      const OperatorMemory m = kernel_profile("arenaplan").describe_overlapping(g, op);
      EXPECT_TRUE(m.known) << m.kernel;
      EXPECT_TRUE(m.scratch.empty());
      if (elementwise.contains(m.kernel)) {
        ASSERT_EQ(m.overlaps.size(), 1u) << m.kernel;
        const Tensor& in = g.tensors[static_cast<std::size_t>(g.operators[op].inputs[0])];
        const Tensor& out = g.tensors[static_cast<std::size_t>(g.operators[op].outputs[0])];
        if (in.type == out.type) {
          EXPECT_EQ(m.overlaps[0].distance, 0) << m.kernel;  // in place
        }
      }
    }
  }
}

// int8 LOG_SOFTMAX runs only with the output quantization TFLite requires and an input scale its
// preparation accepts; otherwise the operator is not modelled (compile stops with the reason).
TEST(GenericProfiles, LogSoftmaxInt8Quantization) {
  const auto describe = [](float in_scale, float out_scale, std::int64_t out_zero) {
    test::ModelSpec spec;
    spec.tensors = {quantized("x", kInt8, {2, 8}, in_scale, 0), quantized("y", kInt8, {2, 8}, out_scale, out_zero)};
    spec.inputs = {0};
    spec.outputs = {1};
    spec.ops = {test::op(kLogSoftmax, {0}, {1})};
    const Graph g = parse_tflite(test::build_tflite(spec), "log_softmax.tflite");
    return kernel_profile("arenaplan").describe(g, 0);
  };
  EXPECT_EQ(describe(0.1f, 16.0f / 256, 127).kernel, "ap_log_softmax_s8");
  EXPECT_FALSE(describe(0.1f, 0.1f, 127).known);             // not 1/16
  EXPECT_FALSE(describe(0.1f, 16.0f / 256, 0).known);        // not zero point 127
  EXPECT_FALSE(describe(0x1p-26f, 16.0f / 256, 127).known);  // TFLite's Prepare aborts
  EXPECT_FALSE(describe(16.0f, 16.0f / 256, 127).known);     // a left shift of 31
  EXPECT_TRUE(describe(15.9f, 16.0f / 256, 127).known);
}

// The int8 HARD_SWISH table on the values worked out by hand: 0 stays at the zero point, x <= -3
// is 0, x >= 3 is x; 1.0 is 1 * 4 / 6 = 0.667 (13 steps of 0.05 from zero point -20).
TEST(GenericProfiles, HardSwishTableHandValues) {
  const TensorSpec in_spec = quantized("in", kInt8, {1}, 0.1f, -3), out_spec = quantized("out", kInt8, {1}, 0.05f, -20);
  Tensor in, out;
  in.type = out.type = DataType::int8;
  in.quantization.scale = in_spec.scale;
  in.quantization.zero_point = in_spec.zero_point;
  out.quantization.scale = out_spec.scale;
  out.quantization.zero_point = out_spec.zero_point;
  const c_out::ByteTable t = c_out::hard_swish_table(in, out);
  const auto at = [&](int q) { return static_cast<int>(static_cast<std::int8_t>(t[static_cast<std::uint8_t>(q)])); };
  EXPECT_EQ(at(-3), -20);                 // x = 0
  EXPECT_EQ(at(-3 - 40), -20);            // x = -4
  EXPECT_NEAR(at(-3 + 40), -20 + 80, 1);  // x = 4: 4 / 0.05 = 80 steps (16-bit fixed point: +-1)
  EXPECT_NEAR(at(-3 + 10), -20 + 13, 1);  // x = 1: 0.667 / 0.05 = 13.3
  EXPECT_EQ(at(127), 127);                // x = 13: 260 steps, saturated
}

// A LOGISTIC table for an output scale so small that value / scale leaves int32 (TFLite's cast is
// undefined there; a fuzzed model found ours was too): every entry saturates, nothing overflows.
TEST(GenericProfiles, LogisticTableTinyOutputScale) {
  Tensor in, out;
  in.type = out.type = DataType::int8;
  in.quantization.scale = {0.1f};
  in.quantization.zero_point = {0};
  out.quantization.scale = {1e-20f};
  out.quantization.zero_point = {-128};
  const c_out::ByteTable t = c_out::float_function_table(c_out::TableFunction::logistic, in, out);
  for (int q = -128; q <= 127; ++q) EXPECT_EQ(static_cast<std::int8_t>(t[static_cast<std::uint8_t>(q)]), 127) << q;
  EXPECT_EQ(c_out::saturate_to(std::nan(""), -128, 127), -128);
  EXPECT_EQ(c_out::saturate_to(-6.6e13, -128, 127), -128);
  EXPECT_EQ(c_out::saturate_to(3e9, -32768, 32767), 32767);
}

// The int16 activations and integer reductions: the `arenaplan` kernels need no scratch;
// TFLite Micro's (reference, cmsis-nn) MEAN / SUM ask for one int32 sum per output element (int8
// and int16 inputs) besides the temp index and resolved axes, LOGISTIC / TANH / SOFTMAX for
// nothing (int16 SOFTMAX keeps its two tables in persistent memory, ours are constants).
TEST(GenericProfiles, Int16ActivationsAndReductionsScratch) {
  const Oracle o = Int16ActivationsAndReductions();
  const Graph g = parse_tflite(test::build_tflite(o.spec), "int16.tflite");
  for (std::size_t op = 0; op < g.operators.size(); ++op) {
    SCOPED_TRACE(o.outputs[op].op);
    const OperatorMemory ours = kernel_profile("arenaplan").describe(g, op);
    EXPECT_TRUE(ours.known);
    EXPECT_TRUE(ours.scratch.empty());
    const Tensor& in = g.tensors[static_cast<std::size_t>(g.operators[op].inputs[0])];
    const Tensor& out = g.tensors[static_cast<std::size_t>(g.operators[op].outputs[0])];
    for (const char* profile : {"reference", "cmsis-nn"}) {
      const OperatorMemory m = kernel_profile(profile).describe(g, op);
      ASSERT_TRUE(m.known) << profile;
      const std::string& code = g.operators[op].opcode;
      if (code == "LOGISTIC" || code == "TANH" || code == "SOFTMAX") {  // int16 SOFTMAX: persistent tables
        EXPECT_TRUE(m.scratch.empty()) << profile;
      } else if (in.type == DataType::uint8) {
        EXPECT_EQ(m.scratch.size(), 2u) << profile;
      } else {
        ASSERT_EQ(m.scratch.size(), 3u) << profile;
        EXPECT_EQ(m.scratch[0].size, out.elements() * 4) << profile;
      }
    }
  }
}

}  // namespace
}  // namespace arenaplan
