// The memory map as one self-contained HTML page: the plan as JSON, drawn by an inline script.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arenaplan/memory_map.h"
#include "emit/memory_map_html_assets.h"
#include "emit/memory_map_layout.h"

namespace arenaplan {
namespace {

using namespace emit;
using nlohmann::ordered_json;

int kind_index(BufferKind kind) {
  for (std::size_t k = 0; k < std::size(kAllKinds); ++k)
    if (kAllKinds[k] == kind) return static_cast<int>(k);
  return 0;
}

ordered_json map_data(const Problem& problem, const Plan& plan, const MapLabels& labels, const MapLayout& layout) {
  ordered_json d;
  d["title"] = labels.title;
  d["algorithm"] = plan.algorithm;
  d["total"] = plan.total_size();
  d["lowerBound"] = plan.lower_bound;
  d["timeline"] = layout.timeline;
  auto& kinds = d["kinds"] = ordered_json::array();
  for (BufferKind kind : kAllKinds) kinds.push_back(std::string(to_string(kind)));
  auto& steps = d["steps"] = ordered_json::array();
  for (const StepLabel& l : labels.steps) steps.push_back({l.steps.first, l.steps.last, l.text});

  const std::size_t n = problem.buffers.size();
  std::vector<std::int32_t> panel_of(problem.pools.size(), -1);
  auto& pools = d["pools"] = ordered_json::array();
  ordered_json name = ordered_json::array(), size = ordered_json::array(), offset = ordered_json::array(),
               pool = ordered_json::array(), kind = ordered_json::array(), x0 = ordered_json::array(),
               x1 = ordered_json::array();
  std::vector<const MapRect*> rect_of(n, nullptr);
  for (std::size_t k = 0; k < layout.panels.size(); ++k) {
    const MapPanel& panel = layout.panels[k];
    panel_of[panel.pool] = static_cast<std::int32_t>(k);
    for (const MapRect& r : panel.rects) rect_of[r.buffer] = &r;
    ordered_json p;
    p["name"] = problem.pools[panel.pool].name;
    p["kind"] = std::string(to_string(problem.pools[panel.pool].kind));
    p["size"] = panel.size;
    p["limit"] =
        problem.pools[panel.pool].limit ? ordered_json(*problem.pools[panel.pool].limit) : ordered_json(nullptr);
    p["lb"] = panel.lower_bound;
    p["peak"] = panel.peak_step ? ordered_json(*panel.peak_step) : ordered_json(nullptr);
    p["peakBytes"] = panel.peak_bytes;
    p["x0"] = panel.first;
    p["x1"] = std::max(panel.last, panel.first + 1);
    p["count"] = panel.rects.size();
    pools.push_back(std::move(p));
  }
  ordered_json live = ordered_json::object();
  std::vector<std::int64_t> listed(n, -1);  // per buffer: its index in the lists below
  for (std::size_t i = 0; i < n; ++i) {
    const MapRect* r = rect_of[i];
    if (r == nullptr) continue;  // unplaced: nothing to draw
    listed[i] = static_cast<std::int64_t>(name.size());
    name.push_back(problem.buffers[i].name);
    size.push_back(r->size);
    offset.push_back(r->offset);
    pool.push_back(panel_of[plan.placements[i].pool]);
    kind.push_back(kind_index(r->kind));
    x0.push_back(r->first);
    x1.push_back(r->last);
    if (problem.buffers[i].live.size() > 1) {
      ordered_json ranges = ordered_json::array();
      for (const Interval& l : problem.buffers[i].live) ranges.push_back({l.first, l.last});
      live[std::to_string(name.size() - 1)] = std::move(ranges);
    }
  }
  d["buffers"] = {{"name", std::move(name)}, {"size", std::move(size)}, {"offset", std::move(offset)},
                  {"pool", std::move(pool)}, {"kind", std::move(kind)}, {"x0", std::move(x0)},
                  {"x1", std::move(x1)}};
  d["live"] = std::move(live);
  // Outputs written over their inputs: [panel, input, output, step, first, last shared byte + 1, text].
  auto& overlaps = d["overlaps"] = ordered_json::array();
  for (std::size_t k = 0; k < layout.panels.size(); ++k)
    for (const MapOverlap& o : layout.panels[k].overlaps)
      overlaps.push_back({k, listed[static_cast<std::size_t>(o.input)], listed[static_cast<std::size_t>(o.output)],
                          o.step, o.shared_first, o.shared_last, overlap_text(problem, o, step_name(labels, o.step))});
  if (labels.touched_by.size() == n) {
    ordered_json touched = ordered_json::array();
    for (std::size_t i = 0; i < n; ++i)
      if (rect_of[i] != nullptr) touched.push_back(labels.touched_by[i]);
    d["touched"] = std::move(touched);
  }
  return d;
}

// JSON inside <script>: "</" would end the element early.
std::string script_safe(std::string text) {
  for (std::size_t at = text.find("</"); at != std::string::npos; at = text.find("</", at + 3))
    text.replace(at, 2, "<\\/");
  return text;
}

}  // namespace

std::string memory_map_html(const Problem& problem, const Plan& plan, const MapLabels& labels) {
  const MapLayout layout = layout_memory_map(problem, plan);
  const std::string title = labels.title.empty() ? "memory map" : labels.title;
  const std::string data =
      script_safe(map_data(problem, plan, labels, layout).dump(-1, ' ', false, ordered_json::error_handler_t::replace));
  std::string css = kMapHtmlStyle;
  for (std::size_t k = 0; k < std::size(kAllKinds); ++k)
    css += fmt::format(".k{}{{fill:{}}}\n", k, kind_colour(kAllKinds[k]));
  std::string legend;
  for (BufferKind kind : kAllKinds) {
    bool present = false;
    for (const Buffer& b : problem.buffers) present = present || b.kind == kind;
    if (present)
      legend += fmt::format(R"(<span><i style="background:{}"></i>{}</span>)", kind_colour(kind), to_string(kind));
  }
  legend += R"(<span>- - - lower bound</span><span style="color:#c00">| peak step</span>)";
  if (std::any_of(layout.panels.begin(), layout.panels.end(), [](const MapPanel& p) { return !p.overlaps.empty(); }))
    legend += R"(<span><i class="overlap"></i>output written over its input</span>)";
  const double ratio =
      plan.lower_bound > 0 ? static_cast<double>(plan.total_size()) / static_cast<double>(plan.lower_bound) : 1.0;
  std::string out;
  out.reserve(data.size() + 32768);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style></head>\n<body>\n", xml_escape(title), css);
  out += fmt::format(
      "<header><h1>{}</h1><div>{} buffers in {} pools; {} bytes in all, lower bound {} ({:.3f}x){}; algorithm {}</div>",
      xml_escape(title), problem.buffers.size(), layout.panels.size(), group_digits(plan.total_size()),
      group_digits(plan.lower_bound), ratio, plan.optimal ? ", optimal (proven)" : "", xml_escape(plan.algorithm));
  out += fmt::format("<div class=\"legend\">{}</div></header>\n", legend);
  out +=
      "<main><div id=\"panels\"></div><aside><input id=\"filter\" placeholder=\"filter by name\">"
      "<table id=\"buffers\"></table><button id=\"more\">show all</button></aside></main>\n<div id=\"tip\"></div>\n";
  out += "<script id=\"data\" type=\"application/json\">" + data + "</script>\n";
  out += "<script>" + std::string(kMapHtmlScript) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace arenaplan
