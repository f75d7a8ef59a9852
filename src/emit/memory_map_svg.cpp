// The memory map as a standalone SVG document.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "arenaplan/memory_map.h"
#include "emit/memory_map_layout.h"
#include "emit/memory_map_svg_geometry.h"

namespace arenaplan {
namespace {

using namespace emit;

constexpr std::size_t kTitlesUpTo = 5000;  // hover titles make large maps heavy; beyond this, none

std::string kind_styles() {
  std::string css =
      "text{fill:#222}.frame{fill:#fafafa;stroke:#888;stroke-width:1}"
      ".lb{stroke:#111;stroke-width:1.2;stroke-dasharray:6 3}.peak{stroke:#c00;stroke-width:1.2;stroke-dasharray:4 3}"
      ".tick{stroke:#888;stroke-width:1}.small{font-size:9px}.head{font-size:13px;font-weight:bold}"
      ".overlap{fill:url(#hatch);stroke:#111;stroke-width:0.8}.over{stroke:#111;stroke-width:1}";
  for (BufferKind kind : kAllKinds) css += fmt::format(".{}{{fill:{}}}", to_string(kind), kind_colour(kind));
  return css;
}

void address_axis(std::string& out, const SvgPanelGeometry& g) {
  for (int k = 0; k <= 4; ++k) {
    const Bytes address = g.y_max * k / 4;
    const double y = g.y_of(address);
    out += fmt::format(R"X(<line class="tick" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)X", kSvgLeft - 4, y,
                       kSvgLeft, y);
    out += fmt::format(R"X(<text x="{:.1f}" y="{:.1f}" text-anchor="end" class="small">{}</text>)X", kSvgLeft - 6,
                       y + 3, xml_escape(human_bytes(address)));
  }
}

void time_axis(std::string& out, const SvgPanelGeometry& g, const MapLayout& layout, const MapLabels& labels) {
  const double base = g.top + kSvgPlotHeight;
  if (layout.timeline && !labels.steps.empty()) {
    double last_x = -1e9;
    for (const StepLabel& l : labels.steps) {
      const double x = (g.x_of(l.steps.first) + g.x_of(std::max(l.steps.last, l.steps.first + 1))) / 2;
      if (x - last_x < 11.0) continue;
      last_x = x;
      out += fmt::format(
          R"X(<text x="{0:.1f}" y="{1:.1f}" class="small" text-anchor="end" transform="rotate(-55 {0:.1f} {1:.1f})">{2}</text>)X",
          x, base + 12, xml_escape(l.text.size() > 28 ? l.text.substr(0, 27) + "~" : l.text));
    }
    return;
  }
  const Step span = g.last - g.first;
  const Step every = std::max<Step>(1, static_cast<Step>(std::ceil(static_cast<double>(span) / 10.0)));
  for (Step s = g.first; s <= g.last; s += every) {
    const double x = g.x_of(s);
    out +=
        fmt::format(R"X(<line class="tick" x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}"/>)X", x, base, base + 4);
    out +=
        fmt::format(R"X(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" class="small">{}</text>)X", x, base + 14, s);
  }
  out += fmt::format(R"X(<text x="{:.1f}" y="{:.1f}" text-anchor="end" class="small">{}</text>)X",
                     kSvgLeft + kSvgPlotWidth, base + 26,
                     layout.timeline ? "timeline step" : "buffer (no timeline: conflicts only)X");
}

// An output written over its input: the bytes both hold at the step hatched, and an arrow from
// the input's start down to the output's with the distance.
void draw_overlaps(std::string& out, const Problem& problem, const MapPanel& panel, const SvgPanelGeometry& g,
                   const MapLabels& labels) {
  for (const MapOverlap& o : panel.overlaps) {
    const double x0 = g.x_of(o.step), x1 = std::max(g.x_of(o.step + 1), x0 + kSvgMinExtent);
    const double top = g.y_of(o.shared_last), bottom = g.y_of(o.shared_first);
    out += fmt::format(
        R"X(<rect class="overlap" data-x="{}" data-y="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}</title></rect>)X",
        o.input, o.output, x0, top, x1 - x0, std::max(bottom - top, kSvgMinExtent),
        xml_escape(overlap_text(problem, o, step_name(labels, o.step))));
    if (o.below() <= 0) continue;
    const double mid = (x0 + x1) / 2, from = g.y_of(o.input_offset), to = g.y_of(o.output_offset);
    out += fmt::format(
        R"X(<line class="over" x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" marker-end="url(#down)"/><text x="{3:.1f}" y="{4:.1f}" class="small">-{5}</text>)X",
        mid, from, to, x1 + 2, (from + to) / 2 + 3, xml_escape(human_bytes(o.below())));
  }
}

}  // namespace

std::string memory_map_svg(const Problem& problem, const Plan& plan, const MapLabels& labels) {
  const MapLayout layout = layout_memory_map(problem, plan);
  const bool with_titles = problem.buffers.size() <= kTitlesUpTo;
  const bool with_stroke = problem.buffers.size() <= 2000;
  const double step_axis = svg_axis_height(layout, labels);
  double height = kSvgHeader;
  for (std::size_t p = 0; p < layout.panels.size(); ++p)
    height += kSvgPanelTitle + kSvgPlotHeight + step_axis + kSvgGap;
  std::string out;
  out.reserve(4096 + problem.buffers.size() * (with_titles ? 160 : 80));
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      R"X(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1:.0f}" viewBox="0 0 {0} {1:.0f}" font-family="DejaVu Sans,Arial,sans-serif" font-size="11">)X",
      kSvgWidth, height);
  out += "\n<style>" + kind_styles() + "</style>\n";
  out +=
      R"X(<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="#111" stroke-width="2"/></pattern>)X"
      R"X(<marker id="down" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L6,3L0,6z" fill="#111"/></marker></defs>)X"
      "\n";
  out += fmt::format(R"X(<rect class="background" x="0" y="0" width="{}" height="{:.0f}" fill="#fff"/>)X", kSvgWidth,
                     height);
  out += fmt::format(
      R"X(<text x="12" y="20" class="head">{}</text>)X",
      xml_escape(fmt::format("{}: {} buffers, {} in all, lower bound {}, algorithm {}",
                             labels.title.empty() ? "memory map" : labels.title, problem.buffers.size(),
                             human_bytes(plan.total_size()), human_bytes(plan.lower_bound), plan.algorithm)));
  // Legend: the kinds present.
  double lx = 12;
  for (BufferKind kind : kAllKinds) {
    if (std::none_of(problem.buffers.begin(), problem.buffers.end(), [&](const Buffer& b) { return b.kind == kind; }))
      continue;
    out += fmt::format(R"X(<rect class="legend {}" x="{:.0f}" y="30" width="10" height="10"/>)X", to_string(kind), lx);
    out += fmt::format(R"X(<text x="{:.0f}" y="39">{}</text>)X", lx + 14, to_string(kind));
    lx += 24 + 7.0 * static_cast<double>(to_string(kind).size());
  }
  out += fmt::format(
      R"X(<line class="lb" x1="{0:.0f}" y1="35" x2="{1:.0f}" y2="35"/><text x="{2:.0f}" y="39">lower bound</text>)X",
      lx, lx + 24, lx + 28);
  lx += 110;
  out += fmt::format(
      R"X(<line class="peak" x1="{0:.0f}" y1="29" x2="{0:.0f}" y2="41"/><text x="{1:.0f}" y="39">peak step</text>)X",
      lx, lx + 5);
  if (std::any_of(problem.buffers.begin(), problem.buffers.end(), [](const Buffer& b) { return !b.overlaps.empty(); }))
    out += fmt::format(
        R"X(<rect class="overlap" x="{:.0f}" y="30" width="10" height="10"/><text x="{:.0f}" y="39">output written over its input</text>)X",
        lx + 80, lx + 94);
  out += '\n';

  double top = kSvgHeader;
  for (const MapPanel& panel : layout.panels) {
    const Pool& pool = problem.pools[panel.pool];
    const SvgPanelGeometry g = svg_panel_geometry(panel, top);
    const double ratio =
        panel.lower_bound > 0 ? static_cast<double>(panel.size) / static_cast<double>(panel.lower_bound) : 1.0;
    std::string head =
        fmt::format("pool {} ({}): {} bytes, lower bound {} ({:.3f}x), {} buffers", pool.name, to_string(pool.kind),
                    group_digits(panel.size), group_digits(panel.lower_bound), ratio, panel.rects.size());
    if (panel.peak_step)
      head += fmt::format("; peak {} live at {}", group_digits(panel.peak_bytes), step_name(labels, *panel.peak_step));
    out += fmt::format(R"X(<g class="panel" data-pool="{}">)X", xml_escape(pool.name));
    out += fmt::format(R"X(<text x="{}" y="{:.1f}" class="head">{}</text>)X", kSvgLeft, top + 16, xml_escape(head));
    out += fmt::format(R"X(<rect class="frame" x="{}" y="{:.1f}" width="{}" height="{}"/>)X", kSvgLeft, g.top,
                       kSvgPlotWidth, kSvgPlotHeight);
    out += with_stroke ? R"X(<g class="buffers" stroke="#fff" stroke-width="0.4">)X" : R"X(<g class="buffers">)X";
    out += '\n';
    for (const MapRect& r : panel.rects) {
      const SvgBox box = g.box_of(r);
      out += fmt::format(R"X(<rect class="buf {}" data-b="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}")X",
                         to_string(r.kind), r.buffer, box.x, box.y, box.width, box.height);
      if (with_titles) {
        const Buffer& b = problem.buffers[r.buffer];
        out += fmt::format("><title>{}: {} bytes at offset {}", xml_escape(b.name), group_digits(r.size),
                           group_digits(r.offset));
        if (layout.timeline) out += fmt::format(", live [{}, {})X", r.first, r.last);
        out += "</title></rect>\n";
      } else {
        out += "/>\n";
      }
    }
    out += "</g>";
    if (layout.timeline) draw_overlaps(out, problem, panel, g, labels);
    const double lb_y = g.y_of(panel.lower_bound);
    out += fmt::format(R"X(<line class="lb" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}"/>)X", kSvgLeft, lb_y,
                       kSvgLeft + kSvgPlotWidth, lb_y);
    out += fmt::format(R"X(<text x="{}" y="{:.1f}" class="small">lower bound</text>)X", kSvgLeft + kSvgPlotWidth + 4,
                       lb_y + 3);
    if (panel.size != panel.lower_bound) {
      const double size_y = g.y_of(panel.size);
      out += fmt::format(R"X(<text x="{}" y="{:.1f}" class="small">size {}</text>)X", kSvgLeft + kSvgPlotWidth + 4,
                         size_y + (size_y > lb_y - 10 ? -4 : 3), xml_escape(human_bytes(panel.size)));
    }
    if (panel.peak_step) {
      const double x = (g.x_of(*panel.peak_step) + g.x_of(*panel.peak_step + 1)) / 2;
      out += fmt::format(R"X(<line class="peak" x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}"/>)X", x, g.top,
                         g.top + kSvgPlotHeight);
    }
    address_axis(out, g);
    time_axis(out, g, layout, labels);
    out += "</g>\n";
    top += kSvgPanelTitle + kSvgPlotHeight + step_axis + kSvgGap;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace arenaplan
