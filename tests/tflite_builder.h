// Builds small .tflite flatbuffers in memory for tests (with the generated schema header).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace arenaplan::test {

struct TensorSpec {
  std::string name;
  int type = 9;  // tflite::TensorType (9 = INT8, 0 = FLOAT32, 2 = INT32)
  std::vector<std::int32_t> shape;
  std::vector<std::int32_t> signature;  // shape_signature; empty: none
  bool constant = false;                // gets a data buffer of the tensor's size (16 bytes if absurd)
  bool variable = false;
  std::vector<float> scale;              // quantization (per tensor: one entry); empty: none
  std::vector<std::int64_t> zero_point;  // as many as scale
  std::vector<std::uint8_t> data;        // a constant's bytes; empty: the default filler
  bool empty_buffer = false;             // refers to a buffer of its own that holds no data
};

struct OpSpec {
  int builtin = 0;            // tflite::BuiltinOperator, written to builtin_code
  int deprecated = -1;        // deprecated_builtin_code; -1: min(builtin, 127)
  bool omit_builtin = false;  // leave builtin_code at its default (old files)
  std::string custom;         // custom op name (builtin must be 32 = CUSTOM)
  std::vector<std::int32_t> inputs, outputs;
  // DEPTHWISE_CONV_2D / CONV_2D options
  int padding = 0, stride = 1, depth_multiplier = 1;
  int activation = 0;      // MUL's fused activation (tflite::ActivationFunctionType)
  int dilation = 1;        // CONV_2D / DEPTHWISE_CONV_2D
  int filter = 0;          // > 0: a Pool2DOptions filter of this size (AVERAGE/MAX_POOL_2D)
  int axis = 0;            // PACK / UNPACK / CONCATENATION
  bool keep_dims = false;  // MEAN / SUM (ReducerOptions)
  int begin_mask = 0, end_mask = 0, shrink_axis_mask = 0;  // STRIDED_SLICE
  float beta = 1.0f;                                       // SOFTMAX
  std::vector<std::uint8_t> custom_options;                // a custom op's options (a flexbuffer), written as given
};

struct ModelSpec {
  std::vector<TensorSpec> tensors;
  std::vector<OpSpec> ops;
  std::vector<std::int32_t> inputs, outputs;
  int extra_subgraphs = 0;
};

std::vector<std::uint8_t> build_tflite(const ModelSpec& spec);

// TFLite_Detection_PostProcess's custom options as TFLite's converter writes them (a flexbuffer
// map): IoU threshold 0.45, scales 10, 10, 5, 5.
std::vector<std::uint8_t> detection_options(bool regular_nms, int max_detections, int max_classes_per_detection,
                                            int detections_per_class, int num_classes, float score_threshold);
// PosenetDecoderOp's custom options as Coral's PoseNet models carry them.
std::vector<std::uint8_t> posenet_options(int max_detections, float score_threshold, int stride, float nms_radius);

inline TensorSpec tensor(std::string name, int type, std::vector<std::int32_t> shape,
                         std::vector<std::int32_t> signature = {}) {
  TensorSpec t;
  t.name = std::move(name);
  t.type = type;
  t.shape = std::move(shape);
  t.signature = std::move(signature);
  return t;
}

inline OpSpec op(int builtin, std::vector<std::int32_t> inputs, std::vector<std::int32_t> outputs) {
  OpSpec o;
  o.builtin = builtin;
  o.inputs = std::move(inputs);
  o.outputs = std::move(outputs);
  return o;
}

}  // namespace arenaplan::test
