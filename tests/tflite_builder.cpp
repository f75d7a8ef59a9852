#include "tflite_builder.h"

#include <algorithm>

#include <flatbuffers/flexbuffers.h>

#include "tflite/schema_generated.h"

namespace arenaplan::test {

std::vector<std::uint8_t> build_tflite(const ModelSpec& spec) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers{tflite::CreateBuffer(fbb)};
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
  for (const TensorSpec& t : spec.tensors) {
    std::uint32_t buffer = 0;
    if (t.constant) {
      // Data of the tensor's full size (a shorter buffer is a corrupt model), 16 bytes for
      // absurd shapes that tests expect to be refused anyway.
      std::int64_t bytes = t.type == 0 || t.type == 2 ? 4 : t.type == 4 ? 8 : t.type == 1 || t.type == 7 ? 2 : 1;
      for (std::int32_t d : t.shape) bytes = d > 0 && bytes <= (std::int64_t{1} << 20) ? bytes * d : 16;
      std::vector<std::uint8_t> data(static_cast<std::size_t>(std::min<std::int64_t>(bytes, std::int64_t{1} << 20)), 1);
      if (!t.data.empty()) data = t.data;
      buffers.push_back(tflite::CreateBuffer(fbb, fbb.CreateVector(data)));
      buffer = static_cast<std::uint32_t>(buffers.size() - 1);
    } else if (t.empty_buffer) {
      buffers.push_back(tflite::CreateBuffer(fbb));
      buffer = static_cast<std::uint32_t>(buffers.size() - 1);
    }
    auto signature = t.signature.empty() ? 0 : fbb.CreateVector(t.signature);
    auto quantization = t.scale.empty() ? 0
                                        : tflite::CreateQuantizationParameters(fbb, 0, 0, fbb.CreateVector(t.scale),
                                                                               fbb.CreateVector(t.zero_point));
    tensors.push_back(tflite::CreateTensor(fbb, fbb.CreateVector(t.shape), static_cast<tflite::TensorType>(t.type),
                                           buffer, fbb.CreateString(t.name), quantization, t.variable, 0, signature));
  }
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes;
  std::vector<flatbuffers::Offset<tflite::Operator>> ops;
  for (const OpSpec& op : spec.ops) {
    const int deprecated = op.deprecated >= 0 ? op.deprecated : std::min(op.builtin, 127);
    auto custom = op.custom.empty() ? 0 : fbb.CreateString(op.custom);
    codes.push_back(tflite::CreateOperatorCode(
        fbb, static_cast<std::int8_t>(deprecated), custom, 1,
        op.omit_builtin ? tflite::BuiltinOperator::ADD : static_cast<tflite::BuiltinOperator>(op.builtin)));
    auto options_type = tflite::BuiltinOptions::NONE;
    flatbuffers::Offset<void> options = 0;
    const auto padding = static_cast<tflite::Padding>(op.padding);
    if (op.builtin == static_cast<int>(tflite::BuiltinOperator::DEPTHWISE_CONV_2D)) {
      options_type = tflite::BuiltinOptions::DepthwiseConv2DOptions;
      options = tflite::CreateDepthwiseConv2DOptions(fbb, padding, op.stride, op.stride, op.depth_multiplier,
                                                     tflite::ActivationFunctionType::NONE, op.dilation, op.dilation)
                    .Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::CONV_2D)) {
      options_type = tflite::BuiltinOptions::Conv2DOptions;
      options = tflite::CreateConv2DOptions(fbb, padding, op.stride, op.stride, tflite::ActivationFunctionType::NONE,
                                            op.dilation, op.dilation)
                    .Union();
    } else if (op.builtin == 1 || op.builtin == 17) {  // AVERAGE_POOL_2D, MAX_POOL_2D
      options_type = tflite::BuiltinOptions::Pool2DOptions;
      options = tflite::CreatePool2DOptions(fbb, padding, op.stride, op.stride, op.filter, op.filter).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::CONCATENATION)) {
      options_type = tflite::BuiltinOptions::ConcatenationOptions;
      options = tflite::CreateConcatenationOptions(fbb, op.axis).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::PACK)) {
      options_type = tflite::BuiltinOptions::PackOptions;
      options = tflite::CreatePackOptions(fbb, static_cast<std::int32_t>(op.inputs.size()), op.axis).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::UNPACK)) {
      options_type = tflite::BuiltinOptions::UnpackOptions;
      options = tflite::CreateUnpackOptions(fbb, static_cast<std::int32_t>(op.outputs.size()), op.axis).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::ARG_MAX)) {
      options_type = tflite::BuiltinOptions::ArgMaxOptions;
      options = tflite::CreateArgMaxOptions(fbb, tflite::TensorType::INT32).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::ARG_MIN)) {
      options_type = tflite::BuiltinOptions::ArgMinOptions;
      options = tflite::CreateArgMinOptions(fbb, tflite::TensorType::INT32).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::DIV)) {
      options_type = tflite::BuiltinOptions::DivOptions;
      options = tflite::CreateDivOptions(fbb, static_cast<tflite::ActivationFunctionType>(op.activation)).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::MUL)) {
      options_type = tflite::BuiltinOptions::MulOptions;
      options = tflite::CreateMulOptions(fbb, static_cast<tflite::ActivationFunctionType>(op.activation)).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::MEAN) ||
               op.builtin == static_cast<int>(tflite::BuiltinOperator::SUM)) {
      options_type = tflite::BuiltinOptions::ReducerOptions;
      options = tflite::CreateReducerOptions(fbb, op.keep_dims).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::SOFTMAX)) {
      options_type = tflite::BuiltinOptions::SoftmaxOptions;
      options = tflite::CreateSoftmaxOptions(fbb, op.beta).Union();
    } else if (op.builtin == static_cast<int>(tflite::BuiltinOperator::STRIDED_SLICE)) {
      options_type = tflite::BuiltinOptions::StridedSliceOptions;
      options = tflite::CreateStridedSliceOptions(fbb, op.begin_mask, op.end_mask, 0, 0, op.shrink_axis_mask).Union();
    }
    const auto custom_options = op.custom_options.empty() ? 0 : fbb.CreateVector(op.custom_options);
    ops.push_back(tflite::CreateOperator(fbb, static_cast<std::uint32_t>(codes.size() - 1), fbb.CreateVector(op.inputs),
                                         fbb.CreateVector(op.outputs), options_type, options, custom_options));
  }
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs;
  subgraphs.push_back(tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(spec.inputs),
                                             fbb.CreateVector(spec.outputs), fbb.CreateVector(ops)));
  for (int i = 0; i < spec.extra_subgraphs; ++i) subgraphs.push_back(tflite::CreateSubGraph(fbb));
  auto model =
      tflite::CreateModel(fbb, 3, fbb.CreateVector(codes), fbb.CreateVector(subgraphs), 0, fbb.CreateVector(buffers));
  tflite::FinishModelBuffer(fbb, model);
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

std::vector<std::uint8_t> detection_options(bool regular_nms, int max_detections, int max_classes_per_detection,
                                            int detections_per_class, int num_classes, float score_threshold) {
  flexbuffers::Builder b;
  b.Map([&] {
    b.Int("max_detections", max_detections);
    b.Int("max_classes_per_detection", max_classes_per_detection);
    b.Int("detections_per_class", detections_per_class);
    b.Bool("use_regular_nms", regular_nms);
    b.Float("nms_score_threshold", score_threshold);
    b.Float("nms_iou_threshold", 0.45f);
    b.Int("num_classes", num_classes);
    b.Float("y_scale", 10.0f);
    b.Float("x_scale", 10.0f);
    b.Float("h_scale", 5.0f);
    b.Float("w_scale", 5.0f);
  });
  b.Finish();
  return b.GetBuffer();
}

std::vector<std::uint8_t> posenet_options(int max_detections, float score_threshold, int stride, float nms_radius) {
  flexbuffers::Builder b;
  b.Map([&] {
    b.Int("max_detections", max_detections);
    b.Float("score_threshold", score_threshold);
    b.Int("stride", stride);
    b.Float("nms_radius", nms_radius);
  });
  b.Finish();
  return b.GetBuffer();
}

}  // namespace arenaplan::test
