// Compiled against one layer's target only (tests/CMakeLists.txt): includes ARENAPLAN_PROBE_HEADER,
// which must be found when the header belongs to the layer or one below it, and not otherwise.
#include ARENAPLAN_PROBE_HEADER

int arenaplan_layering_probe();
