// Python: solve (GIL released, Ctrl-C returns the best plan), algorithms, register_algorithm.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"
#include "py_solve_scope.h"
#include "py_types.h"

namespace arenaplan::python {
namespace {

PyPlan solve_problem(const PyProblem& problem, const std::string& algorithm, double time_limit, std::uint64_t seed,
                     std::optional<Bytes> capacity) {
  std::shared_ptr<const Problem> target = problem.draft.snapshot();
  if (capacity) {
    auto limited = std::make_shared<Problem>(*target);
    apply_capacity(*limited, *capacity);
    target = std::move(limited);
  }
  SolveOptions options;
  options.algorithm = algorithm;
  options.time_limit_seconds = time_limit;
  options.seed = seed;
  PyPlan out;
  out.problem = target;
  {
    SolveScope scope(options);
    out.plan = solve(*target, options);
    out.interrupted = scope.interrupted();
  }
  return out;
}

// A Python object the registry may outlive: dropped only while the interpreter is alive.
std::shared_ptr<py::object> keep(py::object object) {
  return std::shared_ptr<py::object>(new py::object(std::move(object)), [](py::object* o) {
    if (Py_IsInitialized() == 0) return;  // the interpreter is gone (exit): leak, do not touch it
    py::gil_scoped_acquire gil;
    delete o;
  });
}

AlgorithmFn python_algorithm(const std::string& name, py::function fn) {
  return [name, fn = keep(std::move(fn))](const Problem& problem, const AlgorithmContext&) {
    py::gil_scoped_acquire gil;  // solve() released it
    const py::object result = (*fn)(PyProblem{ProblemDraft(problem)});
    Plan plan = placements_from_python(problem, result, fmt::format("algorithm '{}'", name));
    plan.algorithm = name;
    return plan;  // solve() computes pool sizes and runs the checker
  };
}

}  // namespace

void bind_solve(py::module_& m) {
  m.def("solve", &solve_problem, py::arg("problem"), py::arg("algorithm") = "auto", py::arg("time_limit") = 5.0,
        py::arg("seed") = 0, py::arg("capacity") = py::none(),
        "plans the problem with the named algorithm; every plan is verified by the checker. Ctrl-C stops the "
        "search and returns the best plan found (plan.interrupted).");
  m.def(
      "algorithms",
      [] {
        py::dict out;
        for (const AlgorithmInfo* info : registered_algorithms()) out[py::str(info->name)] = info->summary;
        return out;
      },
      "{name: summary} of every registered algorithm, sorted by name");
  m.def(
      "register_algorithm",
      [](const std::string& name, py::function fn, const std::string& summary) {
        if (name.empty()) throw InputError("register_algorithm: the name is empty");
        register_algorithm({name, summary, python_algorithm(name, std::move(fn))});
      },
      py::arg("name"), py::arg("fn"), py::arg("summary") = "",
      "adds (or replaces) an algorithm: fn(problem) returns a list of offsets or (pool, offset) pairs, or a dict "
      "by buffer name; its plan goes through the checker like any other");
}

}  // namespace arenaplan::python
