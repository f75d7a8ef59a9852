#include "io/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/limits.h"

namespace arenaplan {

namespace {

// `size`: the file's size when it is known before reading (0: not known).
std::string too_large(const std::string& path, std::uintmax_t size, std::size_t max_bytes) {
  return fmt::format(
      "{}: file is {}larger than the limit of {} bytes{}", path,
      size > 0 ? fmt::format("{} bytes, ", size) : std::string(), max_bytes,
      static_cast<std::int64_t>(max_bytes) == input_limits().max_file_bytes ? " (raise it with --max-file-size)" : "");
}

}  // namespace

std::string read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(fmt::format("{}: is a directory, not a file", path));
  // A regular file is measured before a byte is read; pipes and devices are counted as they come.
  const bool regular = std::filesystem::is_regular_file(path, ec);
  const std::uintmax_t size = regular ? std::filesystem::file_size(path, ec) : 0;
  if (regular && !ec && size > max_bytes) throw InputError(too_large(path, size, max_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::string content;
  if (regular && !ec) content.reserve(static_cast<std::size_t>(size));
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) throw InputError(too_large(path, 0, max_bytes));
  }
  if (in.bad()) throw InputError(fmt::format("{}: read error", path));
  return content;
}

std::string read_file(const std::string& path) {
  return read_file(path, static_cast<std::size_t>(input_limits().max_file_bytes));
}

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::filesystem::path target(path);
  std::filesystem::path temp = target;
  temp += fmt::format(".tmp{}", std::random_device{}());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      throw InputError(fmt::format("{}: write failed", path));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw InputError(fmt::format("{}: cannot write: {}", path, ec.message()));
  }
}

}  // namespace arenaplan
