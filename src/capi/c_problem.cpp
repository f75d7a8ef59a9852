// The C API: building and reading problems.
#include <algorithm>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/io.h"
#include "arenaplan/lower_bound.h"
#include "capi/c_handles.h"

using namespace arenaplan;
using arenaplan::capi::guarded;
using arenaplan::capi::guarded_value;
using arenaplan::capi::need;

namespace arenaplan::capi {

namespace {
thread_local std::string last_error;
}

arenaplan_status fail(arenaplan_status status, const std::string& message) {
  last_error = message;
  return status;
}

const Problem& problem_of(const arenaplan_problem* problem) {
  const arenaplan_problem& p = need(problem, "arenaplan", "problem");
  return p.view != nullptr ? *p.view : p.draft.problem();
}

}  // namespace arenaplan::capi

namespace {

ProblemDraft& editable(arenaplan_problem* problem, const char* function) {
  arenaplan_problem& p = need(problem, function, "problem");
  if (p.view != nullptr)
    throw InputError(fmt::format("{}: the problem of an algorithm callback is read-only", function));
  return p.draft;
}

NamedBuffer& buffer_at(ProblemDraft& draft, std::int32_t buffer, const char* function) {
  return draft.buffer(buffer, function);
}

// Reading functions: a valid index into the problem being read, else the fallback.
template <class T, class F>
T read_buffer(const arenaplan_problem* problem, std::int32_t buffer, T fallback, F&& read) {
  return guarded_value(fallback, [&]() -> T {
    const Problem& p = capi::problem_of(problem);
    if (buffer < 0 || static_cast<std::size_t>(buffer) >= p.buffers.size()) return fallback;
    return read(p.buffers[static_cast<std::size_t>(buffer)]);
  });
}

template <class T, class F>
T read_pool(const arenaplan_problem* problem, std::int32_t pool, T fallback, F&& read) {
  return guarded_value(fallback, [&]() -> T {
    const Problem& p = capi::problem_of(problem);
    if (pool < 0 || static_cast<std::size_t>(pool) >= p.pools.size()) return fallback;
    return read(p.pools[static_cast<std::size_t>(pool)]);
  });
}

}  // namespace

extern "C" {

const char* arenaplan_last_error(void) { return capi::last_error.c_str(); }

arenaplan_status arenaplan_problem_create(arenaplan_problem** out) {
  return guarded([&] {
    arenaplan_problem*& result = need(out, "arenaplan_problem_create", "out");  // checked before allocating
    result = new arenaplan_problem();
  });
}

arenaplan_status arenaplan_problem_read(const char* path, arenaplan_problem** out) {
  return guarded([&] {
    arenaplan_problem*& result = need(out, "arenaplan_problem_read", "out");
    result = nullptr;
    std::ostringstream warnings;  // asymmetric conflicts are made symmetric; the C API does not report them
    auto p = std::make_unique<arenaplan_problem>();
    p->draft = ProblemDraft(read_problem(capi::need_text(path, "arenaplan_problem_read", "path"), warnings));
    result = p.release();
  });
}

void arenaplan_problem_destroy(arenaplan_problem* problem) { delete problem; }

arenaplan_status arenaplan_problem_add_pool(arenaplan_problem* problem, const char* name, int64_t limit,
                                            int64_t alignment, arenaplan_pool_kind kind, int32_t* index_out) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_problem_add_pool";
    ProblemDraft& p = editable(problem, fn);
    if (kind < ARENAPLAN_POOL_WORKSPACE || kind > ARENAPLAN_POOL_PERSISTENT)
      throw InputError(fmt::format("{}: unknown pool kind {}", fn, static_cast<int>(kind)));
    Pool pool;
    pool.name = capi::need_text(name, fn, "name");
    if (limit >= 0) pool.limit = limit;
    pool.alignment = alignment;
    pool.kind = static_cast<PoolKind>(kind);
    const std::int32_t index = p.add_pool(std::move(pool));
    if (index_out != nullptr) *index_out = index;
  });
}

arenaplan_status arenaplan_problem_add_buffer(arenaplan_problem* problem, const char* name, int64_t size,
                                              int64_t alignment, arenaplan_buffer_kind kind, int32_t* index_out) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_problem_add_buffer";
    ProblemDraft& p = editable(problem, fn);
    if (kind < ARENAPLAN_BUFFER_ACTIVATION || kind > ARENAPLAN_BUFFER_VARIABLE)
      throw InputError(fmt::format("{}: unknown buffer kind {}", fn, static_cast<int>(kind)));
    NamedBuffer b;
    b.buffer.name = capi::need_text(name, fn, "name");
    b.buffer.size = size;
    b.buffer.alignment = alignment;
    b.buffer.kind = static_cast<BufferKind>(kind);
    const std::int32_t index = p.add_buffer(std::move(b));
    if (index_out != nullptr) *index_out = index;
  });
}

arenaplan_status arenaplan_buffer_add_live_range(arenaplan_problem* problem, int32_t buffer, int64_t first,
                                                 int64_t last) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_buffer_add_live_range";
    buffer_at(editable(problem, fn), buffer, fn).buffer.live.push_back({first, last});
  });
}

arenaplan_status arenaplan_buffer_add_conflict(arenaplan_problem* problem, int32_t buffer, int32_t other) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_buffer_add_conflict";
    ProblemDraft& p = editable(problem, fn);
    buffer_at(p, other, fn);
    buffer_at(p, buffer, fn).buffer.conflicts.push_back(other);  // normalise() makes it symmetric
  });
}

arenaplan_status arenaplan_buffer_add_candidate_pool(arenaplan_problem* problem, int32_t buffer, int32_t pool) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_buffer_add_candidate_pool";
    ProblemDraft& p = editable(problem, fn);
    if (pool < 0 || pool >= p.pool_count())
      throw InputError(fmt::format("{}: pool index {} does not exist ({} pools)", fn, pool, p.pool_count()));
    buffer_at(p, buffer, fn).buffer.pools.push_back(pool);
  });
}

arenaplan_status arenaplan_buffer_add_overlap(arenaplan_problem* problem, int32_t buffer, int32_t with,
                                              int64_t distance) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_buffer_add_overlap";
    ProblemDraft& p = editable(problem, fn);
    buffer_at(p, with, fn);
    buffer_at(p, buffer, fn).buffer.overlaps.push_back({with, distance});  // normalise() checks the distance
  });
}

arenaplan_status arenaplan_buffer_set_fixed_offset(arenaplan_problem* problem, int32_t buffer, int64_t offset) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_buffer_set_fixed_offset";
    buffer_at(editable(problem, fn), buffer, fn).buffer.fixed_offset = offset;
  });
}

int32_t arenaplan_problem_pool_count(const arenaplan_problem* problem) {
  return guarded_value<std::int32_t>(0,
                                     [&] { return static_cast<std::int32_t>(capi::problem_of(problem).pools.size()); });
}

int32_t arenaplan_problem_buffer_count(const arenaplan_problem* problem) {
  return guarded_value<std::int32_t>(
      0, [&] { return static_cast<std::int32_t>(capi::problem_of(problem).buffers.size()); });
}

const char* arenaplan_pool_name(const arenaplan_problem* problem, int32_t pool) {
  return read_pool<const char*>(problem, pool, nullptr, [](const Pool& p) { return p.name.c_str(); });
}

int64_t arenaplan_pool_limit(const arenaplan_problem* problem, int32_t pool) {
  return read_pool<std::int64_t>(problem, pool, -1, [](const Pool& p) { return p.limit.value_or(-1); });
}

int64_t arenaplan_pool_alignment(const arenaplan_problem* problem, int32_t pool) {
  return read_pool<std::int64_t>(problem, pool, 0, [](const Pool& p) { return p.alignment; });
}

const char* arenaplan_buffer_name(const arenaplan_problem* problem, int32_t buffer) {
  return read_buffer<const char*>(problem, buffer, nullptr, [](const Buffer& b) { return b.name.c_str(); });
}

int64_t arenaplan_buffer_size(const arenaplan_problem* problem, int32_t buffer) {
  return read_buffer<std::int64_t>(problem, buffer, 0, [](const Buffer& b) { return b.size; });
}

int64_t arenaplan_buffer_alignment(const arenaplan_problem* problem, int32_t buffer) {
  return read_buffer<std::int64_t>(problem, buffer, 0, [](const Buffer& b) { return b.alignment; });
}

int32_t arenaplan_buffer_candidate_count(const arenaplan_problem* problem, int32_t buffer) {
  return read_buffer<std::int32_t>(problem, buffer, 0,
                                   [](const Buffer& b) { return static_cast<std::int32_t>(b.pools.size()); });
}

int32_t arenaplan_buffer_candidate(const arenaplan_problem* problem, int32_t buffer, int32_t i) {
  return read_buffer<std::int32_t>(problem, buffer, -1, [&](const Buffer& b) {
    return i >= 0 && static_cast<std::size_t>(i) < b.pools.size() ? b.pools[static_cast<std::size_t>(i)] : -1;
  });
}

int64_t arenaplan_buffer_fixed_offset(const arenaplan_problem* problem, int32_t buffer) {
  return read_buffer<std::int64_t>(problem, buffer, -1, [](const Buffer& b) { return b.fixed_offset.value_or(-1); });
}

int arenaplan_buffers_conflict(const arenaplan_problem* problem, int32_t buffer, int32_t other) {
  return read_buffer<int>(problem, buffer, 0, [&](const Buffer& b) {
    const Problem& p = capi::problem_of(problem);
    if (other < 0 || static_cast<std::size_t>(other) >= p.buffers.size() || other == buffer) return 0;
    const bool listed = std::binary_search(b.conflicts.begin(), b.conflicts.end(), other);  // sorted by normalise()
    return listed || live_ranges_overlap(b, p.buffers[static_cast<std::size_t>(other)]) ? 1 : 0;
  });
}

arenaplan_status arenaplan_lower_bound(const arenaplan_problem* problem, int64_t* out) {
  return guarded([&] { need(out, "arenaplan_lower_bound", "out") = lower_bound(capi::problem_of(problem)); });
}

}  // extern "C"
