// The C++ side of the Python module `arenaplan`: what its Problem and Plan objects hold, and the
// functions that bind each part.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include <pybind11/pybind11.h>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"
#include "problem/named_problem.h"

namespace arenaplan::python {

namespace py = pybind11;

struct PyProblem {
  ProblemDraft draft;
};

struct PyPlan {
  std::shared_ptr<const Problem> problem;  // the snapshot it places (names, sizes)
  Plan plan;
  bool interrupted = false;                             // Ctrl-C stopped the search: the best plan found so far
  std::unordered_map<std::string, std::int32_t> index;  // buffer name -> index, built on first use

  std::int32_t buffer_index(const std::string& name);  // KeyError when unknown
};

// Placements from what a Python algorithm returns: one entry per buffer in order, or a dict by
// buffer name; each an offset (in the buffer's first candidate pool) or a (pool, offset) pair,
// the pool by name or index. Buffers left out stay unplaced (the checker rejects the plan).
Plan placements_from_python(const Problem& problem, py::handle result, const std::string& where);

void bind_problem(py::module_& m);
void bind_plan(py::module_& m);
void bind_solve(py::module_& m);
void bind_model(py::module_& m);

}  // namespace arenaplan::python
