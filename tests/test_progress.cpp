// Progress and stop: searches report their best plan, a stop request ends them with a valid plan,
// and Ctrl-C on the command line returns the best plan found.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "arenaplan/checker.h"
#include "arenaplan/io.h"
#include "map_test_util.h"
#include "test_util.h"

namespace arenaplan::test {
namespace {

// Buffers with explicit conflicts (an odd-cycle-rich random graph): searches run until their
// budget is used.
Problem hard_conflicts(std::size_t n) { return random_conflicts(n, 6, 5); }

TEST(Progress, SearchesReportTheirBest) {
  const Problem problem = hard_conflicts(200);
  SolveOptions options;
  options.algorithm = "local_search";
  options.time_limit_seconds = 0.5;
  std::vector<SolveProgress> seen;
  options.on_progress = [&](const SolveProgress& p) { seen.push_back(p); };
  const Plan plan = solve(problem, options);
  ASSERT_FALSE(seen.empty());
  for (const SolveProgress& p : seen) {
    EXPECT_GE(p.best_total, p.lower_bound);
    EXPECT_EQ(p.lower_bound, plan.lower_bound);
  }
  EXPECT_EQ(seen.back().best_total, plan.total_size());
}

TEST(Progress, StopEndsTheSearchWithAValidPlan) {
  for (const char* algorithm : {"local_search", "auto", "hill_climb"}) {
    const Problem problem = hard_conflicts(300);
    std::atomic<bool> stop{false};
    SolveOptions options;
    options.algorithm = algorithm;
    options.time_limit_seconds = 600;
    options.stop = &stop;
    options.on_progress = [&](const SolveProgress&) { stop = true; };
    const auto start = std::chrono::steady_clock::now();
    const Plan plan = solve(problem, options);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0) << algorithm;
    EXPECT_FALSE(check_plan(problem, plan).has_value()) << algorithm;
    EXPECT_TRUE(stop.load());
  }
}

TEST(Progress, PartsOfTheBudgetSeeTheStop) {
  std::atomic<bool> stop{false};
  SolveOptions options;
  options.algorithm = "probe_budget";
  options.stop = &stop;
  options.time_limit_seconds = 1000;
  bool exhausted_before = true, exhausted_after = false;
  register_algorithm({"probe_budget", "test", [&](const Problem& p, const AlgorithmContext& context) {
                        const Budget mine = context.budget.part(0.5);  // an algorithm's own share
                        exhausted_before = mine.exhausted();
                        stop = true;
                        exhausted_after = mine.exhausted();
                        return run(p, "first_fit_by_size");
                      }});
  const Plan plan = solve(five_buffers(), options);
  EXPECT_FALSE(exhausted_before);
  EXPECT_TRUE(exhausted_after);
  EXPECT_EQ(plan.stopped_by, plan.optimal ? StopReason::optimal : StopReason::interrupted);
}

TEST(Progress, CtrlCReturnsTheBestPlan) {
  const TempDir dir;
  const Problem problem = hard_conflicts(1500);
  std::string json = "{\"buffers\": [";
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    json += (i ? "," : "") + std::string("{\"name\":\"") + b.name + "\",\"size_bytes\":" + std::to_string(b.size) +
            ",\"conflicts\":[";
    for (std::size_t k = 0; k < b.conflicts.size(); ++k)
      json += (k ? ",\"" : "\"") + problem.buffers[b.conflicts[k]].name + "\"";
    json += "]}";
  }
  spit(dir.file("hard.json"), json + "]}");
  const std::string plan = dir.file("plan.json");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string problem_path = dir.file("hard.json"), log = dir.file("log.txt");
    if (freopen(log.c_str(), "w", stdout) == nullptr || dup2(fileno(stdout), STDERR_FILENO) < 0) _exit(126);
    execl(ARENAPLAN_BINARY, ARENAPLAN_BINARY, "solve", problem_path.c_str(), "--algorithm", "local_search",
          "--time-limit", "300", "-o", plan.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto start = std::chrono::steady_clock::now();
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string log = slurp(dir.file("log.txt"));
  ASSERT_TRUE(WIFEXITED(status)) << log;
  EXPECT_EQ(WEXITSTATUS(status), 0) << log;
  EXPECT_LT(took, 30.0);
  EXPECT_NE(log.find("interrupted: returning the best valid plan found so far"), std::string::npos) << log;
  std::optional<std::string> mismatch;
  std::ostringstream warnings;
  const Problem reread = read_problem(dir.file("hard.json"), warnings);
  const Plan written = read_plan_json(plan, reread, mismatch);
  EXPECT_FALSE(mismatch.has_value());
  EXPECT_FALSE(check_plan(reread, written).has_value());
}

}  // namespace
}  // namespace arenaplan::test
