// libFuzzer harness: the pool specification parser (--pool), the pools file (JSON), placement
// rules (--place) and glob matching.
#include <cstdint>
#include <string>

#include "arenaplan/error.h"
#include "arenaplan/pools.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const arenaplan::PoolSpec spec = arenaplan::parse_pool_spec(text, "fuzz");
    (void)spec.to_pool();
    (void)spec.admits(arenaplan::BufferKind::scratch);
  } catch (const arenaplan::InputError&) {}
  try {
    const auto pools = arenaplan::parse_pools_json(text, "fuzz");
    arenaplan::check_pool_names(pools, "fuzz");
  } catch (const arenaplan::InputError&) {}
  try {
    const arenaplan::PlaceRule rule = arenaplan::parse_place_rule(text, "fuzz");
    (void)arenaplan::glob_match(rule.pattern, text);
  } catch (const arenaplan::InputError&) {}
  (void)arenaplan::glob_match(text, text);
  return 0;
}
