// Reading a plan JSON with simdjson, for plans of a million buffers. Only the well-formed case:
// anything unexpected returns nullopt and the caller reads the file with nlohmann instead, which
// words every error message (so both readers fail alike, with one code path for the wording).
#pragma once

#include <optional>
#include <string>

#include "arenaplan/limits.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// As parse_plan_json, given text without a NUL byte (the caller refuses one first). Throws, as
// the full reader would, for more buffers or bytes than `limits` allow.
std::optional<Plan> parse_plan_json_fast(const std::string& text, const std::string& path, const Problem& problem,
                                         std::optional<std::string>& mismatch, const InputLimits& limits);

}  // namespace arenaplan
