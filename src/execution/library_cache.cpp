#include "execution/library_cache.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

namespace arenaplan::execution {
namespace {

namespace fs = std::filesystem;

// FNV-1a, 64 bits: stable across machines and standard libraries (std::hash is not).
struct Digest {
  std::uint64_t h = 1469598103934665603ull;
  void add(std::string_view text) {
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // a separator, so that ("ab", "c") differs from ("a", "bc")
  }
};

// The compiler as found on PATH (a name without a slash), with symlinks resolved.
fs::path resolve_compiler(const std::string& compiler) {
  std::error_code ec;
  if (compiler.find('/') != std::string::npos) return fs::canonical(compiler, ec);
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / compiler;
    if (::access(candidate.c_str(), X_OK) == 0) return fs::canonical(candidate, ec);
  }
  return {};
}

// Staging directories of runs that were killed (".library-KEY.PID.TIME", PID gone).
void remove_abandoned(const fs::path& cache) {
  std::error_code ec;
  for (fs::directory_iterator it(cache, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(".library-")) continue;
    const auto first = name.find('.', 1), second = first == std::string::npos ? first : name.find('.', first + 1);
    if (second == std::string::npos) continue;
    const long pid = std::strtol(name.c_str() + first + 1, nullptr, 10);
    std::error_code ignored;
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(it->path(), ignored);
  }
}

}  // namespace

std::string library_key(const std::string& compiler, const std::vector<std::string>& flags,
                        const std::vector<fs::path>& library_files) {
  Digest d;
  const fs::path resolved = resolve_compiler(compiler);
  d.add(compiler);
  d.add(resolved.string());
  std::error_code ec;
  if (!resolved.empty()) {
    d.add(std::to_string(fs::file_size(resolved, ec)));
    d.add(std::to_string(fs::last_write_time(resolved, ec).time_since_epoch().count()));
  }
  for (const std::string& flag : flags) d.add(flag);
  for (const fs::path& file : library_files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    d.add(file.filename().string());
    d.add(text.str());
  }
  return fmt::format("{:016x}", d.h);
}

std::optional<fs::path> find_library(const fs::path& cache, const std::string& key,
                                     const std::vector<std::string>& objects) {
  const fs::path entry = cache / ("library-" + key);
  std::error_code ec;
  for (const std::string& name : objects)
    if (!fs::is_regular_file(entry / name, ec)) return std::nullopt;
  return entry;
}

void store_library(const fs::path& cache, const std::string& key, const std::vector<fs::path>& objects) {
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) return;
  remove_abandoned(cache);
  const fs::path entry = cache / ("library-" + key);
  const fs::path staging = cache / fmt::format(".library-{}.{}.{}", key, ::getpid(),
                                               std::chrono::steady_clock::now().time_since_epoch().count());
  fs::create_directory(staging, ec);
  for (const fs::path& object : objects) {
    if (ec) break;
    fs::copy_file(object, staging / object.filename(), ec);
  }
  // rename() refuses a non-empty target: another run stored the same entry first, which is kept.
  if (!ec) fs::rename(staging, entry, ec);
  if (ec) fs::remove_all(staging, ec);
}

}  // namespace arenaplan::execution
