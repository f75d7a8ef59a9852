// A kernel's output buffer between guard bytes, to prove the kernel writes nothing outside it.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace arenaplan::test {

// An output of n elements of T with 16 guard bytes of 0x5a on each side.
template <typename T>
class Guarded {
 public:
  explicit Guarded(std::size_t n) : bytes_(n * sizeof(T) + 2 * kGuard, 0x5a), n_(n) {}
  T* data() { return reinterpret_cast<T*>(bytes_.data() + kGuard); }
  std::vector<T> values() {
    std::vector<T> v(n_);
    std::memcpy(v.data(), data(), n_ * sizeof(T));
    return v;
  }
  bool guards_intact() const {
    for (std::size_t i = 0; i < kGuard; ++i)
      if (bytes_[i] != 0x5a || bytes_[bytes_.size() - 1 - i] != 0x5a) return false;
    return true;
  }

 private:
  static constexpr std::size_t kGuard = 16;
  std::vector<std::uint8_t> bytes_;
  std::size_t n_;
};

}  // namespace arenaplan::test
