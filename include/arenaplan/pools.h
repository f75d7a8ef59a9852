// Memory pools as the user describes them: `--pool NAME:key=value,...` on the command line, or
// the same in a small JSON pools file; and per-tensor placement rules (`--place 'conv*=dtcm'`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan {

struct PoolSpec {
  std::string name;                     // a C identifier: the generated code uses it
  PoolKind kind = PoolKind::workspace;  // workspace (read-write) or constant (read-only)
  std::optional<Bytes> size;            // hard limit; none = unlimited
  Bytes alignment = 1;                  // of the pool's base address
  bool external = false;                // the user passes a pointer; else the generated code owns it
  std::optional<std::string> section;   // linker section of an internal pool's array
  std::vector<BufferKind> kinds;        // buffers it may hold; empty = every kind of its pool kind

  bool admits(BufferKind kind) const;  // by pool kind and `kinds`
  Pool to_pool() const;
};

// One pool from `NAME[:key=value,...]`. Keys: size=64K, align=16, kind=workspace|constant,
// kinds=activation+scratch, external (or external=true|false, internal), section=.dtcm_bss.
// Throws InputError "WHERE: problem" for anything malformed or absurd.
PoolSpec parse_pool_spec(std::string_view text, std::string_view where);

// A pools file: {"pools": [{"name": "dtcm", "size": "64K", "align": 16, "kind": "workspace",
// "kinds": ["activation", "scratch"], "external": false, "section": ".dtcm"}, ...]}
// (or the array alone); sizes may be numbers or strings with K/M suffixes.
std::vector<PoolSpec> parse_pools_json(const std::string& text, const std::string& source,
                                       const InputLimits& limits = {});
std::vector<PoolSpec> read_pools_file(const std::string& path, const InputLimits& limits = {});

// Throws InputError when two pools share a name.
void check_pool_names(const std::vector<PoolSpec>& pools, std::string_view where);

// `PATTERN=POOL`: buffers (or tensors) whose name matches the glob PATTERN go to POOL.
struct PlaceRule {
  std::string pattern;  // * any run of characters, ? one character
  std::string pool;
  std::string text;  // as given, for reports
};
PlaceRule parse_place_rule(std::string_view text, std::string_view where);
bool glob_match(std::string_view pattern, std::string_view name);

// The memories of a chip and where buffers may go.
struct PoolSetup {
  std::vector<PoolSpec> pools;   // in priority order; kinds without a pool get an unlimited default
  std::vector<PlaceRule> place;  // per-tensor overrides, first match wins
  std::string where = "--pool";  // names the pools in messages
};

// Why a buffer went where it did.
struct BufferChoice {
  Bytes access_bytes = 0;  // bytes read and written during one run
  double density = 0.0;    // access_bytes / size
  std::string reason;
};

}  // namespace arenaplan
