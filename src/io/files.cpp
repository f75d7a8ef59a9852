#include "io/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <streambuf>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"

namespace arenaplan {

namespace {

// `size`: the file's size when it is known before reading (0: not known).
std::string too_large(const std::string& path, std::uintmax_t size, std::size_t max_bytes) {
  return fmt::format("{}: file is {}larger than the limit of {} bytes", path,
                     size > 0 ? fmt::format("{} bytes, ", size) : std::string(), max_bytes);
}

std::string read_file(const std::string& path, std::size_t max_bytes, Remedy remedy) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(fmt::format("{}: is a directory, not a file", path));
  // A regular file is measured before a byte is read; pipes and devices are counted as they come.
  const bool regular = std::filesystem::is_regular_file(path, ec);
  const std::uintmax_t size = regular ? std::filesystem::file_size(path, ec) : 0;
  if (regular && !ec && size > max_bytes) throw InputError(too_large(path, size, max_bytes), remedy);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::string content;
  // 64 bytes to spare after the text: simdjson's padding, so the plan reader parses in place.
  if (regular && !ec) content.reserve(static_cast<std::size_t>(size) + 64);
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) throw InputError(too_large(path, 0, max_bytes), remedy);
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

std::filesystem::path follow_symlinks(const std::string& path) {
  std::filesystem::path at = path;
  for (int hops = 0;; ++hops) {
    struct stat info {};
    if (::lstat(at.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return at;
    if (hops == 40) throw InputError(fmt::format("{}: too many levels of symbolic links", path));
    std::error_code ec;
    const std::filesystem::path link = std::filesystem::read_symlink(at, ec);
    if (ec) throw InputError(fmt::format("{}: cannot read the symbolic link: {}", path, ec.message()));
    at = link.is_absolute() ? link : at.parent_path() / link;
  }
}

void refuse_input_as_output(const std::filesystem::path& target, const std::string& shown, const std::string& option,
                            const std::vector<std::string>& inputs) {
  struct stat out {};
  if (::stat(target.c_str(), &out) != 0) return;
  for (const std::string& input : inputs) {
    struct stat in {};
    if (::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      throw InputError(
          fmt::format("{}: {} names the input file {}; writing it would destroy the input (choose another {})", shown,
                      option, input, option));
  }
}

bool write_all(int fd, std::string_view content, bool sync) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return !sync || ::fsync(fd) == 0;
}

namespace {

// An output stream buffer onto a file descriptor; remembers the first failed write.
class FdBuffer final : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  bool drain() {
    if (ok_ && !write_all(fd_, std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())), false)) {
      ok_ = false;
      error_ = errno;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return ok_;
  }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n > epptr() - pptr()) {
      if (!drain()) return 0;
      if (n > epptr() - pptr()) {  // larger than the buffer: straight through
        if (!write_all(fd_, std::string_view(s, static_cast<std::size_t>(n)), false)) {
          ok_ = false;
          error_ = errno;
          return 0;
        }
        return n;
      }
    }
    std::memcpy(pptr(), s, static_cast<std::size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  int fd_;
  bool ok_ = true;
  int error_ = 0;
  char buffer_[1 << 16];
};

}  // namespace

bool write_stream(int fd, const std::function<void(std::ostream&)>& write) {
  FdBuffer buffer(fd);
  std::ostream out(&buffer);
  write(out);
  const bool ok = buffer.drain();
  errno = buffer.error();
  return ok;
}

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the data itself is already synced
  ::fsync(fd);
  ::close(fd);
}

}  // namespace arenaplan
