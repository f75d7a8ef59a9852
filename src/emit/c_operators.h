// One operator of the model as C: the static parameter tables its kernel needs and the call of
// the kernel (runtime/arenaplan_kernels.h) with pointers to its operands.
#pragma once

#include <string>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/kernels.h"

namespace arenaplan::c_out {

// C expressions (pointers to the first byte) for each operand of an operator: inputs in the
// operator's order ("0" for an omitted optional input), outputs, scratch buffers.
struct OperandPointers {
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> scratch;
  // A convolution writing a channel slice of an in-place CONCATENATION: elements between output
  // pixels (ap_conv_shape.out_pixel_stride); 0: its own channels.
  std::int64_t output_pixel_stride = 0;
};

struct KernelCall {
  std::string definitions;  // file-scope declarations: static const parameter tables
  std::string statement;    // the call, one C statement
};

// `symbol` prefixes every file-scope name the call defines. `memory` is what the `arenaplan`
// kernel profile said for the operator when it was planned (which kernel, its scratch). Throws
// InputError when the operator has no kernel.
KernelCall kernel_call(const Graph& graph, std::size_t op, const OperatorMemory& memory,
                       const OperandPointers& pointers, const std::string& symbol);

}  // namespace arenaplan::c_out
