// Helpers for the memory-map tests: small problems, a temporary directory, file I/O.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "arenaplan/algorithm.h"
#include "arenaplan/problem.h"

namespace arenaplan::test {

// A fresh directory under the system temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "arenaplan-maps-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// `n` interval buffers with random live ranges and sizes in one pool (deterministic for a seed).
inline Problem random_intervals(std::size_t n, std::uint64_t seed, Step steps = 200) {
  std::mt19937_64 rng(seed);
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  for (std::size_t i = 0; i < n; ++i) {
    Buffer b;
    b.name = "t" + std::to_string(i);
    const Step first = static_cast<Step>(rng() % static_cast<std::uint64_t>(steps));
    b.live = {{first, first + 1 + static_cast<Step>(rng() % 12)}};
    b.size = 16 + static_cast<Bytes>(rng() % 4000);
    b.pools = {0};
    b.kind = i % 7 == 0 ? BufferKind::scratch : BufferKind::activation;
    p.buffers.push_back(std::move(b));
  }
  normalise(p, "random");
  return p;
}

// `n` buffers in one pool joined by about `per_buffer` random explicit conflicts each: the clique
// bound is far from what any plan needs, so searches use all of their budget.
inline Problem random_conflicts(std::size_t n, int per_buffer, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  p.buffers.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    p.buffers[i].name = "c" + std::to_string(i);
    p.buffers[i].size = 16 + static_cast<Bytes>(rng() % 500);
    p.buffers[i].pools = {0};
  }
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < per_buffer; ++k) {
      const auto j = static_cast<std::int32_t>(rng() % n);
      if (static_cast<std::size_t>(j) != i) p.buffers[i].conflicts.push_back(j);
    }
  normalise(p, "random conflicts");
  return p;
}

// The five-buffer example of the tests: sizes and live ranges chosen by hand.
inline Problem five_buffers() {
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  const struct {
    Step first, last;
    Bytes size;
    BufferKind kind;
  } rows[] = {{0, 3, 100, BufferKind::input},
              {1, 4, 200, BufferKind::activation},
              {3, 6, 150, BufferKind::scratch},
              {4, 8, 50, BufferKind::activation},
              {6, 9, 300, BufferKind::output}};
  int k = 0;
  for (const auto& r : rows) {
    Buffer b;
    b.name = "b" + std::to_string(k++);
    b.live = {{r.first, r.last}};
    b.size = r.size;
    b.kind = r.kind;
    b.pools = {0};
    p.buffers.push_back(std::move(b));
  }
  normalise(p, "five");
  return p;
}

}  // namespace arenaplan::test
