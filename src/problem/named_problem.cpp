#include "problem/named_problem.h"

#include <unordered_map>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan {
namespace {

bool defaulted(const NamedBuffer& b) { return !b.pools && b.buffer.pools.empty(); }

// One unlimited workspace pool, and a constant pool when constants need one.
void add_default_pools(std::vector<Pool>& pools, const std::vector<NamedBuffer>& buffers) {
  auto has_kind = [&](PoolKind kind) {
    for (const Pool& p : pools)
      if (p.kind == kind) return true;
    return false;
  };
  bool wants_default = false, wants_constant = false;
  for (const NamedBuffer& b : buffers) {
    if (!defaulted(b)) continue;
    (b.buffer.kind == BufferKind::constant ? wants_constant : wants_default) = true;
  }
  if (wants_default && !has_kind(PoolKind::workspace) && !has_kind(PoolKind::persistent))
    pools.push_back({"global_workspace", std::nullopt, 1, PoolKind::workspace});
  if (wants_constant && !has_kind(PoolKind::constant))
    pools.push_back({"global_constants", std::nullopt, 1, PoolKind::constant});
}

}  // namespace

Problem resolve_names(std::vector<Pool> pools, std::vector<NamedBuffer> buffers, const std::string& source) {
  auto fail = [&](const std::string& where, const std::string& what) {
    throw InputError(fmt::format("{}: {}: {}", source, where, what));
  };
  add_default_pools(pools, buffers);
  Problem problem;
  problem.pools = std::move(pools);
  std::unordered_map<std::string, std::int32_t> pool_index, buffer_index;
  for (std::size_t i = 0; i < problem.pools.size(); ++i)
    pool_index.emplace(problem.pools[i].name, static_cast<std::int32_t>(i));
  for (std::size_t i = 0; i < buffers.size(); ++i)
    if (!buffer_index.emplace(buffers[i].buffer.name, static_cast<std::int32_t>(i)).second)
      fail(fmt::format("buffers[{}]", i), fmt::format("buffer '{}' is defined twice", buffers[i].buffer.name));

  problem.buffers.reserve(buffers.size());
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    NamedBuffer& named = buffers[i];
    Buffer& b = named.buffer;
    const std::string at = fmt::format("buffers[{}] ('{}')", i, b.name);
    for (const std::string& name : named.conflicts) {
      auto it = buffer_index.find(name);
      if (it == buffer_index.end()) fail(at + ".conflicts", fmt::format("unknown buffer '{}'", name));
      b.conflicts.push_back(it->second);
    }
    for (std::size_t k = 0; k < named.overlaps.size(); ++k) {
      const auto& [name, distance] = named.overlaps[k];
      auto it = buffer_index.find(name);
      if (it == buffer_index.end())
        fail(fmt::format("{}.overlaps[{}].with", at, k), fmt::format("unknown buffer '{}'", name));
      b.overlaps.push_back({it->second, distance});
    }
    if (named.pools) {
      for (const std::string& name : *named.pools) {
        auto it = pool_index.find(name);
        if (it == pool_index.end()) fail(at + ".pool_candidates", fmt::format("unknown pool '{}'", name));
        b.pools.push_back(it->second);
      }
    } else if (b.pools.empty()) {
      for (std::size_t p = 0; p < problem.pools.size(); ++p) {
        const bool constant_pool = problem.pools[p].kind == PoolKind::constant;
        if (constant_pool == (b.kind == BufferKind::constant)) b.pools.push_back(static_cast<std::int32_t>(p));
      }
    }
    problem.buffers.push_back(std::move(b));
  }
  return problem;
}

ProblemDraft::ProblemDraft(const Problem& normalised)
    : pools_(normalised.pools), ready_(std::make_shared<const Problem>(normalised)) {
  buffers_.reserve(normalised.buffers.size());
  for (const Buffer& b : normalised.buffers) buffers_.push_back({b, {}, std::nullopt, {}});
}

std::int32_t ProblemDraft::add_pool(Pool pool) {
  ready_.reset();
  pools_.push_back(std::move(pool));
  return pool_count() - 1;
}

std::int32_t ProblemDraft::add_buffer(NamedBuffer buffer) {
  if (buffers_.size() >= 0x7ffffff0) throw InputError("problem: too many buffers");
  ready_.reset();
  buffers_.push_back(std::move(buffer));
  return buffer_count() - 1;
}

NamedBuffer& ProblemDraft::buffer(std::int32_t index, std::string_view where) {
  if (index < 0 || index >= buffer_count())
    throw InputError(fmt::format("{}: buffer index {} does not exist ({} buffers)", where, index, buffers_.size()));
  ready_.reset();
  return buffers_[static_cast<std::size_t>(index)];
}

std::shared_ptr<const Problem> ProblemDraft::snapshot() const {
  if (!ready_) {
    Problem resolved = resolve_names(pools_, buffers_, "problem");
    normalise(resolved, "problem");
    ready_ = std::make_shared<const Problem>(std::move(resolved));
  }
  return ready_;
}

}  // namespace arenaplan
