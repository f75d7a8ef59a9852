/* arenaplan's C API (C99; also valid C++): build a problem, solve it, read the plan.
 *
 * Stable ABI rules (docs/c_api.md):
 *  - every type is opaque (a handle) or a plain integer; no struct crosses the boundary, so a
 *    newer library never changes a layout an older program was compiled against;
 *  - functions are only added, never changed or removed; enum values are only added;
 *  - ARENAPLAN_C_API_VERSION grows by one with every addition; arenaplan_c_api_version()
 *    says what the library at run time provides;
 *  - no C++ exception ever crosses the boundary: every fallible function returns an
 *    arenaplan_status, and arenaplan_last_error() gives the message of the last failure on the
 *    calling thread;
 *  - strings passed in are copied; strings returned live as long as the handle they came from
 *    (or, for arenaplan_last_error, until the next failing call on the same thread).
 *
 * Indices: arenaplan_problem_add_pool and _add_buffer return 0, 1, 2, ... in order. Sizes,
 * offsets and steps are int64_t; live ranges are half-open [first, last). */
#ifndef ARENAPLAN_ARENAPLAN_H
#define ARENAPLAN_ARENAPLAN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ARENAPLAN_C_API_VERSION 1

typedef enum arenaplan_status {
  ARENAPLAN_OK = 0,
  ARENAPLAN_NO_SOLUTION = 1,   /* a valid request that cannot be met (pool limits, capacity) */
  ARENAPLAN_INVALID_INPUT = 2, /* bad problem, argument, file or algorithm name */
  ARENAPLAN_INVALID_PLAN = 3,  /* arenaplan_check: the plan violates the problem */
  ARENAPLAN_INTERNAL_ERROR = 4 /* a bug, or out of memory */
} arenaplan_status;

typedef enum arenaplan_pool_kind {
  ARENAPLAN_POOL_WORKSPACE = 0,
  ARENAPLAN_POOL_CONSTANT = 1,
  ARENAPLAN_POOL_PERSISTENT = 2
} arenaplan_pool_kind;

typedef enum arenaplan_buffer_kind {
  ARENAPLAN_BUFFER_ACTIVATION = 0,
  ARENAPLAN_BUFFER_SCRATCH = 1,
  ARENAPLAN_BUFFER_INPUT = 2,
  ARENAPLAN_BUFFER_OUTPUT = 3,
  ARENAPLAN_BUFFER_CONSTANT = 4,
  ARENAPLAN_BUFFER_VARIABLE = 5
} arenaplan_buffer_kind;

typedef struct arenaplan_problem arenaplan_problem;
typedef struct arenaplan_plan arenaplan_plan;
typedef struct arenaplan_options arenaplan_options;

/* The library's version ("0.1.0") and C API version. */
const char* arenaplan_version(void);
int arenaplan_c_api_version(void);
/* The message of the last failing call on this thread ("" if none). */
const char* arenaplan_last_error(void);

/* ---- problems ---- */
arenaplan_status arenaplan_problem_create(arenaplan_problem** out);
/* A problem JSON (TVM USMP style) or MiniMalloc CSV file. */
arenaplan_status arenaplan_problem_read(const char* path, arenaplan_problem** out);
void arenaplan_problem_destroy(arenaplan_problem* problem); /* NULL is fine */

/* limit < 0: unlimited. alignment: of the pool's base address (>= 1). */
arenaplan_status arenaplan_problem_add_pool(arenaplan_problem* problem, const char* name, int64_t limit,
                                            int64_t alignment, arenaplan_pool_kind kind, int32_t* index_out);
/* A buffer without candidate pools may go to every pool of its kind (an unlimited
 * "global_workspace" is made when no workspace pool exists). index_out may be NULL. */
arenaplan_status arenaplan_problem_add_buffer(arenaplan_problem* problem, const char* name, int64_t size,
                                              int64_t alignment, arenaplan_buffer_kind kind, int32_t* index_out);
arenaplan_status arenaplan_buffer_add_live_range(arenaplan_problem* problem, int32_t buffer, int64_t first,
                                                 int64_t last);
/* An explicit conflict (symmetric): the two buffers must not share bytes. */
arenaplan_status arenaplan_buffer_add_conflict(arenaplan_problem* problem, int32_t buffer, int32_t other);
/* Candidate pools in priority order. */
arenaplan_status arenaplan_buffer_add_candidate_pool(arenaplan_problem* problem, int32_t buffer, int32_t pool);
/* An overlap allowance (docs/overlap.md): `buffer` (written by an operator) may share bytes with
 * `with` (read for the last time by it) when offset(buffer) <= offset(with) - distance;
 * otherwise the pair must be disjoint. distance >= 0; 0 is a true in-place operator. */
arenaplan_status arenaplan_buffer_add_overlap(arenaplan_problem* problem, int32_t buffer, int32_t with,
                                              int64_t distance);
/* Pre-placed: the buffer sits at this offset of its first candidate pool. */
arenaplan_status arenaplan_buffer_set_fixed_offset(arenaplan_problem* problem, int32_t buffer, int64_t offset);

/* Reading a problem (also inside an algorithm callback). Out-of-range indices give 0 / NULL. */
int32_t arenaplan_problem_pool_count(const arenaplan_problem* problem);
int32_t arenaplan_problem_buffer_count(const arenaplan_problem* problem);
const char* arenaplan_pool_name(const arenaplan_problem* problem, int32_t pool);
int64_t arenaplan_pool_limit(const arenaplan_problem* problem, int32_t pool); /* -1: unlimited */
int64_t arenaplan_pool_alignment(const arenaplan_problem* problem, int32_t pool);
const char* arenaplan_buffer_name(const arenaplan_problem* problem, int32_t buffer);
int64_t arenaplan_buffer_size(const arenaplan_problem* problem, int32_t buffer);
int64_t arenaplan_buffer_alignment(const arenaplan_problem* problem, int32_t buffer);
int32_t arenaplan_buffer_candidate_count(const arenaplan_problem* problem, int32_t buffer);
int32_t arenaplan_buffer_candidate(const arenaplan_problem* problem, int32_t buffer, int32_t i); /* -1: none */
int64_t arenaplan_buffer_fixed_offset(const arenaplan_problem* problem, int32_t buffer);         /* -1: none */
/* 1 when the two buffers conflict (an explicit conflict or overlapping live ranges); an overlap
 * allowance between them relaxes it as arenaplan_buffer_add_overlap says. */
int arenaplan_buffers_conflict(const arenaplan_problem* problem, int32_t buffer, int32_t other);
/* The lower bound on the total size of all pools (after the problem is checked). */
arenaplan_status arenaplan_lower_bound(const arenaplan_problem* problem, int64_t* out);

/* ---- solving ---- */
arenaplan_status arenaplan_options_create(arenaplan_options** out);
void arenaplan_options_destroy(arenaplan_options* options);                                     /* NULL is fine */
arenaplan_status arenaplan_options_set_algorithm(arenaplan_options* options, const char* name); /* "auto" */
arenaplan_status arenaplan_options_set_time_limit(arenaplan_options* options, double seconds);  /* 5 */
arenaplan_status arenaplan_options_set_seed(arenaplan_options* options, uint64_t seed);         /* 0 */
/* A hard limit for every workspace pool; < 0 (the default): none. */
arenaplan_status arenaplan_options_set_capacity(arenaplan_options* options, int64_t bytes);
/* Asks a solve running with these options to stop and return the best valid plan it has.
 * Async-signal-safe and thread-safe: call it from a SIGINT handler or another thread. */
void arenaplan_options_request_stop(arenaplan_options* options);

/* Solves (options may be NULL: the defaults); every plan is verified by the independent checker.
 * ARENAPLAN_NO_SOLUTION when the limits cannot be met. The plan belongs to the caller. */
arenaplan_status arenaplan_solve(const arenaplan_problem* problem, const arenaplan_options* options,
                                 arenaplan_plan** out);

/* ---- plans ---- */
/* An empty plan for the problem (every buffer unplaced), to fill and check. */
arenaplan_status arenaplan_plan_create(const arenaplan_problem* problem, arenaplan_plan** out);
void arenaplan_plan_destroy(arenaplan_plan* plan); /* NULL is fine */
arenaplan_status arenaplan_plan_set_placement(arenaplan_plan* plan, int32_t buffer, int32_t pool, int64_t offset);
arenaplan_status arenaplan_plan_placement(const arenaplan_plan* plan, int32_t buffer, int32_t* pool_out,
                                          int64_t* offset_out);
int32_t arenaplan_plan_pool_count(const arenaplan_plan* plan);
int64_t arenaplan_plan_pool_size(const arenaplan_plan* plan, int32_t pool); /* highest end in the pool */
int64_t arenaplan_plan_total_size(const arenaplan_plan* plan);
int64_t arenaplan_plan_lower_bound(const arenaplan_plan* plan);
int arenaplan_plan_optimal(const arenaplan_plan* plan); /* 1: proven optimal */
const char* arenaplan_plan_algorithm(const arenaplan_plan* plan);
double arenaplan_plan_solve_seconds(const arenaplan_plan* plan);

/* ARENAPLAN_OK when valid; ARENAPLAN_INVALID_PLAN with the first violation in arenaplan_last_error. */
arenaplan_status arenaplan_check(const arenaplan_problem* problem, const arenaplan_plan* plan);
/* Plan JSON files (the command line's format); timing 0 writes solve_seconds as 0. */
arenaplan_status arenaplan_plan_write(const arenaplan_problem* problem, const arenaplan_plan* plan, const char* path,
                                      int timing);
arenaplan_status arenaplan_plan_read(const arenaplan_problem* problem, const char* path, arenaplan_plan** out);

/* ---- your own algorithm ---- */
/* Fills `plan` (created for `problem`, every buffer unplaced) with arenaplan_plan_set_placement and
 * returns ARENAPLAN_OK, or ARENAPLAN_NO_SOLUTION when nothing fits. The plan then goes through
 * the checker like any other; an invalid one fails the solve with ARENAPLAN_INVALID_PLAN. */
typedef arenaplan_status (*arenaplan_algorithm_fn)(const arenaplan_problem* problem, arenaplan_plan* plan,
                                                   void* user_data);
/* Adds (or replaces) an algorithm under `name`, selectable like the built-in ones. */
arenaplan_status arenaplan_register_algorithm(const char* name, const char* summary, arenaplan_algorithm_fn fn,
                                              void* user_data);
int32_t arenaplan_algorithm_count(void);
const char* arenaplan_algorithm_name(int32_t i); /* sorted by name; NULL past the end */

#ifdef __cplusplus
}
#endif

#endif /* ARENAPLAN_ARENAPLAN_H */
