// The layout shared by every memory-map emitter: panels (one per pool that holds a buffer), the
// rectangle of each buffer in timeline x address space, the peak step and the lower bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/memory_map.h"

namespace arenaplan::emit {

struct MapRect {
  std::int32_t buffer = -1;
  Step first = 0;  // x extent [first, last): the hull of the buffer's live ranges
  Step last = 0;
  Bytes offset = 0;
  Bytes size = 0;
  BufferKind kind = BufferKind::activation;
};

// An output placed over the input it replaces (an overlap allowance in use): both hold
// [shared_first, shared_last) at `step`, where the input dies and the output is born.
struct MapOverlap {
  std::int32_t input = -1;   // X
  std::int32_t output = -1;  // Y, written over X
  Step step = 0;
  Bytes shared_first = 0, shared_last = 0;
  Bytes input_offset = 0, output_offset = 0;
  Bytes distance = 0;  // what the allowance needs at least

  Bytes below() const { return input_offset - output_offset; }
};

struct MapPanel {
  std::int32_t pool = -1;
  Bytes size = 0;                 // the pool's size in the plan
  Bytes lower_bound = 0;          // for the buffers placed in this pool
  std::optional<Step> peak_step;  // the step with the most bytes live (timeline problems)
  Bytes peak_bytes = 0;
  std::int32_t top_buffer = -1;  // the buffer that ends highest (sets the pool's size)
  Step first = 0;                // x extent of the panel
  Step last = 1;
  std::vector<MapRect> rects;        // in buffer order
  std::vector<MapOverlap> overlaps;  // in output buffer order
};

struct MapLayout {
  bool timeline = true;  // false: no live ranges (conflicts only); x is the buffer's rank in its pool
  std::vector<MapPanel> panels;
};

MapLayout layout_memory_map(const Problem& problem, const Plan& plan);

// "Y over X at STEP: bytes A..B shared, starts N bytes below it (allowance D)", one line, with the
// buffers' names (or the text map's letters).
std::string overlap_text(const MapOverlap& o, std::string_view output, std::string_view input, const std::string& step);
std::string overlap_text(const Problem& problem, const MapOverlap& o, const std::string& step);

// The label of the span that holds `step`, or "step N".
std::string step_name(const MapLabels& labels, Step step);

// "1,234,567"
std::string group_digits(Bytes value);
// "12.5 KiB", "3 B"
std::string human_bytes(Bytes value);
// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(std::string_view text);
// The fill colour of each buffer kind (CSS hex).
std::string_view kind_colour(BufferKind kind);
inline constexpr BufferKind kAllKinds[] = {BufferKind::activation, BufferKind::scratch,  BufferKind::input,
                                           BufferKind::output,     BufferKind::variable, BufferKind::constant};

}  // namespace arenaplan::emit
