// The stylesheet and script of the HTML memory map (src/emit/assets/memory_map.{css,js}, embedded
// at build time by cmake/map_assets.cmake), inlined into the page: no network, no external files.
// The script reads the JSON in <script id="data">, draws one SVG panel per pool, and adds hover
// details, zoom and a sortable table.
#pragma once

namespace arenaplan::emit {

extern const char* const kMapHtmlStyle;
extern const char* const kMapHtmlScript;

}  // namespace arenaplan::emit
