// The inline stylesheet and script of the HTML memory map (no network, no external files).
#pragma once

namespace arenaplan::emit {

extern const char* const kMapHtmlStyle;
extern const char* const kMapHtmlScript;

}  // namespace arenaplan::emit
