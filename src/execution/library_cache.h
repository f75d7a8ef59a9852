// The compiled kernel library, kept between runs of `arenaplan run`: every run compiles the same
// runtime sources with the same compiler and flags, which is most of its build time on small
// models. Entries are directories named by a key over everything the objects depend on; they are
// written to a temporary directory and renamed into place, so a reader never sees a partial one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace arenaplan::execution {

// A hex digest of the compiler (its resolved path, size and modification time), the compile
// command's flags, and the library files' names and texts.
std::string library_key(const std::string& compiler, const std::vector<std::string>& flags,
                        const std::vector<std::filesystem::path>& library_files);

// The cache entry for `key` when it holds every object named in `objects` (file names), else
// nothing.
std::optional<std::filesystem::path> find_library(const std::filesystem::path& cache, const std::string& key,
                                                  const std::vector<std::string>& objects);

// Stores `objects` as the entry for `key`. Best effort: a cache that cannot be written is skipped
// (the run does not depend on it); an entry that appeared meanwhile is kept.
void store_library(const std::filesystem::path& cache, const std::string& key,
                   const std::vector<std::filesystem::path>& objects);

}  // namespace arenaplan::execution
