// Peaks of given orders and the memory-greedy order (the exact search is in exact_order.cpp).
#include <algorithm>

#include "schedule/memory_dag.h"

namespace arenaplan::schedule {

void MemoryDag::derive_dependencies() {
  after.resize(scratch.size());
  for (std::size_t o = 0; o < reads.size(); ++o)
    for (const std::int32_t s : reads[o]) {
      const std::int32_t c = storages[static_cast<std::size_t>(s)].creator;
      if (c >= 0 && c != static_cast<std::int32_t>(o)) after[o].push_back(c);
    }
  for (auto& a : after) {
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
  }
}

namespace {

Bytes start_bytes(const MemoryDag& dag) {
  Bytes live = 0;
  for (const auto& s : dag.storages)
    if (s.creator < 0) live += s.bytes;
  return live;
}

Bytes created_bytes(const MemoryDag& dag, std::int32_t op) {
  Bytes b = 0;
  for (const std::int32_t s : dag.creates[static_cast<std::size_t>(op)])
    b += dag.storages[static_cast<std::size_t>(s)].bytes;
  return b;
}

// Live bytes and how many readers each storage still waits for, advanced one operator at a time.
struct Simulation {
  const MemoryDag& dag;
  Bytes live;
  std::vector<std::size_t> waiting;

  explicit Simulation(const MemoryDag& d) : dag(d), live(start_bytes(d)) {
    for (const auto& s : d.storages) waiting.push_back(s.readers.size());
  }
  Bytes during(std::int32_t op) const {
    return live + created_bytes(dag, op) + dag.scratch[static_cast<std::size_t>(op)];
  }
  void run(std::int32_t op) {
    const auto o = static_cast<std::size_t>(op);
    live += created_bytes(dag, op);
    for (const std::int32_t s : dag.reads[o]) {
      const auto& st = dag.storages[static_cast<std::size_t>(s)];
      if (--waiting[static_cast<std::size_t>(s)] == 0 && !st.pinned) live -= st.bytes;
    }
    for (const std::int32_t s : dag.creates[o]) {
      const auto& st = dag.storages[static_cast<std::size_t>(s)];
      if (st.readers.empty() && !st.pinned) live -= st.bytes;  // written and never read
    }
  }
};

}  // namespace

Bytes peak_of_order(const MemoryDag& dag, const std::vector<std::int32_t>& order) {
  Simulation sim(dag);
  Bytes peak = sim.live;
  for (const std::int32_t op : order) {
    peak = std::max(peak, sim.during(op));
    sim.run(op);
  }
  return peak;
}

Bytes any_order_bound(const MemoryDag& dag) {
  Bytes bound = start_bytes(dag);
  for (std::int32_t o = 0; o < dag.operators(); ++o) {
    std::vector<std::int32_t> touched = dag.reads[static_cast<std::size_t>(o)];
    touched.insert(touched.end(), dag.creates[static_cast<std::size_t>(o)].begin(),
                   dag.creates[static_cast<std::size_t>(o)].end());
    for (std::size_t s = 0; s < dag.storages.size(); ++s)
      if (dag.storages[s].creator < 0 && dag.storages[s].pinned) touched.push_back(static_cast<std::int32_t>(s));
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    Bytes need = dag.scratch[static_cast<std::size_t>(o)];
    for (const std::int32_t s : touched) need += dag.storages[static_cast<std::size_t>(s)].bytes;
    bound = std::max(bound, need);
  }
  return bound;
}

std::vector<std::int32_t> greedy_order(const MemoryDag& dag) {
  const auto n = static_cast<std::size_t>(dag.operators());
  std::vector<std::size_t> blocked(n);
  std::vector<std::vector<std::int32_t>> unblocks(n);
  for (std::size_t o = 0; o < n; ++o) {
    blocked[o] = dag.after[o].size();
    for (const std::int32_t p : dag.after[o])
      unblocks[static_cast<std::size_t>(p)].push_back(static_cast<std::int32_t>(o));
  }
  std::vector<std::int32_t> ready;
  for (std::size_t o = 0; o < n; ++o)
    if (blocked[o] == 0) ready.push_back(static_cast<std::int32_t>(o));
  Simulation sim(dag);
  std::vector<std::int32_t> order;
  while (!ready.empty()) {
    std::size_t best = 0;
    Bytes best_during = 0, best_after = 0;
    for (std::size_t i = 0; i < ready.size(); ++i) {
      Simulation next = sim;
      const Bytes during = sim.during(ready[i]);
      next.run(ready[i]);
      const bool better = i == 0 || during < best_during || (during == best_during && next.live < best_after) ||
                          (during == best_during && next.live == best_after && ready[i] < ready[best]);
      if (better) {
        best = i;
        best_during = during;
        best_after = next.live;
      }
    }
    const std::int32_t op = ready[best];
    ready.erase(ready.begin() + static_cast<std::ptrdiff_t>(best));
    sim.run(op);
    order.push_back(op);
    for (const std::int32_t u : unblocks[static_cast<std::size_t>(op)])
      if (--blocked[static_cast<std::size_t>(u)] == 0) ready.push_back(u);
  }
  return order;
}

}  // namespace arenaplan::schedule
