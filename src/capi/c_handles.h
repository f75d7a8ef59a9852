// What the C API's opaque handles hold, and the guard that turns every C++ exception into a
// status code and a message (nothing may cross the C boundary).
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "arenaplan/algorithm.h"
#include "arenaplan/arenaplan.h"
#include "arenaplan/error.h"
#include "arenaplan/plan.h"
#include "problem/named_problem.h"

struct arenaplan_problem {
  arenaplan::ProblemDraft draft;
  // Inside an algorithm callback: the problem being solved, read-only.
  const arenaplan::Problem* view = nullptr;
};

struct arenaplan_plan {
  arenaplan::Plan plan;
  std::vector<arenaplan::Bytes> buffer_sizes;  // to keep pool sizes current as placements change
};

struct arenaplan_options {
  arenaplan::SolveOptions options;
  std::optional<arenaplan::Bytes> capacity;
  std::atomic<bool> stop{false};
};

namespace arenaplan::capi {

// Records `message` as this thread's last error and returns `status`.
arenaplan_status fail(arenaplan_status status, const std::string& message);

// The problem to read or solve: the callback's view, or the built problem, resolved and
// normalised (throws InputError when it is not a valid problem).
const Problem& problem_of(const arenaplan_problem* problem);

// An empty plan for the problem: every buffer unplaced.
std::unique_ptr<arenaplan_plan> plan_for(const Problem& problem);

// Null handles are usage errors: "FUNCTION: WHAT is NULL".
template <class T>
T& need(T* pointer, const char* function, const char* what) {
  if (pointer == nullptr) throw InputError(std::string(function) + ": " + what + " is NULL");
  return *pointer;
}

inline std::string need_text(const char* text, const char* function, const char* what) {
  need(text, function, what);
  return text;
}

template <class F>
arenaplan_status guarded(F&& body) noexcept {
  try {
    body();
    return ARENAPLAN_OK;
  } catch (const NoSolution& e) { return fail(ARENAPLAN_NO_SOLUTION, e.what()); } catch (const InputError& e) {
    return fail(ARENAPLAN_INVALID_INPUT, e.what());
  } catch (const InvalidPlan& e) { return fail(ARENAPLAN_INVALID_PLAN, e.what()); } catch (const std::bad_alloc&) {
    return fail(ARENAPLAN_INTERNAL_ERROR, "out of memory");
  } catch (const std::exception& e) { return fail(ARENAPLAN_INTERNAL_ERROR, e.what()); } catch (...) {
    return fail(ARENAPLAN_INTERNAL_ERROR, "unknown error");
  }
}

// For the reading functions that return a value: the fallback when the call fails.
template <class T, class F>
T guarded_value(T fallback, F&& body) noexcept {
  T value = fallback;
  if (guarded([&] { value = body(); }) != ARENAPLAN_OK) return fallback;
  return value;
}

}  // namespace arenaplan::capi
