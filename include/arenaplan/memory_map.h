// Memory maps: pictures of a plan. One panel per pool; x is the timeline, y the address; one
// rectangle per buffer, coloured by kind, with the peak step and the lower bound marked.
// Emitters read a Problem and its Plan (and optional labels); they never change either.
#pragma once

#include <string>
#include <vector>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

struct Graph;
struct LoweredModel;

// A named span of the timeline, e.g. operator 3 (CONV_2D) occupying steps [5, 7).
struct StepLabel {
  Interval steps;
  std::string text;
};

// Optional names for the picture. Everything may be left empty.
struct MapLabels {
  std::string title;                    // e.g. the input file
  std::vector<StepLabel> steps;         // spans of the timeline, in order (operators, for models)
  std::vector<std::string> touched_by;  // empty, or one per buffer: what reads and writes it
};

// A standalone SVG document (well-formed XML, deterministic bytes).
std::string memory_map_svg(const Problem& problem, const Plan& plan, const MapLabels& labels = {});
// A single self-contained HTML page (inline CSS and JS, no network): hover details, zoom, and a
// table of buffers sortable by size.
std::string memory_map_html(const Problem& problem, const Plan& plan, const MapLabels& labels = {});
// The map drawn in text, `columns` characters wide, for a terminal.
std::string memory_map_ascii(const Problem& problem, const Plan& plan, const MapLabels& labels = {}, int columns = 100);

// Labels for a planned model: each operator's steps ("3 CONV_2D") and, per buffer, the operators
// that write and read it.
MapLabels model_map_labels(const Graph& graph, const LoweredModel& lowered, const std::string& title);

}  // namespace arenaplan
