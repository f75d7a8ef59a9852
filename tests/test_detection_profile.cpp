// The `reference` profile's TFLite_Detection_PostProcess: TFLite Micro's eleven scratch requests,
// sized by hand for 10 boxes, 3 class scores per box (2 classes and background) and 5 detections.
#include <gtest/gtest.h>

#include "arenaplan/kernels.h"

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

}  // namespace
}  // namespace arenaplan
