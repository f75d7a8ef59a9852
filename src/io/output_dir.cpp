// `compile -o DIR`: the files arenaplan writes into DIR, listed in DIR/.arenaplan-manifest, are
// replaced as one transaction; any other file in DIR is left alone, and a non-empty DIR without a
// manifest is refused. The journal, all in DIR (under an flock on DIR):
//   1. every new file is written and fsynced as .arenaplan-tmp.NAME, the new list as
//      .arenaplan-tmp-manifest;
//   2. that list is renamed to .arenaplan-manifest.new: the commit point;
//   3. each .arenaplan-tmp.NAME is renamed to NAME, files of the old list that the new one lacks
//      are removed, and .arenaplan-manifest.new becomes .arenaplan-manifest.
// A run killed before 2 leaves only .arenaplan-tmp* files, which the next run removes; killed
// after 2, the next run finishes step 3. Either way the old files are never lost.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "io/files.h"
#include "io/leftovers.h"
#include "io/staged_output.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kManifest = ".arenaplan-manifest";
constexpr std::string_view kCommitted = ".arenaplan-manifest.new";
constexpr std::string_view kTempPrefix = ".arenaplan-tmp";
constexpr std::string_view kTempManifest = ".arenaplan-tmp-manifest";
constexpr std::string_view kManifestHeader =
    "# arenaplan compile output: arenaplan wrote the files below and replaces them on the next compile into this "
    "directory; it leaves every other file alone\n";

bool ours(std::string_view name) { return name.starts_with(".arenaplan-"); }

// A name the manifest may hold: a plain file name in DIR, never one of the journal's own.
bool plain_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos && !ours(name);
}

std::string temp_name(const std::string& name) { return fmt::format("{}.{}", kTempPrefix, name); }

class StagedDirectory final : public StagedOutput {
 public:
  StagedDirectory(std::string option_name, std::string dir, std::vector<OutputFile> files)
      : StagedOutput(std::move(option_name), std::move(dir)), files_(std::move(files)) {}
  ~StagedDirectory() override { discard(); }

  void stage(const std::vector<std::string>& inputs) override {
    target_ = follow_symlinks(shown).lexically_normal();
    if (target_.filename().empty() && target_.has_relative_path()) target_ = target_.parent_path();  // "out/"
    if (target_.empty() || target_.filename().empty() || target_.filename() == "..")
      throw InputError(fmt::format("{} '{}': not a directory name", option, shown));
    const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
      fail(fmt::format("the directory {} does not exist (create it first)", parent.string()));
    recover_legacy_siblings(parent);
    struct stat info {};
    if (::lstat(target_.c_str(), &info) == 0 && !S_ISDIR(info.st_mode))
      fail(fmt::format("exists and is not a directory (choose another {})", option));
    if (::mkdir(target_.c_str(), 0777) == 0) {
      created_ = true;
      sync_directory(parent);
    } else if (errno != EEXIST) {
      fail(fmt::format("cannot create it: {}", std::strerror(errno)));
    }
    fd_ = ::open(target_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) fail(fmt::format("cannot open it: {}", std::strerror(errno)));
    recover();
    const std::set<std::string> previous = previous_output();
    std::string manifest(kManifestHeader);
    for (const OutputFile& f : files_) {
      if (!plain_name(f.name)) throw std::logic_error("emitted file name '" + f.name + "' is not a plain name");
      const fs::path final_path = target_ / f.name;
      if (!previous.contains(f.name) && ::lstat(final_path.c_str(), &info) == 0)
        fail(fmt::format("{} exists and arenaplan did not write it (move it away, or choose another {})", f.name,
                         option));
      refuse_input_as_output(final_path, (fs::path(shown) / f.name).string(), option, inputs);
      write_synced(target_ / temp_name(f.name), f.text, f.name);
      manifest += f.name + '\n';
    }
    write_synced(target_ / kTempManifest, manifest, std::string(kManifest));
    sync_directory(target_);
  }

  void commit() override {
    if (::rename((target_ / kTempManifest).c_str(), (target_ / kCommitted).c_str()) != 0)
      fail(fmt::format("cannot write {}: {}", kCommitted, std::strerror(errno)));
    sync_directory(target_);
    created_ = false;  // committed: from here on the next run finishes the job, nothing is undone
    roll_forward();
    close_dir();
  }

  void discard() noexcept override {
    if (fd_ >= 0) {  // only while locked: after that the temporaries may be another run's
      for (const OutputFile& f : files_) ::unlink((target_ / temp_name(f.name)).c_str());
      ::unlink((target_ / kTempManifest).c_str());
    }
    if (created_) ::rmdir(target_.c_str());
    created_ = false;
    close_dir();
  }

  fs::path destination() const override { return target_; }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw InputError(fmt::format("{}: {}", shown, why)); }

  void close_dir() noexcept {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
    fd_ = -1;
  }

  void write_synced(const fs::path& path, std::string_view text, const std::string& name) const {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    const bool ok = fd >= 0 && write_all(fd, text, true);
    const int error = errno;
    if (fd >= 0) ::close(fd);
    if (!ok) fail(fmt::format("cannot write {}: {}", name, std::strerror(error)));
  }

  // The file names listed in `manifest` (absent: none); a damaged list is an input error.
  std::set<std::string> read_list(std::string_view manifest) const {
    std::set<std::string> names;
    const fs::path path = target_ / manifest;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) return names;
    const std::string text = read_file(path.string(), std::size_t{1} << 20);
    std::size_t line = 0;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      const std::string name = text.substr(at, end - at);
      at = end + 1;
      ++line;
      if (name.empty() || name.front() == '#') continue;
      if (!plain_name(name))
        fail(fmt::format("{} line {}: '{}' is not a file name arenaplan writes (the list is damaged)", manifest, line,
                         name));
      names.insert(name);
    }
    return names;
  }

  // Finishes a committed run (step 3), then drops what an uncommitted one left.
  void recover() {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target_ / kCommitted, ec))) roll_forward();
    for (fs::directory_iterator it(target_, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename().string().starts_with(kTempPrefix) && it->is_regular_file(ec))
        ::unlink(it->path().c_str());
  }

  void roll_forward() {
    const std::set<std::string> next = read_list(kCommitted), old = read_list(kManifest);
    for (const std::string& name : next) {
      const fs::path temp = target_ / temp_name(name);
      if (::rename(temp.c_str(), (target_ / name).c_str()) != 0 && errno != ENOENT)
        fail(fmt::format("cannot rename {} into place: {}", name, std::strerror(errno)));
    }
    for (const std::string& name : old)
      if (!next.contains(name)) ::unlink((target_ / name).c_str());
    sync_directory(target_);
    if (::rename((target_ / kCommitted).c_str(), (target_ / kManifest).c_str()) != 0)
      fail(fmt::format("cannot rename {} into place: {}", kManifest, std::strerror(errno)));
    sync_directory(target_);
  }

  // The files of the previous compile output in DIR; refuses a DIR holding anything else
  // without a manifest (it is not ours to fill).
  std::set<std::string> previous_output() const {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target_ / kManifest, ec))) return read_list(kManifest);
    for (fs::directory_iterator it(target_, ec), end; !ec && it != end; it.increment(ec))
      if (!ours(it->path().filename().string()))
        fail(fmt::format(
            "the directory is not empty and is not an arenaplan compile output (no {}; it holds {}): choose a new or "
            "empty directory",
            kManifest, it->path().filename().string()));
    return {};
  }

  // Earlier versions built DIR as a sibling .DIR.PID.tmp and swapped the old one out to
  // .DIR.PID.old: a killed run could leave DIR missing. Restore or drop those of dead processes.
  void recover_legacy_siblings(const fs::path& parent) const {
    const std::string prefix = "." + target_.filename().string() + ".";
    for (const char* kind : {".old", ".tmp"}) {
      for_each_stale_leftover(parent, prefix, kind, [&](const fs::path& p) {
        std::error_code ec;
        if (!p.filename().string().ends_with(kind)) return;
        if (std::string_view(kind) == ".old" && !fs::exists(fs::symlink_status(target_, ec)))
          fs::rename(p, target_, ec);  // the only copy of the previous output
        else
          fs::remove_all(p, ec);
      });
    }
  }

  std::vector<OutputFile> files_;
  fs::path target_;
  int fd_ = -1;
  bool created_ = false;
};

}  // namespace

std::unique_ptr<StagedOutput> staged_directory(std::string option, std::string dir, std::vector<OutputFile> files) {
  return std::make_unique<StagedDirectory>(std::move(option), std::move(dir), std::move(files));
}

}  // namespace arenaplan
