// The kernels added for ONNX models (runtime/kernels_onnx.c) against their definition.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "arenaplan_kernels.h"

namespace {

// ONNX's LRN definition, in double: square sum over [c - floor((size-1)/2), c + ceil((size-1)/2)],
// divided by size.
double onnx_lrn(const std::vector<float>& x, int depth, int row, int c, int size, double alpha, double beta,
                double bias) {
  const int lo = std::max(0, c - (size - 1) / 2), hi = std::min(depth - 1, c + size / 2);
  double sum = 0;
  for (int k = lo; k <= hi; ++k) sum += static_cast<double>(x[row * depth + k]) * x[row * depth + k];
  return x[row * depth + c] / std::pow(bias + alpha / size * sum, beta);
}

TEST(KernelsOnnx, LrnFollowsOnnxWithRadiusAndScaledAlpha) {
  const int outer = 3, depth = 7, size = 5;
  std::vector<float> x(outer * depth), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((static_cast<int>(i) * 37 % 19) - 9) * 0.7f;
  const double alpha = 2e-2, beta = 0.75, bias = 1.5;
  ap_lrn_f32(outer, depth, (size - 1) / 2, static_cast<float>(bias), static_cast<float>(alpha / size),
             static_cast<float>(beta), x.data(), y.data());
  for (int r = 0; r < outer; ++r)
    for (int c = 0; c < depth; ++c) {
      const double want = onnx_lrn(x, depth, r, c, size, alpha, beta, bias);
      EXPECT_NEAR(y[static_cast<std::size_t>(r * depth + c)], want, 1e-5 * std::max(1.0, std::abs(want)))
          << r << " " << c;
    }
  // The edge channels sum fewer neighbours: a value there differs from a full window's.
  EXPECT_NE(y[0], x[0] / std::pow(1.5f, 0.75f));
}

}  // namespace
