#include <gtest/gtest.h>

#include <random>

#include "arenaplan/error.h"
#include "arenaplan/problem.h"
#include "problem/conflict_index.h"
#include "test_util.h"

namespace arenaplan {
namespace {

Problem three_buffers() {
  Problem p;
  p.pools.push_back({"ws", std::nullopt, 1, PoolKind::workspace});
  for (const char* name : {"a", "b", "c"}) {
    Buffer b;
    b.name = name;
    b.size = 10;
    b.pools = {0};
    p.buffers.push_back(b);
  }
  return p;
}

TEST(Normalise, SymmetrisesDeduplicatesAndDropsSelfConflicts) {
  Problem p = three_buffers();
  p.buffers[0].conflicts = {1, 1, 0};  // a-b twice, a-a
  p.buffers[2].conflicts = {1};        // c-b, one side only
  const NormaliseReport r = normalise(p, "test");
  EXPECT_EQ(r.self_conflicts_dropped, 1);
  EXPECT_EQ(r.duplicate_edges_dropped, 1);
  EXPECT_EQ(r.asymmetric_edges_added, 2);  // b-a and b-c were missing
  EXPECT_EQ(p.buffers[0].conflicts, (std::vector<std::int32_t>{1}));
  EXPECT_EQ(p.buffers[1].conflicts, (std::vector<std::int32_t>{0, 2}));
  EXPECT_EQ(p.buffers[2].conflicts, (std::vector<std::int32_t>{1}));
}

TEST(Normalise, SymmetricInputIsNotReported) {
  Problem p = three_buffers();
  p.buffers[0].conflicts = {1};
  p.buffers[1].conflicts = {0};
  const NormaliseReport r = normalise(p, "test");
  EXPECT_EQ(r.asymmetric_edges_added, 0);
  EXPECT_EQ(r.duplicate_edges_dropped, 0);
}

TEST(Normalise, MergesOverlappingLiveRanges) {
  Problem p = three_buffers();
  p.buffers[0].live = {{5, 8}, {0, 3}, {2, 5}, {10, 12}};
  normalise(p, "test");
  EXPECT_EQ(p.buffers[0].live, (std::vector<Interval>{{0, 8}, {10, 12}}));
}

TEST(Normalise, RejectsBadInputWithTheSourceName) {
  auto expect_error = [](auto mutate, const std::string& words) {
    Problem p = three_buffers();
    mutate(p);
    try {
      normalise(p, "file.json");
      FAIL() << "expected an InputError mentioning " << words;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("file.json"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  expect_error([](Problem& p) { p.buffers[0].size = -1; }, "size -1");
  expect_error([](Problem& p) { p.buffers[0].size = Bytes{1} << 62; }, "out of range");
  expect_error([](Problem& p) { p.buffers[0].alignment = 0; }, "alignment 0");
  expect_error([](Problem& p) { p.buffers[0].pools = {}; }, "no candidate pool");
  expect_error([](Problem& p) { p.buffers[0].pools = {7}; }, "pool index 7");
  expect_error([](Problem& p) { p.buffers[0].pools = {0, 0}; }, "listed twice");
  expect_error([](Problem& p) { p.buffers[0].conflicts = {9}; }, "conflict index 9");
  expect_error([](Problem& p) { p.buffers[0].live = {{4, 4}}; }, "empty or reversed");
  expect_error([](Problem& p) { p.buffers[1].name = "a"; }, "defined twice");
  expect_error(
      [](Problem& p) {
        p.buffers[0].fixed_offset = 3;
        p.buffers[0].alignment = 2;
      },
      "not a multiple");
  expect_error([](Problem& p) { p.pools[0].limit = -5; }, "size limit -5");
  // Found by fuzzing: a writable buffer may not list a read-only pool.
  expect_error([](Problem& p) { p.pools[0].kind = PoolKind::constant; }, "lists read-only pool 'ws'");
}

TEST(ConflictIndex, FindsOverlapsAndExplicitEdges) {
  Problem p = test::intervals({{0, 4, 1}, {3, 6, 1}, {4, 8, 1}, {8, 9, 1}});
  p.buffers[3].conflicts = {0};
  p.buffers[0].conflicts = {3};
  ConflictIndex index(p);
  EXPECT_EQ(index.neighbors(0), (std::vector<std::int32_t>{1, 3}));
  EXPECT_EQ(index.neighbors(1), (std::vector<std::int32_t>{0, 2}));
  EXPECT_EQ(index.neighbors(2), (std::vector<std::int32_t>{1}));  // [4,8) and [8,9) only touch
  EXPECT_EQ(index.neighbors(3), (std::vector<std::int32_t>{0}));
}

TEST(ConflictIndex, AgreesWithPairwiseOverlapOnRandomRanges) {
  std::mt19937_64 rng(7);
  Problem p;
  p.pools.push_back({"ws", std::nullopt, 1, PoolKind::workspace});
  for (int i = 0; i < 300; ++i) {
    Buffer b;
    b.name = std::to_string(i);
    b.size = 1;
    b.pools = {0};
    const int ranges = 1 + static_cast<int>(rng() % 3);
    for (int r = 0; r < ranges; ++r) {
      const Step first = static_cast<Step>(rng() % 200);
      b.live.push_back({first, first + 1 + static_cast<Step>(rng() % 30)});
    }
    p.buffers.push_back(b);
  }
  normalise(p, "random");
  ConflictIndex index(p);
  for (std::int32_t i = 0; i < 300; ++i) {
    std::vector<std::int32_t> expected;
    for (std::int32_t j = 0; j < 300; ++j)
      if (j != i && live_ranges_overlap(p.buffers[i], p.buffers[j])) expected.push_back(j);
    EXPECT_EQ(index.neighbors(i), expected) << "buffer " << i;
  }
}

}  // namespace
}  // namespace arenaplan
