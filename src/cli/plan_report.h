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
};

std::string plan_report(const PlanReportInput& input);

// Two lines: whole-tensor lower bound, overlap-aware lower bound, arena and TFLite Micro's head
// (when given); then which outputs overlap their inputs, or why none do.
std::string overlap_summary(const ModelPlan& ours, const ModelPlan* tflm, const std::string& kernels);

}  // namespace arenaplan::cli
