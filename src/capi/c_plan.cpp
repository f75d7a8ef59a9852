// The C API: plans — reading and filling placements, checking, plan files.
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/checker.h"
#include "arenaplan/io.h"
#include "capi/c_handles.h"

using namespace arenaplan;
using arenaplan::capi::guarded;
using arenaplan::capi::guarded_value;
using arenaplan::capi::need;

std::unique_ptr<arenaplan_plan> capi::plan_for(const Problem& problem) {
  auto plan = std::make_unique<arenaplan_plan>();
  plan->plan.placements.assign(problem.buffers.size(), Placement{});
  plan->plan.pool_sizes.assign(problem.pools.size(), 0);
  for (const Buffer& b : problem.buffers) plan->buffer_sizes.push_back(b.size);
  return plan;
}

namespace {

template <class T, class F>
T read_plan(const arenaplan_plan* plan, T fallback, F&& read) {
  return guarded_value(fallback, [&]() -> T { return read(need(plan, "arenaplan_plan", "plan").plan); });
}

}  // namespace

extern "C" {

arenaplan_status arenaplan_plan_create(const arenaplan_problem* problem, arenaplan_plan** out) {
  return guarded([&] {
    arenaplan_plan*& result = need(out, "arenaplan_plan_create", "out");
    result = capi::plan_for(capi::problem_of(problem)).release();
  });
}

void arenaplan_plan_destroy(arenaplan_plan* plan) { delete plan; }

arenaplan_status arenaplan_plan_set_placement(arenaplan_plan* plan, int32_t buffer, int32_t pool, int64_t offset) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_plan_set_placement";
    arenaplan_plan& p = need(plan, fn, "plan");
    if (buffer < 0 || static_cast<std::size_t>(buffer) >= p.plan.placements.size())
      throw InputError(fmt::format("{}: buffer index {} does not exist", fn, buffer));
    if (pool < 0 || static_cast<std::size_t>(pool) >= p.plan.pool_sizes.size())
      throw InputError(fmt::format("{}: pool index {} does not exist", fn, pool));
    p.plan.placements[static_cast<std::size_t>(buffer)] = {pool, offset};
    // Pool sizes: the highest end of a buffer in each pool (overflow is the checker's to report).
    p.plan.pool_sizes.assign(p.plan.pool_sizes.size(), 0);
    for (std::size_t i = 0; i < p.plan.placements.size(); ++i) {
      const Placement& at = p.plan.placements[i];
      if (at.pool < 0) continue;
      Bytes& size = p.plan.pool_sizes[static_cast<std::size_t>(at.pool)];
      size = std::max(size, at.offset + p.buffer_sizes[i]);
    }
  });
}

arenaplan_status arenaplan_plan_placement(const arenaplan_plan* plan, int32_t buffer, int32_t* pool_out,
                                          int64_t* offset_out) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_plan_placement";
    const arenaplan_plan& p = need(plan, fn, "plan");
    if (buffer < 0 || static_cast<std::size_t>(buffer) >= p.plan.placements.size())
      throw InputError(fmt::format("{}: buffer index {} does not exist", fn, buffer));
    const Placement& at = p.plan.placements[static_cast<std::size_t>(buffer)];
    if (pool_out != nullptr) *pool_out = at.pool;
    if (offset_out != nullptr) *offset_out = at.offset;
  });
}

int32_t arenaplan_plan_pool_count(const arenaplan_plan* plan) {
  return read_plan<std::int32_t>(plan, 0, [](const Plan& p) { return static_cast<std::int32_t>(p.pool_sizes.size()); });
}

int64_t arenaplan_plan_pool_size(const arenaplan_plan* plan, int32_t pool) {
  return read_plan<std::int64_t>(plan, 0, [&](const Plan& p) -> Bytes {
    return pool >= 0 && static_cast<std::size_t>(pool) < p.pool_sizes.size()
               ? p.pool_sizes[static_cast<std::size_t>(pool)]
               : 0;
  });
}

int64_t arenaplan_plan_total_size(const arenaplan_plan* plan) {
  return read_plan<std::int64_t>(plan, 0, [](const Plan& p) { return p.total_size(); });
}

int64_t arenaplan_plan_lower_bound(const arenaplan_plan* plan) {
  return read_plan<std::int64_t>(plan, 0, [](const Plan& p) { return p.lower_bound; });
}

int arenaplan_plan_optimal(const arenaplan_plan* plan) {
  return read_plan<int>(plan, 0, [](const Plan& p) { return p.optimal ? 1 : 0; });
}

const char* arenaplan_plan_algorithm(const arenaplan_plan* plan) {
  return read_plan<const char*>(plan, nullptr, [](const Plan& p) { return p.algorithm.c_str(); });
}

double arenaplan_plan_solve_seconds(const arenaplan_plan* plan) {
  return read_plan<double>(plan, 0.0, [](const Plan& p) { return p.solve_seconds; });
}

arenaplan_status arenaplan_check(const arenaplan_problem* problem, const arenaplan_plan* plan) {
  std::optional<std::string> violation;
  const arenaplan_status status =
      guarded([&] { violation = check_plan(capi::problem_of(problem), need(plan, "arenaplan_check", "plan").plan); });
  if (status != ARENAPLAN_OK) return status;
  return violation ? capi::fail(ARENAPLAN_INVALID_PLAN, *violation) : ARENAPLAN_OK;
}

arenaplan_status arenaplan_plan_write(const arenaplan_problem* problem, const arenaplan_plan* plan, const char* path,
                                      int timing) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_plan_write";
    std::ostringstream json;
    write_plan_json(capi::problem_of(problem), need(plan, fn, "plan").plan, json, timing != 0);
    write_file_atomically(capi::need_text(path, fn, "path"), json.str());
  });
}

arenaplan_status arenaplan_plan_read(const arenaplan_problem* problem, const char* path, arenaplan_plan** out) {
  std::optional<std::string> mismatch;
  const arenaplan_status status = guarded([&] {
    static constexpr const char* fn = "arenaplan_plan_read";
    arenaplan_plan*& result = need(out, fn, "out");
    result = nullptr;
    const Problem& p = capi::problem_of(problem);
    auto plan = capi::plan_for(p);
    plan->plan = read_plan_json(capi::need_text(path, fn, "path"), p, mismatch);
    if (!mismatch) result = plan.release();
  });
  if (status != ARENAPLAN_OK) return status;
  return mismatch ? capi::fail(ARENAPLAN_INVALID_PLAN, fmt::format("{}: {}", path, *mismatch)) : ARENAPLAN_OK;
}

}  // extern "C"
