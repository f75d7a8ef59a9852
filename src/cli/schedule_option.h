// --schedule file|memory: the operator order the model is planned, compiled and run in.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "arenaplan/schedule.h"

namespace arenaplan::cli {

void add_schedule_option(CLI::App* cmd, std::string& schedule);

// The graph in the order to plan and run: `schedule` as given, or by default the memory-aware
// order with the arenaplan kernels (whose generated code runs operators in any order) and the
// file order otherwise (TFLite Micro runs operators in file order).
ScheduleResult schedule_graph(const Graph& graph, const std::string& schedule, const LoweringOptions& lowering);

// One report line: the peak in file order and in the chosen order.
std::string schedule_report(const ScheduleResult& result);

}  // namespace arenaplan::cli
