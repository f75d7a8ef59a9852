// The block a firmware engineer reads first (after Arm Vela's summary): RAM per pool (used,
// limit, headroom), flash (constants and an estimate of the code), and what spilling out of the
// fastest pool costs.
#pragma once

#include <string>

#include "arenaplan/graph.h"
#include "arenaplan/model_planning.h"

namespace arenaplan::cli {

// `pooled.choices` may be empty (a plan without --pool): one arena, nothing spills. The code
// estimate is given for the `arenaplan` kernels only (the code compile emits).
std::string firmware_summary(const Graph& graph, const PooledModel& pooled, const std::string& kernels);

// The code-size estimate behind it (Cortex-M4, arm-none-eabi-gcc -Os, measured 2026-12-02):
struct CodeEstimate {
  Bytes kernel_library = 0;    // the whole runtime/ library; --gc-sections keeps only what is called
  Bytes operator_calls = 0;    // <name>_run: one call per operator
  Bytes parameter_tables = 0;  // static const shapes, multipliers and shifts per operator
  Bytes total() const { return kernel_library + operator_calls + parameter_tables; }
};
CodeEstimate estimate_code(const Graph& graph);

}  // namespace arenaplan::cli
