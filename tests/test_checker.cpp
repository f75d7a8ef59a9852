#include <gtest/gtest.h>

#include "arenaplan/checker.h"
#include "test_util.h"

namespace arenaplan {
namespace {

// Two overlapping live ranges and one explicit conflict, in a pool limited to 100 bytes.
Problem small_problem() {
  Problem p;
  p.pools.push_back({"ws", 100, 1, PoolKind::workspace});
  p.pools.push_back({"rom", std::nullopt, 1, PoolKind::constant});
  auto add = [&](const char* name, Bytes size, Bytes align, std::vector<Interval> live) {
    Buffer b;
    b.name = name;
    b.size = size;
    b.alignment = align;
    b.live = std::move(live);
    b.pools = {0};
    p.buffers.push_back(b);
  };
  add("a", 40, 8, {{0, 5}});
  add("b", 30, 1, {{3, 9}});
  add("c", 20, 1, {{20, 30}});
  p.buffers[2].conflicts = {0};
  normalise(p, "test");
  return p;
}

Plan valid_plan(const Problem& p) {
  Plan plan;
  plan.placements = {{0, 0}, {0, 40}, {0, 40}};
  compute_pool_sizes(p, plan);
  return plan;
}

TEST(Checker, AcceptsAValidPlan) {
  const Problem p = small_problem();
  EXPECT_EQ(check_plan(p, valid_plan(p)), std::nullopt);
}

TEST(Checker, FindsOverlappingLiveRanges) {
  const Problem p = small_problem();
  Plan plan = valid_plan(p);
  plan.placements[1].offset = 39;
  compute_pool_sizes(p, plan);
  auto v = check_plan(p, plan);
  ASSERT_TRUE(v);
  EXPECT_NE(v->find("'a' [0, 40) and 'b' [39, 69) overlap"), std::string::npos) << *v;
}

TEST(Checker, FindsOverlappingExplicitConflicts) {
  const Problem p = small_problem();
  Plan plan = valid_plan(p);
  plan.placements[2].offset = 30;
  auto v = check_plan(p, plan);
  ASSERT_TRUE(v);
  EXPECT_NE(v->find("'a'"), std::string::npos);
  EXPECT_NE(v->find("'c'"), std::string::npos);
}

TEST(Checker, TouchingBuffersDoNotOverlap) {
  const Problem p = small_problem();
  Plan plan = valid_plan(p);  // a [0,40) and b [40,70) touch
  EXPECT_EQ(check_plan(p, plan), std::nullopt);
}

TEST(Checker, FindsEveryOtherKindOfViolation) {
  const Problem p = small_problem();
  auto violation = [&](auto mutate) {
    Plan plan = valid_plan(p);
    mutate(plan);
    auto v = check_plan(p, plan);
    return v.value_or("(valid)");
  };
  EXPECT_NE(violation([](Plan& x) { x.placements[0].offset = 4; }).find("not aligned to 8"), std::string::npos);
  EXPECT_NE(violation([](Plan& x) { x.placements[1].offset = 80; }).find("beyond the 100-byte limit"),
            std::string::npos);
  EXPECT_NE(violation([](Plan& x) { x.placements[1].pool = 1; }).find("not one of its candidate pools"),
            std::string::npos);
  EXPECT_NE(violation([](Plan& x) { x.placements[1].pool = -1; }).find("not placed"), std::string::npos);
  EXPECT_NE(violation([](Plan& x) { x.placements.pop_back(); }).find("places 2 buffers"), std::string::npos);
  EXPECT_NE(violation([](Plan& x) { x.placements[0].offset = -8; }).find("out of range"), std::string::npos);
  EXPECT_NE(violation([](Plan& x) { x.pool_sizes[0] = 50; }).find("reported as 50"), std::string::npos);
}

TEST(Checker, EnforcesPrePlacedOffsetsAndReadOnlyPools) {
  Problem p = small_problem();
  p.buffers[2].fixed_offset = 60;
  Plan plan = valid_plan(p);
  auto v = check_plan(p, plan);
  ASSERT_TRUE(v);
  EXPECT_NE(v->find("pre-placed"), std::string::npos);

  Problem q = small_problem();
  q.buffers[2].pools = {0, 1};
  Plan in_rom = valid_plan(q);
  in_rom.placements[2] = {1, 0};
  compute_pool_sizes(q, in_rom);
  v = check_plan(q, in_rom);
  ASSERT_TRUE(v);
  EXPECT_NE(v->find("read-only pool 'rom'"), std::string::npos);
}

}  // namespace
}  // namespace arenaplan
