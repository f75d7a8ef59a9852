#include "cli/firmware_summary.h"

#include <fmt/format.h>

namespace arenaplan::cli {
namespace {

// Measured with arm-none-eabi-gcc 12 -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -Os
// -ffunction-sections on runtime/*.c (text 31,832 bytes; test_firmware re-measures it and fails
// when a change of the kernel library makes this 15 % off) and on the generated <name>_model.c of
// four bundled models (text 32-37 bytes per operator call; rodata about 8 bytes per output
// channel of a per-channel weighted operator plus ~60 bytes of shape and parameters per operator).
constexpr Bytes kKernelLibraryBytes = 31832;
constexpr Bytes kCallBytes = 34;
constexpr Bytes kParameterBytesPerOperator = 60;
constexpr Bytes kParameterBytesPerChannel = 8;

std::string grouped(Bytes value) {  // 12345 -> "12,345"
  std::string digits = std::to_string(value < 0 ? -value : value), out;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return value < 0 ? "-" + out : out;
}

std::string percent(Bytes part, Bytes whole) {
  return whole > 0 ? fmt::format("{:.1f} %", 100.0 * static_cast<double>(part) / static_cast<double>(whole)) : "-";
}

std::string ram_lines(const Problem& problem, const Plan& plan) {
  std::string out = fmt::format("  RAM    {:<12} {:>10} {:>10} {:>10}\n", "pool", "used", "limit", "headroom");
  Bytes total = 0;
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    if (pool.read_only()) continue;
    const Bytes used = plan.pool_sizes[p];
    total += used;
    const std::string limit = pool.limit ? grouped(*pool.limit) : "none";
    const std::string headroom =
        pool.limit ? fmt::format("{:>10} ({})", grouped(*pool.limit - used), percent(*pool.limit - used, *pool.limit))
                   : fmt::format("{:>10}", "-");
    out += fmt::format("         {:<12} {:>10} {:>10} {}{}\n", pool.name, grouped(used), limit, headroom,
                       pool.external ? "  (external: the application provides it)" : "");
  }
  return out + fmt::format("         {:<12} {:>10}\n", "total", grouped(total));
}

std::string flash_lines(const Graph& graph, const Problem& problem, const Plan& plan, const std::string& kernels) {
  std::string pools;
  Bytes constants = 0;
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    if (!problem.pools[p].read_only()) continue;
    constants += plan.pool_sizes[p];
    pools += fmt::format("{}{} {}", pools.empty() ? "" : ", ", problem.pools[p].name, grouped(plan.pool_sizes[p]));
  }
  std::string out = fmt::format("  flash  constants    {:>10} bytes{}\n", grouped(constants),
                                pools.empty() ? "" : " (" + pools + ")");
  if (kernels != "arenaplan")
    return out + fmt::format("         code         TFLite Micro's {} kernels: not estimated\n", kernels);
  const CodeEstimate code = estimate_code(graph);
  return out + fmt::format(
                   "         code         {:>10} bytes estimated (Cortex-M4 -Os: kernel library {}, {} operator "
                   "calls {}, parameter tables {})\n",
                   "~" + grouped(code.total()), grouped(code.kernel_library), graph.operators.size(),
                   grouped(code.operator_calls), grouped(code.parameter_tables));
}

// The bytes read and written per run outside the fastest (first) workspace pool.
std::string spill_line(const PooledModel& pooled) {
  const Problem& problem = pooled.model.lowered.problem;
  const Plan& plan = pooled.model.plan;
  std::int32_t fastest = -1, workspace_pools = 0;
  for (std::size_t p = 0; p < problem.pools.size(); ++p)
    if (!problem.pools[p].read_only()) {
      if (fastest < 0) fastest = static_cast<std::int32_t>(p);
      ++workspace_pools;
    }
  if (workspace_pools <= 1 || pooled.choices.empty()) return "  spill  one workspace pool: nothing spills out of it\n";
  Bytes accessed = 0, spilled = 0, spilled_bytes = 0;
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const std::int32_t pool = plan.placements[i].pool;
    if (problem.pools[static_cast<std::size_t>(pool)].read_only()) continue;
    accessed += pooled.choices[i].access_bytes;
    if (pool == fastest) continue;
    spilled += pooled.choices[i].access_bytes;
    spilled_bytes += problem.buffers[i].size;
  }
  const std::string& name = problem.pools[static_cast<std::size_t>(fastest)].name;
  if (spilled == 0) return fmt::format("  spill  none: every buffer read or written is in {}\n", name);
  return fmt::format(
      "  spill  {} of the bytes read and written per run ({} of {}) fall outside {}, the fastest pool: buffers of {} "
      "bytes that did not fit\n",
      percent(spilled, accessed), grouped(spilled), grouped(accessed), name, grouped(spilled_bytes));
}

}  // namespace

CodeEstimate estimate_code(const Graph& graph) {
  CodeEstimate code;
  code.kernel_library = kKernelLibraryBytes;
  const auto operators = static_cast<Bytes>(graph.operators.size());
  code.operator_calls = kCallBytes * operators;
  code.parameter_tables = kParameterBytesPerOperator * operators;
  for (const Operator& op : graph.operators) {
    if (op.inputs.size() < 2 || op.inputs[1] < 0 || op.outputs.empty()) continue;
    const Tensor& weights = graph.tensors[static_cast<std::size_t>(op.inputs[1])];
    if (weights.quantization.scale.size() > 1)
      code.parameter_tables += kParameterBytesPerChannel * static_cast<Bytes>(weights.quantization.scale.size());
  }
  return code;
}

std::string firmware_summary(const Graph& graph, const PooledModel& pooled, const std::string& kernels) {
  const Problem& problem = pooled.model.lowered.problem;
  const Plan& plan = pooled.model.plan;
  return "summary\n" + ram_lines(problem, plan) + flash_lines(graph, problem, plan, kernels) + spill_line(pooled);
}

}  // namespace arenaplan::cli
