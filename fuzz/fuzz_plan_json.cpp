// libFuzzer harness: plan JSON reader and the checker, against a fixed small problem.
#include <cstdint>
#include <string>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"

namespace {

arenaplan::Problem make_problem() {
  using namespace arenaplan;
  Problem p;
  p.pools.push_back({"sram", 4096, 16, PoolKind::workspace});
  p.pools.push_back({"flash", std::nullopt, 1, PoolKind::constant});
  const char* names[] = {"a", "b", "c", "w"};
  for (int i = 0; i < 4; ++i) {
    Buffer b;
    b.name = names[i];
    b.size = 100 * (i + 1);
    b.alignment = 4;
    b.live = {{i, i + 2}};
    b.pools = {i == 3 ? 1 : 0};
    b.kind = i == 3 ? BufferKind::constant : BufferKind::activation;
    p.buffers.push_back(b);
  }
  p.buffers[0].conflicts = {2};
  normalise(p, "fuzz");
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const arenaplan::Problem problem = make_problem();
  try {
    std::optional<std::string> mismatch;
    const arenaplan::Plan plan =
        arenaplan::parse_plan_json(std::string(reinterpret_cast<const char*>(data), size), "fuzz", problem, mismatch);
    (void)arenaplan::check_plan(problem, plan);
  } catch (const arenaplan::InputError&) {}
  return 0;
}
