#include "cli/schedule_option.h"

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan::cli {

void add_schedule_option(CLI::App* cmd, std::string& schedule) {
  cmd->add_option("--schedule", schedule,
                  "operator order: file (the model's) or memory (the lowest peak found; the default with "
                  "--kernels arenaplan)")
      ->check(CLI::IsMember({"file", "memory"}));
}

ScheduleResult schedule_graph(const Graph& graph, const std::string& schedule, const LoweringOptions& lowering) {
  if (schedule == "memory" && (lowering.tflm_compat || lowering.kernels != "arenaplan"))
    throw InputError(
        fmt::format("--schedule memory needs --kernels arenaplan: TFLite Micro's kernels run in the model's order{}",
                    lowering.tflm_compat ? " (and --compat tflm reproduces it)" : ""));
  const bool memory =
      schedule.empty() ? lowering.kernels == "arenaplan" && !lowering.tflm_compat : schedule == "memory";
  ScheduleOptions options;
  options.kind = memory ? ScheduleKind::memory : ScheduleKind::file;
  return schedule_operators(graph, lowering, options);
}

std::string schedule_report(const ScheduleResult& r) {
  if (r.method == "file") return "";
  if (!r.reordered)
    return fmt::format(
        "schedule:           file order kept ({} search; peak {} bytes, {}){}\n", r.method, r.file_order_peak,
        r.method == "exact" ? "no order needs less" : fmt::format("no order below {}", r.any_order_bound), "");
  return fmt::format("schedule:           memory-aware ({}): peak {} bytes in file order, {} in the chosen order{}\n",
                     r.method, r.file_order_peak, r.chosen_peak,
                     r.method == "exact" ? " (the least of any order)" : "");
}

}  // namespace arenaplan::cli
