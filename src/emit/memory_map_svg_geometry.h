// Where things go in the SVG memory map: fixed page width, one plot per pool, x = step, y = address
// (address 0 at the bottom). Shared by the SVG emitter and its tests.
#pragma once

#include <algorithm>

#include "emit/memory_map_layout.h"

namespace arenaplan::emit {

inline constexpr int kSvgWidth = 1200;
inline constexpr double kSvgLeft = 84;  // room for address labels
inline constexpr double kSvgPlotWidth = 1000;
inline constexpr double kSvgPlotHeight = 300;
inline constexpr double kSvgHeader = 52;  // title and legend
inline constexpr double kSvgPanelTitle = 24;
inline constexpr double kSvgGap = 14;
inline constexpr double kSvgMinExtent = 0.3;  // zero-size or tiny buffers stay visible

// Below each plot: numeric ticks, or rotated operator names when the caller labelled the steps.
inline double svg_axis_height(const MapLayout& layout, const MapLabels& labels) {
  return layout.timeline && !labels.steps.empty() ? 110.0 : 34.0;
}

struct SvgBox {
  double x, y, width, height;
};

struct SvgPanelGeometry {
  double top = 0;  // top of the plot area
  Step first = 0, last = 1;
  Bytes y_max = 1;

  double x_of(Step step) const {
    return kSvgLeft + static_cast<double>(step - first) / static_cast<double>(last - first) * kSvgPlotWidth;
  }
  double y_of(Bytes address) const {
    return top + kSvgPlotHeight - static_cast<double>(address) / static_cast<double>(y_max) * kSvgPlotHeight;
  }
  SvgBox box_of(const MapRect& r) const {
    const double x0 = x_of(r.first), x1 = x_of(r.last);
    const double h = static_cast<double>(r.size) / static_cast<double>(y_max) * kSvgPlotHeight;
    return {x0, y_of(r.offset + r.size), std::max(x1 - x0, kSvgMinExtent), std::max(h, kSvgMinExtent)};
  }
};

inline SvgPanelGeometry svg_panel_geometry(const MapPanel& panel, double panel_top) {
  SvgPanelGeometry g;
  g.top = panel_top + kSvgPanelTitle;
  g.first = panel.first;
  g.last = std::max(panel.last, panel.first + 1);
  g.y_max = std::max<Bytes>({panel.size, panel.lower_bound, 1});
  return g;
}

}  // namespace arenaplan::emit
