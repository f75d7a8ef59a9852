// Python: Plan (where every buffer went), check, lower_bound, plan files.
#include <sstream>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/lower_bound.h"
#include "py_types.h"

namespace arenaplan::python {

std::int32_t PyPlan::buffer_index(const std::string& name) {
  if (index.empty())
    for (std::size_t i = 0; i < problem->buffers.size(); ++i)
      index.emplace(problem->buffers[i].name, static_cast<std::int32_t>(i));
  auto it = index.find(name);
  if (it == index.end()) throw py::key_error(fmt::format("no buffer '{}' in the plan", name));
  return it->second;
}

namespace {

std::int32_t pool_of(const Problem& problem, py::handle pool, const std::string& where) {
  if (py::isinstance<py::str>(pool)) {
    const auto index = problem.find_pool(pool.cast<std::string>());
    if (!index) throw InputError(fmt::format("{}: unknown pool '{}'", where, pool.cast<std::string>()));
    return *index;
  }
  return pool.cast<std::int32_t>();  // out-of-range indices are the checker's to reject
}

Placement placement_of(const Problem& problem, std::size_t i, py::handle value, const std::string& where) {
  const Buffer& b = problem.buffers[i];
  const std::string at = fmt::format("{}: buffer '{}'", where, b.name);
  if (py::isinstance<py::int_>(value)) return {b.pools.empty() ? -1 : b.pools.front(), value.cast<Bytes>()};
  if (py::isinstance<py::sequence>(value) && py::len(value) == 2) {
    const auto pair = value.cast<py::sequence>();
    return {pool_of(problem, pair[0], at), pair[1].cast<Bytes>()};
  }
  throw InputError(fmt::format("{}: expected an offset or a (pool, offset) pair", at));
}

PyPlan make_plan(const PyProblem& problem, Plan plan) {
  PyPlan out;
  out.problem = problem.draft.snapshot();
  out.plan = std::move(plan);
  compute_pool_sizes(*out.problem, out.plan);
  return out;
}

py::object placement_tuple(const PyPlan& p, std::size_t i) {
  const Placement& at = p.plan.placements[i];
  if (at.pool < 0 || static_cast<std::size_t>(at.pool) >= p.problem->pools.size()) return py::none();
  return py::make_tuple(p.problem->pools[static_cast<std::size_t>(at.pool)].name, at.offset);
}

std::string plan_json(const PyPlan& p, bool timing) {
  std::ostringstream json;
  write_plan_json(*p.problem, p.plan, json, timing);
  return json.str();
}

}  // namespace

Plan placements_from_python(const Problem& problem, py::handle result, const std::string& where) {
  Plan plan;
  plan.placements.assign(problem.buffers.size(), Placement{});
  if (py::isinstance<py::dict>(result)) {
    const auto by_name = result.cast<py::dict>();
    for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
      const py::str name(problem.buffers[i].name);
      if (by_name.contains(name)) plan.placements[i] = placement_of(problem, i, by_name[name], where);
    }
  } else if (py::isinstance<py::sequence>(result) && !py::isinstance<py::str>(result)) {
    const auto items = result.cast<py::sequence>();
    if (py::len(items) != problem.buffers.size())
      throw InputError(fmt::format("{}: {} placements for {} buffers", where, py::len(items), problem.buffers.size()));
    for (std::size_t i = 0; i < problem.buffers.size(); ++i)
      plan.placements[i] = placement_of(problem, i, items[i], where);
  } else {
    throw InputError(fmt::format("{}: expected a list of placements or a dict by buffer name", where));
  }
  return plan;
}

void bind_plan(py::module_& m) {
  py::class_<PyPlan>(m, "Plan", "where every buffer of a problem went")
      .def(py::init([](const PyProblem& problem, py::handle placements) {
             return make_plan(problem, placements_from_python(problem.draft.problem(), placements, "Plan"));
           }),
           py::arg("problem"), py::arg("placements"),
           "a plan of your own (to check): a list of offsets or (pool, offset) pairs, or a dict by buffer name")
      .def_property_readonly("algorithm", [](const PyPlan& p) { return p.plan.algorithm; })
      .def_property_readonly("optimal", [](const PyPlan& p) { return p.plan.optimal; })
      .def_property_readonly("lower_bound", [](const PyPlan& p) { return p.plan.lower_bound; })
      .def_property_readonly("total_bytes", [](const PyPlan& p) { return p.plan.total_size(); })
      .def_property_readonly("solve_seconds", [](const PyPlan& p) { return p.plan.solve_seconds; })
      .def_readonly("interrupted", &PyPlan::interrupted)
      .def_property_readonly("pool_sizes",
                             [](const PyPlan& p) {
                               py::dict out;
                               for (std::size_t i = 0; i < p.problem->pools.size(); ++i)
                                 out[py::str(p.problem->pools[i].name)] = p.plan.pool_sizes[i];
                               return out;
                             })
      .def_property_readonly(
          "placements",
          [](const PyPlan& p) {
            py::dict out;
            for (std::size_t i = 0; i < p.problem->buffers.size(); ++i)
              out[py::str(p.problem->buffers[i].name)] = placement_tuple(p, i);
            return out;
          },
          "{buffer name: (pool name, offset)}")
      .def(
          "__getitem__",
          [](PyPlan& p, const std::string& name) {
            return placement_tuple(p, static_cast<std::size_t>(p.buffer_index(name)));
          },
          "(pool name, offset) of a buffer")
      .def(
          "offset",
          [](PyPlan& p, const std::string& name) {
            return p.plan.placements[static_cast<std::size_t>(p.buffer_index(name))].offset;
          },
          py::arg("buffer"))
      .def("__len__", [](const PyPlan& p) { return p.plan.placements.size(); })
      .def("to_json", &plan_json, py::arg("timing") = true, "the plan JSON (the command line's -o format)")
      .def(
          "write",
          [](const PyPlan& p, const std::string& path, bool timing) {
            write_file_atomically(path, plan_json(p, timing));
          },
          py::arg("path"), py::arg("timing") = true);

  m.def(
      "check",
      [](const PyProblem& problem, const PyPlan& plan) { return check_plan(problem.draft.problem(), plan.plan); },
      py::arg("problem"), py::arg("plan"), "None when the plan is valid, else the first violation");
  m.def(
      "lower_bound", [](const PyProblem& problem) { return lower_bound(problem.draft.problem()); }, py::arg("problem"),
      "a bound on the total size of all pools that every valid plan needs");
  m.def(
      "read_plan",
      [](const PyProblem& problem, const std::string& path) {
        std::optional<std::string> mismatch;
        Plan plan = read_plan_json(path, problem.draft.problem(), mismatch);
        if (mismatch) throw InvalidPlan(fmt::format("{}: {}", path, *mismatch));
        return make_plan(problem, std::move(plan));
      },
      py::arg("problem"), py::arg("path"), "a plan JSON file for this problem (matched by buffer and pool names)");
}

}  // namespace arenaplan::python
