// schedule_operators(): the lowered model's buffers as a MemoryDag, the exact search or the greedy
// order on it, and the lowered model's own lower bound to decide between the chosen and the file
// order.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "arenaplan/schedule.h"
#include "problem/align.h"
#include "schedule/memory_dag.h"

namespace arenaplan {
namespace {

// The arena's buffers of a lowered model: the bytes every order has to place.
std::vector<std::int32_t> arena_members(const LoweredModel& lowered) {
  std::vector<std::int32_t> members;
  for (std::size_t b = 0; b < lowered.problem.buffers.size(); ++b)
    if (lowered.problem.buffers[b].pools.front() == lowered.arena_pool) members.push_back(static_cast<std::int32_t>(b));
  return members;
}

Bytes arena_bound(const LoweredModel& lowered) {
  return lowered.arena_pool < 0 ? 0 : members_lower_bound(lowered.problem, arena_members(lowered));
}

schedule::MemoryDag memory_dag(const Graph& graph, const LoweredModel& lowered) {
  schedule::MemoryDag dag;
  const auto n = graph.operators.size();
  dag.scratch.assign(n, 0);
  dag.creates.assign(n, {});
  dag.reads.assign(n, {});
  const auto producers = graph.producers();
  const auto consumers = graph.consumers();
  const Problem& problem = lowered.problem;
  std::vector<std::int32_t> storage_of(problem.buffers.size(), -1);
  for (std::size_t t = 0; t < graph.tensors.size(); ++t) {
    const std::int32_t b = lowered.tensor_buffer[t];
    if (b < 0 || problem.buffers[static_cast<std::size_t>(b)].pools.front() != lowered.arena_pool) continue;
    const Tensor& tensor = graph.tensors[t];
    // An in-place CONCATENATION's input is written before the concatenation runs: here it is a
    // storage of its own (as if copied), so that its producer stays before the concatenation in
    // every order; the lowering of the chosen order places it in the output again.
    const std::int32_t root = lowered.aliased_to[t];
    const std::int32_t root_writer = root >= 0 ? producers[static_cast<std::size_t>(root)] : -1;
    const bool slice = root_writer >= 0 && static_cast<std::size_t>(root_writer) < lowered.concat_in_place.size() &&
                       lowered.concat_in_place[static_cast<std::size_t>(root_writer)] && producers[t] != root_writer;
    if (slice) {
      dag.storages.push_back({align_up(tensor.bytes, problem.buffers[static_cast<std::size_t>(b)].alignment),
                              producers[t], false, consumers[t]});
      continue;
    }
    if (storage_of[static_cast<std::size_t>(b)] < 0) {
      storage_of[static_cast<std::size_t>(b)] = static_cast<std::int32_t>(dag.storages.size());
      dag.storages.push_back({problem.buffers[static_cast<std::size_t>(b)].size, -1, false, {}});
    }
    auto& s = dag.storages[static_cast<std::size_t>(storage_of[static_cast<std::size_t>(b)])];
    if (lowered.aliased_to[t] < 0 && !tensor.is_variable) s.creator = producers[t];
    s.pinned = s.pinned || tensor.is_output || tensor.is_variable;
    s.readers.insert(s.readers.end(), consumers[t].begin(), consumers[t].end());
  }
  for (std::size_t s = 0; s < dag.storages.size(); ++s) {
    auto& st = dag.storages[s];
    std::sort(st.readers.begin(), st.readers.end());
    st.readers.erase(std::unique(st.readers.begin(), st.readers.end()), st.readers.end());
    if (st.creator >= 0) dag.creates[static_cast<std::size_t>(st.creator)].push_back(static_cast<std::int32_t>(s));
    for (const std::int32_t r : st.readers)
      if (r != st.creator) dag.reads[static_cast<std::size_t>(r)].push_back(static_cast<std::int32_t>(s));
  }
  // Scratch: the most an operator's own scratch buffers hold at one of its steps.
  for (std::size_t o = 0; o < n; ++o) {
    const Interval steps = lowered.operator_steps[o];
    for (Step t = steps.first; t < steps.last; ++t) {
      Bytes at = 0;
      for (const Buffer& b : problem.buffers)
        if (b.kind == BufferKind::scratch && b.op == static_cast<std::int64_t>(o) &&
            b.pools.front() == lowered.arena_pool)
          for (const Interval& r : b.live)
            if (r.first <= t && t < r.last) at += b.size;
      dag.scratch[o] = std::max(dag.scratch[o], at);
    }
  }
  dag.derive_dependencies();
  return dag;
}

}  // namespace

Graph with_operator_order(const Graph& graph, const std::vector<std::int32_t>& order) {
  const auto n = graph.operators.size();
  std::vector<char> seen(n, 0);
  if (order.size() != n)
    throw InputError(fmt::format("{}: an operator order must list all {} operators", graph.source, n));
  for (const std::int32_t o : order) {
    if (o < 0 || static_cast<std::size_t>(o) >= n || seen[static_cast<std::size_t>(o)])
      throw InputError(fmt::format("{}: an operator order must list every operator once", graph.source));
    seen[static_cast<std::size_t>(o)] = 1;
  }
  const auto producers = graph.producers();
  std::vector<char> written(graph.tensors.size(), 0);
  Graph out = graph;
  out.operators.clear();
  for (const std::int32_t o : order) {
    const Operator& op = graph.operators[static_cast<std::size_t>(o)];
    for (const std::int32_t t : op.inputs)
      if (t >= 0 && producers[static_cast<std::size_t>(t)] >= 0 && !written[static_cast<std::size_t>(t)])
        throw InputError(fmt::format("{}: the operator order runs {} before the operator that writes its input {}",
                                     graph.source, graph.describe_operator(static_cast<std::size_t>(o)), t));
    for (const std::int32_t t : op.outputs) written[static_cast<std::size_t>(t)] = 1;
    out.operators.push_back(op);
  }
  return out;
}

ScheduleResult schedule_operators(const Graph& graph, const LoweringOptions& lowering, const ScheduleOptions& options) {
  ScheduleResult result;
  result.order.resize(graph.operators.size());
  std::iota(result.order.begin(), result.order.end(), 0);
  result.method = "file";
  const LoweredModel file_lowered = lower_graph(graph, lowering);
  const schedule::MemoryDag dag = memory_dag(graph, file_lowered);
  result.file_order_peak = schedule::peak_of_order(dag, result.order);
  result.chosen_peak = result.file_order_peak;
  result.any_order_bound = schedule::any_order_bound(dag);
  result.operator_bound = result.any_order_bound;
  if (options.kind == ScheduleKind::file) {
    result.graph = graph;
    return result;
  }
  // The best of the file order and the greedy order bounds the exact search.
  std::vector<std::int32_t> best = result.order;
  Bytes best_peak = result.file_order_peak;
  std::string method = "exact";
  const std::vector<std::int32_t> greedy = schedule::greedy_order(dag);
  if (const Bytes p = schedule::peak_of_order(dag, greedy); p < best_peak) {
    best = greedy;
    best_peak = p;
  }
  const schedule::ExactResult exact = schedule::exact_order(dag, best_peak, options.max_states);
  result.states = exact.states;
  if (!exact.finished) {
    // Too many sets of finished operators: the same search, keeping the best few of each size
    // (as many as keep it to about 5 * 10^7 operator scans).
    const auto n = static_cast<std::int64_t>(graph.operators.size());
    const schedule::ExactResult beam =
        schedule::beam_order(dag, std::clamp<std::int64_t>(50'000'000 / (n * n), 4, 1024));
    method = "beam";
    if (beam.peak < best_peak) {
      best = beam.order;
      best_peak = beam.peak;
    }
  }
  if (exact.finished) {
    method = "exact";
    result.any_order_bound = best_peak;
    if (!exact.order.empty()) {
      best = exact.order;
      best_peak = exact.peak;
      result.any_order_bound = exact.peak;
    }
  }
  // The chosen order replaces the file order only when the lowered model's bound drops with it.
  Graph chosen = with_operator_order(graph, best);
  if (best != result.order && arena_bound(lower_graph(chosen, lowering)) < arena_bound(file_lowered)) {
    result.graph = std::move(chosen);
    result.order = best;
    result.reordered = true;
    result.chosen_peak = best_peak;
  } else {
    result.graph = graph;
  }
  result.method = method;
  return result;
}

}  // namespace arenaplan
