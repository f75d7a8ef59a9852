// Output files: a temporary file beside the target (".NAME.arenaplan-PID.tmp", locked while it
// exists), fsynced, then renamed over the target. Devices and FIFOs are written through instead:
// renaming over them would replace /dev/null with a regular file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "io/files.h"
#include "io/leftovers.h"
#include "io/staged_output.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

class StagedFile final : public StagedOutput {
 public:
  // `write` puts the content on a file descriptor (false, errno set, when a write failed).
  StagedFile(std::string option_name, std::string path, std::function<bool(int)> write)
      : StagedOutput(std::move(option_name), std::move(path)), write_(std::move(write)) {}
  ~StagedFile() override { discard(); }

  void stage(const std::vector<std::string>& inputs) override {
    target_ = follow_symlinks(shown);
    refuse_input_as_output(target_, shown, option, inputs);
    struct stat info {};
    const bool exists = ::lstat(target_.c_str(), &info) == 0;
    if (exists && S_ISDIR(info.st_mode)) fail("is a directory (give a file name)");
    if (exists && !S_ISREG(info.st_mode)) {  // a device, a FIFO, a socket: written through at commit
      write_through_ = true;
      if (::access(target_.c_str(), W_OK) != 0) fail(std::strerror(errno));
      return;
    }
    const fs::path dir = target_.parent_path();
    const std::string base = target_.filename().string().substr(0, 200);  // room for the suffix in NAME_MAX
    const std::string prefix = "." + base + ".arenaplan-";
    for_each_stale_leftover(dir.empty() ? "." : dir, prefix, ".tmp", [](const fs::path& p) { ::unlink(p.c_str()); });
    temp_ = dir / fmt::format("{}{}.tmp", prefix, ::getpid());
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd_ < 0) {
      temp_.clear();
      fail(std::strerror(errno));
    }
    try_lock(fd_);  // marks the temporary file as in use until it is renamed or removed
    if (exists) ::fchmod(fd_, info.st_mode & 07777);  // a replaced file keeps its permissions
    if (!write_(fd_) || ::fsync(fd_) != 0) {
      const int error = errno;
      discard();
      fail(std::strerror(error));
    }
  }

  void commit() override {
    if (write_through_) {
      const int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
      const bool ok = fd >= 0 && write_(fd);
      const int error = errno;
      if (fd >= 0) ::close(fd);
      if (!ok) fail(std::strerror(error));
      return;
    }
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      const int error = errno;
      discard();
      fail(std::strerror(error));
    }
    temp_.clear();
    sync_directory(target_.parent_path());
    close_file();
  }

  void discard() noexcept override {
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
    close_file();
  }

  fs::path destination() const override { return target_; }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw InputError(fmt::format("{}: cannot write: {}", shown, why));
  }
  void close_file() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  std::function<bool(int)> write_;
  fs::path target_, temp_;
  int fd_ = -1;
  bool write_through_ = false;
};

}  // namespace

std::unique_ptr<StagedOutput> staged_file(std::string option, std::string path, std::string content) {
  return std::make_unique<StagedFile>(std::move(option), std::move(path),
                                      [content = std::move(content)](int fd) { return write_all(fd, content, false); });
}

std::unique_ptr<StagedOutput> staged_file(std::string option, std::string path,
                                          std::function<void(std::ostream&)> write) {
  return std::make_unique<StagedFile>(std::move(option), std::move(path),
                                      [write = std::move(write)](int fd) { return write_stream(fd, write); });
}

}  // namespace arenaplan
