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

namespace arenaplan {

namespace {

std::string read_file(const std::string& path, std::size_t max_bytes, Remedy remedy) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(fmt::format("{}: is a directory, not a file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::string content;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes)
      throw InputError(fmt::format("{}: file is larger than the limit of {} bytes", path, max_bytes), remedy);
  }
  if (in.bad()) throw InputError(fmt::format("{}: read error", path));
  return content;
}

}  // namespace

std::string read_file(const std::string& path, std::size_t max_bytes) {
  return read_file(path, max_bytes, Remedy::none);
}

std::string read_file(const std::string& path, const InputLimits& limits) {
  return read_file(path, static_cast<std::size_t>(limits.max_file_bytes), Remedy::raise_max_file_bytes);
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
