// Kernel profiles: what memory a kernel implementation needs for one operator — its scratch
// buffers, and in which of the operator's stages each operand and scratch buffer is used.
// A profile is a named table (src/kernels/): `reference` (TFLite Micro's portable kernels) and
// `cmsis-nn` (TFLite Micro's CMSIS-NN kernels, Cortex-M with DSP extension, built with GCC).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/graph.h"

namespace arenaplan {

struct ScratchRequest {
  Bytes size = 0;
  std::string purpose;  // what the kernel uses it for, e.g. "im2col"
  int first_stage = 0;  // stages of the operator during which the buffer is used (inclusive)
  int last_stage = 0;
};

// An output the kernel may write over an input it reads for the last time (docs/overlap.md):
// valid when the output starts at least `distance` bytes below the input, as the kernel's loop
// order allows. Lowering turns it into an OverlapAllowance when the input dies there.
struct OperandOverlap {
  std::size_t input = 0;   // index among the operator's inputs
  std::size_t output = 0;  // index among its outputs
  Bytes distance = 0;
};

// The memory behaviour of one operator under one kernel implementation. An operator runs in
// `stages` consecutive timeline steps. An input read only in early stages is dead afterwards;
// outputs are written from `output_first_stage` on.
struct OperatorMemory {
  int stages = 1;
  std::vector<ScratchRequest> scratch;  // in the kernel's request order
  std::vector<int> input_last_stage;    // per operator input; missing entries: the last stage
  int output_first_stage = 0;
  bool known = true;   // false: the profile has no rule for this operator
  std::string kernel;  // the kernel function whose rule applied (for reports)
  // Input/output pairs the kernel honours overlapping (only the `arenaplan` profile has any:
  // TFLite Micro's kernels assume distinct buffers).
  std::vector<OperandOverlap> overlaps;

  int last_stage_reading(std::size_t input) const;
};

class KernelProfile {
 public:
  virtual ~KernelProfile() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // Throws InputError when the operator's operands do not have the shapes the kernel requires.
  virtual OperatorMemory describe(const Graph& graph, std::size_t op) const = 0;
  // The same with outputs written over dying inputs where the kernels allow it: the overlaps,
  // and a kernel variant with a small scratch buffer where that allows more (only `arenaplan`
  // has any; TFLite Micro's kernels assume distinct buffers). Default: describe().
  // `halo_rings` false: no depthwise ring variant (its scratch costs bytes where the halo is free).
  virtual OperatorMemory describe_overlapping(const Graph& graph, std::size_t op, bool halo_rings = true) const {
    (void)halo_rings;
    return describe(graph, op);
  }
};

// Throws InputError for an unknown name, listing the known ones.
const KernelProfile& kernel_profile(std::string_view name);
std::vector<std::string> kernel_profile_names();

}  // namespace arenaplan
