/* The C API from C99: build a problem, solve it, check the plan, read offsets. */
#include <arenaplan/arenaplan.h>
#include <stdio.h>

#define CHECK(call)                                                         \
  do {                                                                      \
    if ((call) != ARENAPLAN_OK) {                                           \
      fprintf(stderr, "consumer: %s: %s\n", #call, arenaplan_last_error()); \
      return 1;                                                             \
    }                                                                       \
  } while (0)

int main(void) {
  arenaplan_problem* problem = NULL;
  arenaplan_options* options = NULL;
  arenaplan_plan* plan = NULL;
  const int64_t sizes[] = {96, 192, 288}, first[] = {0, 1, 3}, last[] = {2, 3, 4};
  int32_t sram = -1, pool = -1;
  int64_t offset = -1;
  CHECK(arenaplan_problem_create(&problem));
  CHECK(arenaplan_problem_add_pool(problem, "sram", 1024, 16, ARENAPLAN_POOL_WORKSPACE, &sram));
  for (int32_t i = 0; i < 3; ++i) {
    char name[8];
    int32_t b = -1;
    snprintf(name, sizeof name, "t%d", (int)i);
    CHECK(arenaplan_problem_add_buffer(problem, name, sizes[i], 16, ARENAPLAN_BUFFER_ACTIVATION, &b));
    CHECK(arenaplan_buffer_add_live_range(problem, b, first[i], last[i]));
    CHECK(arenaplan_buffer_add_candidate_pool(problem, b, sram));
  }
  CHECK(arenaplan_options_create(&options));
  CHECK(arenaplan_options_set_time_limit(options, 1.0));
  CHECK(arenaplan_solve(problem, options, &plan));
  CHECK(arenaplan_check(problem, plan));
  CHECK(arenaplan_plan_placement(plan, 1, &pool, &offset));
  if (arenaplan_plan_total_size(plan) != 288 || pool != sram) {
    fprintf(stderr, "consumer: unexpected plan (%lld bytes)\n", (long long)arenaplan_plan_total_size(plan));
    return 1;
  }
  printf("C99 consumer: arenaplan %s (C API %d), %s: %lld bytes, t1 at %lld\n", arenaplan_version(),
         arenaplan_c_api_version(), arenaplan_plan_algorithm(plan), (long long)arenaplan_plan_total_size(plan),
         (long long)offset);
  arenaplan_plan_destroy(plan);
  arenaplan_options_destroy(options);
  arenaplan_problem_destroy(problem);
  return 0;
}
