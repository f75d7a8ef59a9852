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

// Appends a tensor named t<index> of `shape` and `type` to g.
void add_tensor(Graph& g, std::vector<std::int64_t> shape, DataType type) {
  Tensor t;
  t.name = "t" + std::to_string(g.tensors.size());
  t.type = type;
  t.shape = std::move(shape);
  t.bytes = *data_bytes(type, t.elements(), t.name);
  g.tensors.push_back(t);
}

Graph detection_graph() {
  Graph g;
  g.source = "detection.tflite";
  const auto tensor = [&](std::vector<std::int64_t> shape, DataType type) { add_tensor(g, std::move(shape), type); };
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

Graph posenet_graph() {
  Graph g;
  g.source = "posenet.tflite";
  const auto tensor = [&](std::vector<std::int64_t> shape, DataType type) {
    add_tensor(g, std::move(shape), type);
    if (type == DataType::uint8) g.tensors.back().quantization = {{0.1f}, {128}, 0};
  };
  tensor({1, 23, 31, 17}, DataType::uint8);
  tensor({1, 23, 31, 34}, DataType::uint8);
  tensor({1, 23, 31, 64}, DataType::float32);
  tensor({1, 20, 17, 2}, DataType::float32);
  tensor({1, 20, 17}, DataType::float32);
  tensor({1, 20}, DataType::float32);
  tensor({1}, DataType::float32);
  Operator op;
  op.opcode = "PosenetDecoderOp";
  op.custom = true;
  op.inputs = {0, 1, 2};
  op.outputs = {3, 4, 5, 6};
  op.attributes = {{"max_detections", 20}, {"stride", 16}};
  op.real_attributes = {{"score_threshold", 0.2}, {"nms_radius", 10.0}};
  g.operators.push_back(op);
  g.inputs = {0, 1, 2};
  g.outputs = {3, 4, 5, 6};
  return g;
}

// ap_posenet_scratch for PoseNet's 23 x 31 grid and 20 detections: the root candidates' heap (an
// int32 per heatmap value, 23 * 31 * 17 * 4), the decoding queue (33 int32) and its keypoints
// (33 x 16 bytes), the poses (20 x 17 x 2 floats), keypoint scores, pose scores and order.
TEST(DetectionProfile, PosenetWorkBuffers) {
  const OperatorMemory m = kernel_profile("arenaplan").describe(posenet_graph(), 0);
  ASSERT_TRUE(m.known) << m.kernel;
  EXPECT_EQ(m.kernel, "ap_posenet_decoder");
  std::vector<Bytes> sizes;
  for (const ScratchRequest& s : m.scratch) sizes.push_back(s.size);
  EXPECT_EQ(sizes, (std::vector<Bytes>{48484, 132, 528, 2720, 1360, 80, 80}));
  // TFLite Micro has no such operator: its profiles plan it without scratch, saying so.
  EXPECT_FALSE(kernel_profile("reference").describe(posenet_graph(), 0).known);
}

TEST(DetectionProfile, PosenetRefusesBadShapesAndOptionsNamingTheOperator) {
  const auto refusal = [](const std::function<void(Graph&)>& change) {
    Graph g = posenet_graph();
    change(g);
    try {
      const OperatorMemory m = kernel_profile("arenaplan").describe(g, 0);
      return m.known ? std::string("accepted") : "not modelled: " + m.kernel;
    } catch (const InputError& e) { return std::string(e.what()); }
  };
  const auto has = [](const std::string& text, const char* part) { return text.find(part) != std::string::npos; };
  EXPECT_EQ(refusal([](Graph&) {}), "accepted");
  EXPECT_TRUE(
      has(refusal([](Graph& g) {
            g.tensors[1].shape = {1, 23, 30, 34};
          }),
          "operator 0 (PosenetDecoderOp): PosenetDecoderOp's offsets must have the heatmaps' height and width"));
  EXPECT_TRUE(has(refusal([](Graph& g) { g.tensors[2].shape = {1, 23, 31, 32}; }), "64 mid-range offset channels"));
  EXPECT_TRUE(has(refusal([](Graph& g) { g.operators[0].attributes["stride"] = 0; }),
                  "custom option 'stride' must be in [1, 65536], it is 0"));
  EXPECT_TRUE(has(refusal([](Graph& g) { g.operators[0].attributes.erase("max_detections"); }),
                  "custom option 'max_detections' must be in [0, 65536], it is missing"));
  EXPECT_TRUE(has(refusal([](Graph& g) { g.operators[0].real_attributes.erase("nms_radius"); }),
                  "custom option 'nms_radius' is missing"));
  EXPECT_TRUE(
      has(refusal([](Graph& g) { g.operators[0].attributes["max_detections"] = 10; }), "max_detections = 10 poses"));
  EXPECT_TRUE(has(refusal([](Graph& g) { g.tensors[0].type = DataType::int8; }),
                  "not modelled: PosenetDecoderOp: the kernel takes float32 or per-tensor uint8 inputs"));
  EXPECT_TRUE(has(refusal([](Graph& g) {
                    g.operators[0].inputs.push_back(1);
                    g.operators[0].outputs.push_back(6);
                  }),
                  "not modelled: PosenetDecoderOp: the instance-mask variant"));
}

// Coral's PoseNet stores the four outputs without a shape: the importer gives them
// [1, M, 17, 2], [1, M, 17], [1, M] and [1], M = max_detections.
TEST(DetectionProfile, PosenetOutputShapesComeFromTheOptions) {
  test::ModelSpec spec;
  for (const auto& [name, channels] :
       std::vector<std::pair<const char*, int>>{{"heatmaps", 17}, {"short_offsets", 34}, {"mid_offsets", 64}})
    spec.tensors.push_back(test::tensor(name, 0, {1, 5, 6, channels}));
  for (const char* name : {"poses", "keypoint_scores", "pose_scores", "count"})
    spec.tensors.push_back(test::tensor(name, 0, {}));
  test::OpSpec op = test::op(32, {0, 1, 2}, {3, 4, 5, 6});
  op.custom = "PosenetDecoderOp";
  op.custom_options = test::posenet_options(7, 0.2f, 16, 10.0f);
  spec.ops = {op};
  spec.inputs = {0, 1, 2};
  spec.outputs = {3, 4, 5, 6};
  const Graph g = parse_tflite(test::build_tflite(spec), "posenet.tflite");
  EXPECT_EQ(g.tensors[3].shape, (std::vector<std::int64_t>{1, 7, 17, 2}));
  EXPECT_EQ(g.tensors[4].shape, (std::vector<std::int64_t>{1, 7, 17}));
  EXPECT_EQ(g.tensors[5].shape, (std::vector<std::int64_t>{1, 7}));
  EXPECT_EQ(g.tensors[6].shape, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(g.tensors[3].bytes, 7 * 17 * 2 * 4);
  EXPECT_EQ(g.operators[0].real_attributes.at("nms_radius"), 10.0);
  EXPECT_EQ(kernel_profile("arenaplan").describe(g, 0).kernel, "ap_posenet_decoder");
}

}  // namespace
}  // namespace arenaplan
