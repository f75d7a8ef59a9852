// Writes a valid float32 model of N operators: a chain of ADDs, each adding a small constant to
// the previous tensor (the shape of the 10,002-operator model of issue 12). Used by the `run`
// rows of the time-limit benchmark: make_long_model N OUT.tflite
#include <cstdio>
#include <fstream>
#include <string>

#include "tflite_builder.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_long_model OPERATORS OUT.tflite\n");
    return 2;
  }
  const int n = std::stoi(argv[1]);
  using namespace arenaplan::test;
  ModelSpec spec;
  constexpr int kFloat32 = 0, kAdd = 0;
  spec.tensors.push_back(tensor("input", kFloat32, {1, 8}));
  TensorSpec bias = tensor("bias", kFloat32, {1, 8});
  bias.constant = true;
  spec.tensors.push_back(bias);
  for (int i = 0; i < n; ++i) {
    spec.tensors.push_back(tensor("t" + std::to_string(i), kFloat32, {1, 8}));
    const int in = i == 0 ? 0 : i + 1;
    spec.ops.push_back(op(kAdd, {in, 1}, {i + 2}));
  }
  spec.inputs = {0};
  spec.outputs = {n + 1};
  const auto bytes = build_tflite(spec);
  std::ofstream(argv[2], std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return 0;
}
