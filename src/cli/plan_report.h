// The text report of a planned model: summary, arena against the lower bound and against
// TFLite Micro's planner, the peak step and its buffers, and live bytes per operator.
#pragma once

#include <optional>
#include <string>

#include "arenaplan/graph.h"
#include "arenaplan/model_planning.h"

namespace arenaplan::cli {

struct PlanReportInput {
  const Graph& graph;
  const ModelPlan& ours;
  const ModelPlan* tflm = nullptr;  // TFLite Micro's planner under its own rules
  std::string kernels;
  bool timing = true;
  std::optional<Bytes> model_whole_tensor;  // model_whole_tensor_bound, when the plan has overlaps
};

std::string plan_report(const PlanReportInput& input);

// Two lines: whole-tensor lower bound, overlap-aware lower bound, arena and TFLite Micro's head
// (when given); then which outputs overlap their inputs, or why none do. `model_whole_tensor`: the
// model's own whole-tensor bound (model_whole_tensor_bound), reported in place of the plan's when
// the overlapping kernels' scratch makes them differ.
std::string overlap_summary(const ModelPlan& ours, const ModelPlan* tflm, const std::string& kernels,
                            std::optional<Bytes> model_whole_tensor = std::nullopt);

}  // namespace arenaplan::cli
