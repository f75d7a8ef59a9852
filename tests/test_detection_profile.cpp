// The `reference` profile's TFLite_Detection_PostProcess: TFLite Micro's eleven scratch requests,
// sized by hand for 10 boxes, 3 class scores per box (2 classes and background) and 5 detections;
// the `arenaplan` profile's work buffers for the same operator and its option checks; the output
// shapes the importer gives a model that stores them unknown.
#include <gtest/gtest.h>

#include <flatbuffers/flexbuffers.h>

#include <functional>

#include "arenaplan/error.h"
#include "arenaplan/kernels.h"
#include "arenaplan/tflite.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

Graph detection_graph() {
  Graph g;
  g.source = "detection.tflite";
  const auto tensor = [&](std::vector<std::int64_t> shape, DataType type) {
    Tensor t;
    t.name = "t" + std::to_string(g.tensors.size());
    t.type = type;
    t.shape = std::move(shape);
    t.bytes = *data_bytes(type, t.elements(), t.name);
    g.tensors.push_back(t);
  };
  tensor({1, 10, 4}, DataType::uint8);
  tensor({1, 10, 3}, DataType::uint8);
  tensor({10, 4}, DataType::uint8);
  tensor({1, 5, 4}, DataType::float32);
  tensor({1, 5}, DataType::float32);
  tensor({1, 5}, DataType::float32);
  tensor({1}, DataType::float32);
  Operator op;
  op.opcode = "TFLite_Detection_PostProcess";
  op.custom = true;
  op.inputs = {0, 1, 2};
  op.outputs = {3, 4, 5, 6};
  op.attributes = {{"max_detections", 5}, {"num_classes", 2}, {"max_classes_per_detection", 1}};
  op.real_attributes = {{"nms_score_threshold", 0.3},
                        {"nms_iou_threshold", 0.6},
                        {"y_scale", 10.0},
                        {"x_scale", 10.0},
                        {"h_scale", 5.0},
                        {"w_scale", 5.0}};
  g.tensors[0].quantization = g.tensors[1].quantization = g.tensors[2].quantization = {{0.1f}, {0}, 0};
  g.operators.push_back(op);
  g.inputs = {0, 1};
  g.outputs = {3, 4, 5, 6};
  return g;
}

TEST(DetectionProfile, TfliteMicroScratchRequestsInOrder) {
  const OperatorMemory m = kernel_profile("reference").describe(detection_graph(), 0);
  ASSERT_TRUE(m.known) << m.kernel;
  std::vector<Bytes> sizes;
  for (const ScratchRequest& s : m.scratch) sizes.push_back(s.size);
  EXPECT_EQ(sizes, (std::vector<Bytes>{10, 160, 120, 40, 40, 200, 200, 40, 200, 200, 200}));
}

TEST(DetectionProfile, MissingOptionsAreNotModelled) {
  Graph g = detection_graph();
  g.operators[0].attributes.erase("max_detections");
  const OperatorMemory m = kernel_profile("reference").describe(g, 0);
  EXPECT_FALSE(m.known);
  EXPECT_EQ(m.kernel, "TFLite_Detection_PostProcess without max_detections and num_classes options");
}

// ap_detection_scratch for 10 boxes, 5 detections, 2 classes, detections_per_class 100 (its
// default): boxes 10 x 4 floats, four per-box arrays of 4 bytes and one of flags, selected
// max(100, 5), candidates / scores / ranks 5 + 100, best 5 (int32 and float).
TEST(DetectionProfile, ArenaplanWorkBuffers) {
  const OperatorMemory m = kernel_profile("arenaplan").describe(detection_graph(), 0);
  ASSERT_TRUE(m.known) << m.kernel;
  EXPECT_EQ(m.kernel, "ap_detection_postprocess");
  std::vector<Bytes> sizes;
  for (const ScratchRequest& s : m.scratch) sizes.push_back(s.size);
  EXPECT_EQ(sizes, (std::vector<Bytes>{160, 40, 40, 40, 10, 400, 420, 420, 420, 20, 20}));
}

TEST(DetectionProfile, ArenaplanRefusesBadOptionsNamingTheOperator) {
  const auto refusal = [](const std::function<void(Graph&)>& change) {
    Graph g = detection_graph();
    change(g);
    try {
      kernel_profile("arenaplan").describe(g, 0);
    } catch (const InputError& e) { return std::string(e.what()); }
    return std::string("accepted");
  };
  EXPECT_NE(refusal([](Graph& g) {
              g.operators[0].real_attributes["nms_iou_threshold"] = 0.0;
            }).find("operator 0 (TFLite_Detection_PostProcess): custom option 'nms_iou_threshold' must be in (0, 1]"),
            std::string::npos);
  EXPECT_NE(refusal([](Graph& g) {
              g.operators[0].real_attributes.erase("y_scale");
            }).find("custom option 'y_scale' is missing"),
            std::string::npos);
  EXPECT_NE(refusal([](Graph& g) { g.operators[0].attributes["num_classes"] = 5; }).find("3 class scores per box"),
            std::string::npos);
  EXPECT_NE(refusal([](Graph& g) { g.operators[0].attributes["max_detections"] = 4; }).find("= 4 rows"),
            std::string::npos);
  EXPECT_EQ(refusal([](Graph&) {}), "accepted");
}

// The SSD models store the four outputs without a shape (TFLite's Prepare sizes them): the
// importer gives them [1, N, 4], [1, N], [1, N] and [1], N = max_detections * max_classes_per_detection.
TEST(DetectionProfile, UnknownOutputShapesComeFromTheOptions) {
  test::ModelSpec spec;
  spec.tensors = {test::tensor("boxes", 0, {1, 10, 4}), test::tensor("scores", 0, {1, 10, 3}),
                  test::tensor("anchors", 0, {10, 4}),  test::tensor("out_boxes", 0, {}),
                  test::tensor("out_classes", 0, {}),   test::tensor("out_scores", 0, {}),
                  test::tensor("count", 0, {})};
  spec.tensors[2].constant = true;
  test::OpSpec op = test::op(32, {0, 1, 2}, {3, 4, 5, 6});
  op.custom = "TFLite_Detection_PostProcess";
  flexbuffers::Builder b;
  b.Map([&] {
    b.Int("max_detections", 5);
    b.Int("max_classes_per_detection", 2);
    b.Float("nms_iou_threshold", 0.5f);
  });
  b.Finish();
  op.custom_options = b.GetBuffer();
  spec.ops = {op};
  spec.inputs = {0, 1};
  spec.outputs = {3, 4, 5, 6};
  const std::vector<std::uint8_t> bytes = test::build_tflite(spec);
  const Graph g = parse_tflite(bytes, "ssd.tflite");
  EXPECT_EQ(g.tensors[3].shape, (std::vector<std::int64_t>{1, 10, 4}));
  EXPECT_EQ(g.tensors[4].shape, (std::vector<std::int64_t>{1, 10}));
  EXPECT_EQ(g.tensors[6].shape, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(g.tensors[3].bytes, 160);
  EXPECT_EQ(g.operators[0].real_attributes.at("nms_iou_threshold"), 0.5);
}

}  // namespace
}  // namespace arenaplan
