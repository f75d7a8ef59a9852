#include "algorithms/exact_pool.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include <fmt/format.h>

#include "algorithms/exact_driver.h"
#include "algorithms/exact_instance.h"
#include "algorithms/exact_overlap.h"
#include "arenaplan/lower_bound.h"

namespace arenaplan::exact {
namespace {

// One independent part of the pool's buffers.
struct Part {
  std::vector<std::int32_t> buffers;
  // The solver keeps a reference to the instance: it lives on the heap so that moving the Part
  // (into the vector of parts) leaves that reference valid.
  std::unique_ptr<Instance> instance;
  std::unique_ptr<Solver> solver;          // null when the part is beyond the exact search
  std::unique_ptr<OverlapSearch> overlap;  // instead of `solver` when the part holds allowances
  Packing best;
  bool has_best = false;
  Bytes bound = 0;    // proven: the part needs at least this much
  Bytes granule = 1;  // every canonical peak is a multiple of it
};

Bytes granule_of(const Instance& instance) {
  Bytes g = 0;
  for (const Item& item : instance.items) {
    g = std::gcd(g, item.size);
    if (item.alignment > 1) g = std::gcd(g, item.alignment);
    if (item.fixed > 0) g = std::gcd(g, item.fixed);
  }
  return std::max<Bytes>(1, g);
}

// The incumbent's offsets for this part, when it placed all of them in this pool.
bool from_incumbent(const Problem& problem, const PoolTask& task, const Part& part, Packing& out) {
  if (task.incumbent == nullptr || task.incumbent->placements.size() != problem.buffers.size()) return false;
  out.offsets.clear();
  out.peak = 0;
  for (std::int32_t b : part.buffers) {
    const arenaplan::Placement& placement = task.incumbent->placements[b];
    if (placement.pool != task.pool || placement.offset < 0) return false;
    out.offsets.push_back(placement.offset);
    out.peak = std::max(out.peak, placement.offset + problem.buffers[b].size);
  }
  return true;
}

void consider(Part& part, const Packing& packing) {
  if (!part.has_best || packing.peak < part.best.peak) {
    part.best = packing;
    part.has_best = true;
  }
}

Bytes round_down(Bytes value, Bytes granule) { return value / granule * granule; }

bool searchable(const Part& part) { return part.solver != nullptr || part.overlap != nullptr; }

Outcome decide(Part& part, Bytes capacity, const Budget& budget, Packing& out) {
  return part.overlap ? part.overlap->decide(capacity, budget, out) : part.solver->decide(capacity, budget, out);
}

// One probe of the minimisation: can every part fit within `target`?
Outcome probe(std::vector<Part>& parts, Bytes target, const Budget& budget) {
  for (Part& part : parts) {
    if (part.best.peak <= target) continue;
    if (part.bound > target || !searchable(part)) return searchable(part) ? Outcome::infeasible : Outcome::aborted;
    Packing packing;
    const Outcome outcome = decide(part, target, budget, packing);
    if (outcome == Outcome::found) {
      consider(part, packing);
      continue;
    }
    if (outcome == Outcome::infeasible)
      part.bound = std::max(part.bound, round_down(target, part.granule) + part.granule);
    return outcome;
  }
  return Outcome::found;
}

Bytes peak_of(const std::vector<Part>& parts) {
  Bytes peak = 0;
  for (const Part& part : parts) peak = std::max(peak, part.best.peak);
  return peak;
}

Bytes bound_of(const std::vector<Part>& parts) {
  Bytes bound = 0;
  for (const Part& part : parts) bound = std::max(bound, part.bound);
  return bound;
}

// Minimises the largest part: probes the lower bound first, then bisects between the highest
// probe that ran out of budget and the best size found; probes get a share of the budget left,
// the first (the bound, which most instances reach) half of it: challenging B needs 15 M of a
// 3 s auto's 47 M units there. (Probes spread between bound and best, each with a small share
// doubling per pass, did worse: mean peak/LB over the challenging set 1.0155 against 1.0095 at 3 s.)
void minimise(std::vector<Part>& parts, const Budget& budget, Bytes limit) {
  Bytes granule = 0;
  for (const Part& part : parts) granule = std::gcd(granule, part.granule);
  granule = std::max<Bytes>(1, granule);
  Bytes unknown = -1;  // highest target whose probe ran out of time
  bool first = true;
  while (!budget.exhausted()) {
    const Bytes best = std::min(peak_of(parts), limit);
    const Bytes proven = bound_of(parts);
    if (best <= proven) return;
    Bytes low = unknown < 0 ? proven : std::max(proven, unknown + granule);
    const Bytes high = round_down(best - 1, granule);
    if (low > high) {
      unknown = -1;  // every target below the best timed out: start again with more time
      low = proven;
    }
    Bytes target = unknown < 0 ? low : std::max(low, round_down(low + (high - low) / 2, granule));
    target = std::min(target, high);
    // Probes that run out of time resume where they stopped when the same target comes back.
    const Budget share = budget.part(first ? 0.5 : 0.2);
    first = false;
    const Outcome outcome = probe(parts, target, share);
    if (outcome == Outcome::aborted) {
      unknown = target;
      if (std::none_of(parts.begin(), parts.end(),
                       [&](const Part& p) { return searchable(p) && p.best.peak > target; }))
        return;
    }
  }
}

}  // namespace

PoolResult solve_pool(const Problem& problem, const PoolTask& task, const Budget& budget) {
  PoolResult result;
  const std::string& pool_name = problem.pools[task.pool].name;
  std::vector<Bytes> offset_of(problem.buffers.size(), 0);
  std::vector<std::int32_t> sized;
  for (std::int32_t b : task.buffers) {
    const Buffer& buffer = problem.buffers[b];
    if (buffer.size > 0) {
      sized.push_back(b);
    } else {
      offset_of[b] = buffer.fixed_offset.value_or(0);
    }
  }
  std::vector<Part> parts;
  for (auto& group : split_components(problem, sized)) {
    Part part;
    part.buffers = std::move(group);
    const bool general = std::any_of(part.buffers.begin(), part.buffers.end(),
                                     [&](std::int32_t b) { return !problem.buffers[b].conflicts.empty(); });
    const std::size_t cap = general ? kConflictLimit : kIntervalLimit;
    Packing incumbent;
    if (from_incumbent(problem, task, part, incumbent)) consider(part, incumbent);
    if (has_allowances_within(problem, part.buffers)) {
      // Overlap allowances: the skyline search's pruning assumes disjoint conflicts. Small parts
      // get the overlap search; larger ones keep the incumbent (optimal only at the bound).
      part.bound = members_lower_bound(problem, part.buffers);
      if (part.buffers.size() <= kOverlapLimit) part.overlap = std::make_unique<OverlapSearch>(problem, part.buffers);
      if (!part.has_best && part.overlap) {
        // Everything stacked above the pre-placed buffers fits in this much: a first plan exists
        // unless the pre-placed ones clash.
        Bytes room = 0;
        for (std::int32_t b : part.buffers) {
          const Buffer& buffer = problem.buffers[static_cast<std::size_t>(b)];
          room += buffer.size + buffer.alignment + buffer.fixed_offset.value_or(0);
        }
        Packing first;
        if (part.overlap->decide(room, Budget(), first) == Outcome::found) consider(part, first);
      }
      if (!part.has_best) {
        result.status = part.overlap ? PoolStatus::infeasible : PoolStatus::too_large;
        result.message = part.overlap
                             ? fmt::format("pool '{}': its pre-placed buffers overlap; proven infeasible", pool_name)
                             : fmt::format(
                                   "exact: pool '{}' has a group of {} buffers with overlap allowances and no "
                                   "starting plan (the auto algorithm makes one)",
                                   pool_name, part.buffers.size());
        return result;
      }
    } else if (part.buffers.size() <= cap) {
      part.instance = std::make_unique<Instance>(general ? build_conflict_instance(problem, part.buffers)
                                                         : build_interval_instance(problem, part.buffers));
      part.bound = part.instance->lower_bound();
      part.granule = granule_of(*part.instance);
      part.solver = std::make_unique<Solver>(*part.instance, task.seed, task.threads);
      Packing dive;
      if (!part.has_best && part.solver->dive(dive)) consider(part, dive);
      if (!part.has_best) {
        result.status = PoolStatus::infeasible;
        result.message = fmt::format("pool '{}': its pre-placed buffers overlap; proven infeasible", pool_name);
        return result;
      }
    } else if (!part.has_best || task.refuse_large) {
      result.status = PoolStatus::too_large;
      result.message = fmt::format(
          "exact: pool '{}' has an independent group of {} buffers{}; the exact search handles at most {} "
          "(use the algorithm `auto`)",
          pool_name, part.buffers.size(), general ? " joined by explicit conflicts" : "", cap);
      return result;
    }
    parts.push_back(std::move(part));
  }

  if (!task.minimise && task.limit) {
    const Bytes limit = *task.limit;
    for (Part& part : parts) {
      if (part.best.peak <= limit) continue;
      if (part.bound > limit) {
        result.status = PoolStatus::infeasible;
        result.message = fmt::format(
            "pool '{}' cannot hold its buffers within {} bytes: proven infeasible (buffers live at one time need {} "
            "bytes, {} more than the limit)",
            pool_name, limit, part.bound, part.bound - limit);
        return result;
      }
      if (!searchable(part)) {
        result.status = PoolStatus::too_large;
        result.message = fmt::format(
            "exact: pool '{}' has an independent group of {} buffers, beyond the exact search; "
            "the best placement found needs {} bytes ({} over the limit of {})",
            pool_name, part.buffers.size(), part.best.peak, part.best.peak - limit, limit);
        return result;
      }
      Packing packing;
      const Outcome outcome = decide(part, limit, budget, packing);
      if (outcome == Outcome::found) {
        consider(part, packing);
      } else if (outcome == Outcome::infeasible) {
        result.status = PoolStatus::infeasible;
        result.message = fmt::format(
            "pool '{}' cannot hold its buffers within {} bytes: proven infeasible by exhaustive search (the best "
            "placement found needs {} bytes, {} more)",
            pool_name, limit, part.best.peak, part.best.peak - limit);
        return result;
      } else {
        result.status = PoolStatus::timeout;
        result.message = fmt::format(
            "pool '{}': no placement within {} bytes found before the time limit (not proven infeasible; the best "
            "placement found needs {} bytes, {} more; a longer time limit may find one)",
            pool_name, limit, part.best.peak, part.best.peak - limit);
        return result;
      }
    }
  } else {
    minimise(parts, budget, task.limit.value_or(std::numeric_limits<Bytes>::max()));
    if (task.limit && peak_of(parts) > *task.limit) {
      result.status = bound_of(parts) > *task.limit ? PoolStatus::infeasible : PoolStatus::timeout;
      result.message =
          fmt::format("pool '{}' cannot hold its buffers within {} bytes{}", pool_name, *task.limit,
                      result.status == PoolStatus::infeasible
                          ? fmt::format(": proven infeasible (buffers live at one time need {} bytes)", bound_of(parts))
                          : " (not proven; a longer time limit may find a placement)");
      return result;
    }
  }

  for (const Part& part : parts) {
    for (std::size_t i = 0; i < part.buffers.size(); ++i) offset_of[part.buffers[i]] = part.best.offsets[i];
  }
  result.size = 0;
  for (std::int32_t b : task.buffers) {
    result.offsets.push_back(offset_of[b]);
    result.size = std::max(result.size, offset_of[b] + problem.buffers[b].size);
  }
  result.bound = bound_of(parts);
  result.optimal = result.size <= result.bound &&
                   std::all_of(parts.begin(), parts.end(), [](const Part& p) { return searchable(p); });
  return result;
}

}  // namespace arenaplan::exact
