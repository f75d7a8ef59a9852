#include "emit/memory_map_layout.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "arenaplan/lower_bound.h"
#include "bounds/live_peak.h"

namespace arenaplan::emit {
namespace {

// The allowances the plan uses: X and Y in one pool, sharing bytes.
void add_overlaps(const Problem& problem, const Plan& plan, std::vector<MapPanel>& panels) {
  for (std::size_t y = 0; y < problem.buffers.size(); ++y)
    for (const OverlapAllowance& a : problem.buffers[y].overlaps) {
      const Placement& py = plan.placements[y];
      const Placement& px = plan.placements[static_cast<std::size_t>(a.with)];
      if (py.pool < 0 || py.pool != px.pool) continue;
      const Buffer& bx = problem.buffers[static_cast<std::size_t>(a.with)];
      const Bytes first = std::max(px.offset, py.offset);
      const Bytes last = std::min(px.offset + bx.size, py.offset + problem.buffers[y].size);
      if (first >= last) continue;
      Step born = 0;
      for (std::size_t k = 0; k < problem.buffers[y].live.size(); ++k)
        born = k == 0 ? problem.buffers[y].live[k].first : std::min(born, problem.buffers[y].live[k].first);
      panels[static_cast<std::size_t>(py.pool)].overlaps.push_back(
          {a.with, static_cast<std::int32_t>(y), born, first, last, px.offset, py.offset, a.distance});
    }
}

}  // namespace

std::string overlap_text(const MapOverlap& o, std::string_view output, std::string_view input,
                         const std::string& step) {
  return fmt::format("{} over {} at {}: bytes {}..{} shared, starts {} bytes below it (allowance {})", output, input,
                     step, group_digits(o.shared_first), group_digits(o.shared_last), group_digits(o.below()),
                     group_digits(o.distance));
}

std::string overlap_text(const Problem& problem, const MapOverlap& o, const std::string& step) {
  return overlap_text(o, problem.buffers[static_cast<std::size_t>(o.output)].name,
                      problem.buffers[static_cast<std::size_t>(o.input)].name, step);
}

MapLayout layout_memory_map(const Problem& problem, const Plan& plan) {
  MapLayout layout;
  Step first = std::numeric_limits<Step>::max(), last = std::numeric_limits<Step>::min();
  for (const Buffer& b : problem.buffers)
    for (const Interval& live : b.live) first = std::min(first, live.first), last = std::max(last, live.last);
  layout.timeline = first < last;
  if (!layout.timeline) first = 0, last = 1;

  std::vector<MapPanel> panels(problem.pools.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Placement& place = plan.placements[i];
    if (place.pool < 0) continue;
    const Buffer& b = problem.buffers[i];
    MapPanel& panel = panels[place.pool];
    MapRect r{static_cast<std::int32_t>(i), first, last, place.offset, b.size, b.kind};
    if (!layout.timeline) {
      r.first = static_cast<Step>(panel.rects.size());
      r.last = r.first + 1;
    } else if (!b.live.empty()) {
      r.first = b.live.front().first;
      r.last = b.live.front().last;
      for (const Interval& live : b.live) r.first = std::min(r.first, live.first), r.last = std::max(r.last, live.last);
    }
    panel.rects.push_back(r);
  }
  add_overlaps(problem, plan, panels);
  const std::vector<Bytes> bounds = pool_lower_bounds(problem, plan);
  for (std::size_t p = 0; p < panels.size(); ++p) {
    MapPanel& panel = panels[p];
    if (panel.rects.empty()) continue;
    panel.pool = static_cast<std::int32_t>(p);
    panel.size = p < plan.pool_sizes.size() ? plan.pool_sizes[p] : 0;
    panel.lower_bound = p < bounds.size() ? bounds[p] : 0;
    Bytes top = -1;
    for (const MapRect& r : panel.rects)
      if (r.offset + r.size > top) top = r.offset + r.size, panel.top_buffer = r.buffer;
    if (layout.timeline) {
      panel.first = first;
      panel.last = last;
      // A buffer without live ranges is drawn over the whole timeline, so it counts there.
      const LivePeak peak =
          live_peak(problem, buffers_in_pool(plan, static_cast<std::int32_t>(p)), Interval{first, last});
      panel.peak_step = peak.step;
      panel.peak_bytes = peak.bytes;
    } else {
      panel.first = 0;
      panel.last = static_cast<Step>(panel.rects.size());
    }
    layout.panels.push_back(std::move(panel));
  }
  return layout;
}

std::string step_name(const MapLabels& labels, Step step) {
  auto it = std::upper_bound(labels.steps.begin(), labels.steps.end(), step,
                             [](Step s, const StepLabel& l) { return s < l.steps.first; });
  if (it != labels.steps.begin() && step < std::prev(it)->steps.last) return std::prev(it)->text;
  return fmt::format("step {}", step);
}

std::string group_digits(Bytes value) {
  std::string digits = fmt::format("{}", value < 0 ? -value : value);
  std::string out;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return value < 0 ? "-" + out : out;
}

std::string human_bytes(Bytes value) {
  if (value < 1024) return fmt::format("{} B", value);
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(value);
  int u = -1;
  while (v >= 1024.0 && u < 3) v /= 1024.0, ++u;
  return v >= 100.0 ? fmt::format("{:.0f} {}", v, units[u]) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {  // keep well-formed UTF-8 sequences, replace stray bytes
      const std::size_t len = u >= 0xF0 && u < 0xF5 ? 4 : u >= 0xE0 ? 3 : u >= 0xC2 && u < 0xE0 ? 2 : 0;
      bool ok = len > 0 && k + len <= text.size();
      for (std::size_t j = 1; ok && j < len; ++j) ok = (static_cast<unsigned char>(text[k + j]) & 0xC0) == 0x80;
      if (ok)
        out.append(text.substr(k, len)), k += len - 1;
      else
        out += '?';
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += '?';
        else
          out += c;
    }
  }
  return out;
}

std::string_view kind_colour(BufferKind kind) {
  switch (kind) {
    case BufferKind::activation: return "#4e79a7";
    case BufferKind::scratch: return "#f28e2b";
    case BufferKind::input: return "#59a14f";
    case BufferKind::output: return "#e15759";
    case BufferKind::variable: return "#b07aa1";
    case BufferKind::constant: return "#9d9d9d";
  }
  return "#000000";
}

}  // namespace arenaplan::emit
