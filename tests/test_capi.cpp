// The C API (include/arenaplan/arenaplan.h): handles, solving, plans, errors as codes and
// messages, and algorithms registered as C callbacks.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "arenaplan/arenaplan.h"

namespace {

// Two buffers live at once and a third after them: the optimum is 288 bytes.
arenaplan_problem* three_buffers(int32_t* sram = nullptr) {
  arenaplan_problem* p = nullptr;
  EXPECT_EQ(arenaplan_problem_create(&p), ARENAPLAN_OK);
  int32_t pool = -1, a = -1, b = -1, c = -1;
  EXPECT_EQ(arenaplan_problem_add_pool(p, "sram", -1, 16, ARENAPLAN_POOL_WORKSPACE, &pool), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_problem_add_buffer(p, "a", 96, 16, ARENAPLAN_BUFFER_ACTIVATION, &a), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_problem_add_buffer(p, "b", 192, 16, ARENAPLAN_BUFFER_ACTIVATION, &b), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_problem_add_buffer(p, "c", 288, 16, ARENAPLAN_BUFFER_SCRATCH, &c), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_buffer_add_live_range(p, a, 0, 2), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_buffer_add_live_range(p, b, 1, 3), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_buffer_add_live_range(p, c, 3, 4), ARENAPLAN_OK);
  EXPECT_EQ((std::vector<int32_t>{pool, a, b, c}), (std::vector<int32_t>{0, 0, 1, 2}));
  if (sram != nullptr) *sram = pool;
  return p;
}

TEST(CApi, SolvesAndReadsThePlan) {
  arenaplan_problem* p = three_buffers();
  arenaplan_plan* plan = nullptr;
  ASSERT_EQ(arenaplan_solve(p, nullptr, &plan), ARENAPLAN_OK) << arenaplan_last_error();
  EXPECT_EQ(arenaplan_plan_total_size(plan), 288);
  EXPECT_EQ(arenaplan_plan_lower_bound(plan), 288);
  EXPECT_EQ(arenaplan_plan_optimal(plan), 1);
  EXPECT_EQ(arenaplan_plan_pool_count(plan), 1);
  EXPECT_EQ(arenaplan_plan_pool_size(plan, 0), 288);
  int32_t pool_a = -1, pool_b = -1;
  int64_t off_a = -1, off_b = -1;
  ASSERT_EQ(arenaplan_plan_placement(plan, 0, &pool_a, &off_a), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_plan_placement(plan, 1, &pool_b, &off_b), ARENAPLAN_OK);
  EXPECT_EQ(pool_a, 0);
  EXPECT_TRUE(off_a + 96 <= off_b || off_b + 192 <= off_a) << off_a << " " << off_b;  // a and b overlap in time
  EXPECT_EQ(off_a % 16, 0);
  EXPECT_EQ(arenaplan_check(p, plan), ARENAPLAN_OK);
  int64_t bound = 0;
  EXPECT_EQ(arenaplan_lower_bound(p, &bound), ARENAPLAN_OK);
  EXPECT_EQ(bound, 288);
  EXPECT_EQ(arenaplan_buffers_conflict(p, 0, 1), 1);
  EXPECT_EQ(arenaplan_buffers_conflict(p, 0, 2), 0);
  arenaplan_plan_destroy(plan);
  arenaplan_problem_destroy(p);
}

TEST(CApi, OptionsChooseTheAlgorithmAndTheCapacity) {
  arenaplan_problem* p = three_buffers();
  arenaplan_options* o = nullptr;
  ASSERT_EQ(arenaplan_options_create(&o), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_options_set_algorithm(o, "greedy_by_size"), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_options_set_seed(o, 3), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_options_set_time_limit(o, 0.5), ARENAPLAN_OK);
  arenaplan_plan* plan = nullptr;
  ASSERT_EQ(arenaplan_solve(p, o, &plan), ARENAPLAN_OK) << arenaplan_last_error();
  EXPECT_STREQ(arenaplan_plan_algorithm(plan), "greedy_by_size");
  arenaplan_plan_destroy(plan);

  EXPECT_EQ(arenaplan_options_set_capacity(o, 287), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_solve(p, o, &plan), ARENAPLAN_NO_SOLUTION);
  EXPECT_EQ(plan, nullptr);
  EXPECT_NE(std::string(arenaplan_last_error()).find("sram"), std::string::npos) << arenaplan_last_error();

  EXPECT_EQ(arenaplan_options_set_capacity(o, -1), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_options_set_algorithm(o, "no_such_algorithm"), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_solve(p, o, &plan), ARENAPLAN_INVALID_INPUT);
  EXPECT_NE(std::string(arenaplan_last_error()).find("unknown algorithm 'no_such_algorithm'"), std::string::npos);
  EXPECT_EQ(arenaplan_options_set_time_limit(o, -1.0), ARENAPLAN_INVALID_INPUT);
  arenaplan_options_destroy(o);
  arenaplan_problem_destroy(p);
}

TEST(CApi, ErrorsAreCodesAndMessagesNeverExceptions) {
  EXPECT_EQ(arenaplan_problem_create(nullptr), ARENAPLAN_INVALID_INPUT);
  EXPECT_STREQ(arenaplan_last_error(), "arenaplan_problem_create: out is NULL");
  arenaplan_problem* p = three_buffers();
  EXPECT_EQ(arenaplan_buffer_add_live_range(p, 7, 0, 1), ARENAPLAN_INVALID_INPUT);
  EXPECT_STREQ(arenaplan_last_error(), "arenaplan_buffer_add_live_range: buffer index 7 does not exist (3 buffers)");
  EXPECT_EQ(arenaplan_buffer_add_candidate_pool(p, 0, 5), ARENAPLAN_INVALID_INPUT);
  EXPECT_EQ(arenaplan_problem_add_buffer(p, nullptr, 1, 1, ARENAPLAN_BUFFER_ACTIVATION, nullptr),
            ARENAPLAN_INVALID_INPUT);
  EXPECT_EQ(arenaplan_problem_add_buffer(p, "bad_kind", 1, 1, static_cast<arenaplan_buffer_kind>(6), nullptr),
            ARENAPLAN_INVALID_INPUT);
  // An invalid problem is reported when it is used, naming the buffer.
  ASSERT_EQ(arenaplan_problem_add_buffer(p, "a", 8, 1, ARENAPLAN_BUFFER_ACTIVATION, nullptr), ARENAPLAN_OK);
  arenaplan_plan* plan = nullptr;
  EXPECT_EQ(arenaplan_solve(p, nullptr, &plan), ARENAPLAN_INVALID_INPUT);
  EXPECT_STREQ(arenaplan_last_error(), "problem: buffers[3]: buffer 'a' is defined twice");
  EXPECT_EQ(arenaplan_problem_buffer_count(p), 0);  // reading an invalid problem gives nothing
  EXPECT_EQ(arenaplan_solve(nullptr, nullptr, &plan), ARENAPLAN_INVALID_INPUT);
  arenaplan_problem_destroy(p);
  arenaplan_problem* read = nullptr;
  EXPECT_EQ(arenaplan_problem_read("/nonexistent/problem.json", &read), ARENAPLAN_INVALID_INPUT);
  EXPECT_EQ(read, nullptr);
  EXPECT_NE(std::string(arenaplan_last_error()).find("/nonexistent/problem.json"), std::string::npos);
}

TEST(CApi, DefaultPoolsCandidatesAndFixedOffsets) {
  arenaplan_problem* p = nullptr;
  ASSERT_EQ(arenaplan_problem_create(&p), ARENAPLAN_OK);
  int32_t a = -1, b = -1;
  ASSERT_EQ(arenaplan_problem_add_buffer(p, "a", 64, 1, ARENAPLAN_BUFFER_ACTIVATION, &a), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_problem_add_buffer(p, "b", 32, 8, ARENAPLAN_BUFFER_ACTIVATION, &b), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_buffer_add_conflict(p, a, b), ARENAPLAN_OK);  // one-sided: made symmetric
  ASSERT_EQ(arenaplan_buffer_set_fixed_offset(p, b, 8), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_problem_pool_count(p), 1);
  EXPECT_STREQ(arenaplan_pool_name(p, 0), "global_workspace");
  EXPECT_EQ(arenaplan_pool_limit(p, 0), -1);
  EXPECT_EQ(arenaplan_buffer_candidate_count(p, a), 1);
  EXPECT_EQ(arenaplan_buffers_conflict(p, b, a), 1);
  EXPECT_EQ(arenaplan_buffer_fixed_offset(p, b), 8);
  EXPECT_EQ(arenaplan_buffer_fixed_offset(p, a), -1);
  arenaplan_plan* plan = nullptr;
  ASSERT_EQ(arenaplan_solve(p, nullptr, &plan), ARENAPLAN_OK) << arenaplan_last_error();
  int64_t off_a = -1, off_b = -1;
  arenaplan_plan_placement(plan, a, nullptr, &off_a);
  arenaplan_plan_placement(plan, b, nullptr, &off_b);
  EXPECT_EQ(off_b, 8);
  EXPECT_EQ(off_a, 40);  // the fixed buffer covers [8, 40)
  arenaplan_plan_destroy(plan);
  arenaplan_problem_destroy(p);

  // Two pools: a buffer restricted to the second.
  ASSERT_EQ(arenaplan_problem_create(&p), ARENAPLAN_OK);
  int32_t fast = -1, slow = -1, c = -1;
  ASSERT_EQ(arenaplan_problem_add_pool(p, "fast", 16, 1, ARENAPLAN_POOL_WORKSPACE, &fast), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_problem_add_pool(p, "slow", -1, 1, ARENAPLAN_POOL_WORKSPACE, &slow), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_problem_add_buffer(p, "c", 16, 1, ARENAPLAN_BUFFER_ACTIVATION, &c), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_buffer_add_candidate_pool(p, c, slow), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_problem_add_buffer(p, "d", 16, 1, ARENAPLAN_BUFFER_ACTIVATION, nullptr), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_problem_pool_count(p), 2);         // no default pool once pools are named
  EXPECT_EQ(arenaplan_buffer_candidate_count(p, 1), 2);  // d: every workspace pool
  ASSERT_EQ(arenaplan_solve(p, nullptr, &plan), ARENAPLAN_OK) << arenaplan_last_error();
  int32_t pool_c = -1;
  arenaplan_plan_placement(plan, c, &pool_c, nullptr);
  EXPECT_EQ(pool_c, slow);
  arenaplan_plan_destroy(plan);
  arenaplan_problem_destroy(p);
}

// An overlap allowance lets an output start on its dying input's bytes (docs/overlap.md).
TEST(CApi, OverlapAllowances) {
  for (const bool allowed : {false, true}) {
    arenaplan_problem* p = nullptr;
    ASSERT_EQ(arenaplan_problem_create(&p), ARENAPLAN_OK);
    int32_t x = -1, y = -1;
    arenaplan_problem_add_buffer(p, "x", 64, 1, ARENAPLAN_BUFFER_ACTIVATION, &x);
    arenaplan_problem_add_buffer(p, "y", 64, 1, ARENAPLAN_BUFFER_ACTIVATION, &y);
    arenaplan_buffer_add_live_range(p, x, 0, 2);
    arenaplan_buffer_add_live_range(p, y, 1, 3);
    if (allowed) { ASSERT_EQ(arenaplan_buffer_add_overlap(p, y, x, 0), ARENAPLAN_OK); }
    arenaplan_plan* plan = nullptr;
    ASSERT_EQ(arenaplan_solve(p, nullptr, &plan), ARENAPLAN_OK) << arenaplan_last_error();
    EXPECT_EQ(arenaplan_plan_total_size(plan), allowed ? 64 : 128);
    arenaplan_plan_destroy(plan);
    EXPECT_EQ(arenaplan_buffer_add_overlap(p, y, 9, 0), ARENAPLAN_INVALID_INPUT);
    arenaplan_problem_destroy(p);
  }
}

TEST(CApi, ChecksAPlanOfYourOwn) {
  arenaplan_problem* p = three_buffers();
  arenaplan_plan* plan = nullptr;
  ASSERT_EQ(arenaplan_plan_create(p, &plan), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_check(p, plan), ARENAPLAN_INVALID_PLAN);  // nothing placed yet
  arenaplan_plan_set_placement(plan, 0, 0, 0);
  arenaplan_plan_set_placement(plan, 1, 0, 80);  // overlaps a, which is live at the same time
  arenaplan_plan_set_placement(plan, 2, 0, 0);
  EXPECT_EQ(arenaplan_check(p, plan), ARENAPLAN_INVALID_PLAN);
  EXPECT_NE(std::string(arenaplan_last_error()).find("'a'"), std::string::npos) << arenaplan_last_error();
  arenaplan_plan_set_placement(plan, 1, 0, 96);
  EXPECT_EQ(arenaplan_check(p, plan), ARENAPLAN_OK) << arenaplan_last_error();
  EXPECT_EQ(arenaplan_plan_total_size(plan), 288);
  EXPECT_EQ(arenaplan_plan_set_placement(plan, 3, 0, 0), ARENAPLAN_INVALID_INPUT);

  // Plan files: written and read back as the command line does.
  const std::string path = (std::filesystem::temp_directory_path() / "arenaplan_capi_plan.json").string();
  ASSERT_EQ(arenaplan_plan_write(p, plan, path.c_str(), 0), ARENAPLAN_OK) << arenaplan_last_error();
  arenaplan_plan* back = nullptr;
  ASSERT_EQ(arenaplan_plan_read(p, path.c_str(), &back), ARENAPLAN_OK) << arenaplan_last_error();
  int64_t offset = -1;
  arenaplan_plan_placement(back, 1, nullptr, &offset);
  EXPECT_EQ(offset, 96);
  EXPECT_EQ(arenaplan_check(p, back), ARENAPLAN_OK);
  std::remove(path.c_str());
  arenaplan_plan_destroy(back);
  arenaplan_plan_destroy(plan);
  arenaplan_problem_destroy(p);
}

// A C algorithm: buffers stacked one above the other in their first pool (valid, not small).
arenaplan_status stack_all(const arenaplan_problem* problem, arenaplan_plan* plan, void* user_data) {
  ++*static_cast<int*>(user_data);
  int64_t top = 0;
  for (int32_t i = 0; i < arenaplan_problem_buffer_count(problem); ++i) {
    const int64_t align = arenaplan_buffer_alignment(problem, i);
    top = (top + align - 1) / align * align;
    arenaplan_plan_set_placement(plan, i, arenaplan_buffer_candidate(problem, i, 0), top);
    top += arenaplan_buffer_size(problem, i);
  }
  return ARENAPLAN_OK;
}

// A broken one: everything at offset 0.
arenaplan_status all_at_zero(const arenaplan_problem* problem, arenaplan_plan* plan, void*) {
  for (int32_t i = 0; i < arenaplan_problem_buffer_count(problem); ++i)
    arenaplan_plan_set_placement(plan, i, arenaplan_buffer_candidate(problem, i, 0), 0);
  return ARENAPLAN_OK;
}

arenaplan_status gives_up(const arenaplan_problem*, arenaplan_plan*, void*) { return ARENAPLAN_NO_SOLUTION; }

TEST(CApi, AlgorithmsRegisteredAsCallbacksGoThroughTheChecker) {
  int calls = 0;
  ASSERT_EQ(arenaplan_register_algorithm("c_stack_all", "stacks every buffer", stack_all, &calls), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_register_algorithm("c_all_at_zero", "broken", all_at_zero, nullptr), ARENAPLAN_OK);
  ASSERT_EQ(arenaplan_register_algorithm("c_gives_up", nullptr, gives_up, nullptr), ARENAPLAN_OK);
  EXPECT_EQ(arenaplan_register_algorithm("", nullptr, gives_up, nullptr), ARENAPLAN_INVALID_INPUT);
  bool listed = false;
  for (int32_t i = 0; i < arenaplan_algorithm_count(); ++i)
    listed = listed || std::string(arenaplan_algorithm_name(i)) == "c_stack_all";
  EXPECT_TRUE(listed);
  EXPECT_EQ(arenaplan_algorithm_name(arenaplan_algorithm_count()), nullptr);

  arenaplan_problem* p = three_buffers();
  arenaplan_options* o = nullptr;
  arenaplan_options_create(&o);
  arenaplan_plan* plan = nullptr;
  arenaplan_options_set_algorithm(o, "c_stack_all");
  ASSERT_EQ(arenaplan_solve(p, o, &plan), ARENAPLAN_OK) << arenaplan_last_error();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(arenaplan_plan_total_size(plan), 576);  // offsets 0, 96, 288
  EXPECT_STREQ(arenaplan_plan_algorithm(plan), "c_stack_all");
  arenaplan_plan_destroy(plan);

  arenaplan_options_set_algorithm(o, "c_all_at_zero");
  EXPECT_EQ(arenaplan_solve(p, o, &plan), ARENAPLAN_INVALID_PLAN);
  EXPECT_NE(std::string(arenaplan_last_error()).find("algorithm 'c_all_at_zero' produced an invalid plan"),
            std::string::npos)
      << arenaplan_last_error();
  arenaplan_options_set_algorithm(o, "c_gives_up");
  EXPECT_EQ(arenaplan_solve(p, o, &plan), ARENAPLAN_NO_SOLUTION);
  arenaplan_options_destroy(o);
  arenaplan_problem_destroy(p);
}

// request_stop from another thread ends a long search early with a valid plan.
TEST(CApi, RequestStopReturnsTheBestPlanEarly) {
  arenaplan_problem* p = nullptr;
  // An odd cycle of conflicts: the lower bound (32) is never met, so the search runs to its deadline.
  ASSERT_EQ(arenaplan_problem_create(&p), ARENAPLAN_OK);
  const int32_t n = 20001;  // large enough that its evaluation budget outlasts the test
  for (int32_t i = 0; i < n; ++i)
    arenaplan_problem_add_buffer(p, ("b" + std::to_string(i)).c_str(), 16, 1, ARENAPLAN_BUFFER_ACTIVATION, nullptr);
  for (int32_t i = 0; i < n; ++i) arenaplan_buffer_add_conflict(p, i, (i + 1) % n);
  arenaplan_options* o = nullptr;
  arenaplan_options_create(&o);
  arenaplan_options_set_algorithm(o, "local_search");
  arenaplan_options_set_time_limit(o, 60.0);
  std::thread stopper([o] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    arenaplan_options_request_stop(o);
  });
  const auto start = std::chrono::steady_clock::now();
  arenaplan_plan* plan = nullptr;
  const arenaplan_status status = arenaplan_solve(p, o, &plan);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  ASSERT_EQ(status, ARENAPLAN_OK) << arenaplan_last_error();
  EXPECT_GE(seconds, 0.25);  // still searching when the stop came
  EXPECT_LT(seconds, 30.0);
  EXPECT_EQ(arenaplan_check(p, plan), ARENAPLAN_OK);
  arenaplan_plan_destroy(plan);
  arenaplan_options_destroy(o);
  arenaplan_problem_destroy(p);
}

TEST(CApi, Versions) {
  EXPECT_STREQ(arenaplan_version(), ARENAPLAN_PROJECT_VERSION);
  EXPECT_EQ(arenaplan_c_api_version(), ARENAPLAN_C_API_VERSION);
}

}  // namespace
