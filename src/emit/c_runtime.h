// The C kernel library (runtime/) embedded in arenaplan: copied into `compile` output directories.
#pragma once

#include <span>
#include <string_view>

namespace arenaplan::c_out {

struct RuntimeFile {
  std::string_view name;
  std::string_view text;
};

std::span<const RuntimeFile> runtime_files();

}  // namespace arenaplan::c_out
