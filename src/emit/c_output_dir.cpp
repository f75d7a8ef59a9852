// Writing an output directory atomically: a fresh sibling directory, then renames.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"

namespace arenaplan {

void write_directory_atomically(const std::string& dir, const std::vector<EmittedFile>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target = fs::path(dir).lexically_normal();
  if (target.filename().empty() && target.has_relative_path()) target = target.parent_path();  // "out/" names out
  if (target.empty() || target.filename().empty()) throw InputError(fmt::format("-o '{}': not a directory name", dir));
  if (fs::exists(target, ec) && !fs::is_directory(target, ec))
    throw InputError(fmt::format("{}: exists and is not a directory (choose another -o)", dir));
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec))
    throw InputError(fmt::format("{}: the directory {} does not exist (create it first)", dir, parent.string()));
  const std::string tag = fmt::format(".{}.{}", target.filename().string(), ::getpid());
  const fs::path temp = parent / (tag + ".tmp"), old = parent / (tag + ".old");
  fs::remove_all(temp, ec);
  auto fail = [&](const std::string& what) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    throw InputError(fmt::format("{}: {}", dir, what));
  };
  if (!fs::create_directory(temp, ec)) fail(fmt::format("cannot create a directory next to it ({})", ec.message()));
  for (const EmittedFile& f : files) {
    std::ofstream out(temp / f.name, std::ios::binary);
    out << f.text;
    out.close();
    if (!out) fail(fmt::format("cannot write {}", f.name));
  }
  const bool replace = fs::exists(target, ec);
  if (replace) {
    fs::rename(target, old, ec);
    if (ec) fail(fmt::format("cannot replace it ({})", ec.message()));
  }
  fs::rename(temp, target, ec);
  if (ec) {
    if (replace) fs::rename(old, target, ec);
    fail("cannot rename the new directory into place");
  }
  if (replace) fs::remove_all(old, ec);
}

}  // namespace arenaplan
