// The Python module arenaplan._arenaplan (wrapped by python/arenaplan/__init__.py).
#include "arenaplan/error.h"
#include "arenaplan/version.h"
#include "py_types.h"

PYBIND11_MODULE(_arenaplan, m) {
  namespace py = pybind11;
  using namespace arenaplan;
  m.doc() = "arenaplan: static memory planning for ML inference (problems, plans, algorithms, models)";
  m.attr("__version__") = ARENAPLAN_VERSION_STRING;
  static py::exception<std::runtime_error> error(m, "Error");
  py::register_exception<InputError>(m, "InputError", error.ptr());
  py::register_exception<NoSolution>(m, "NoSolution", error.ptr());
  py::register_exception<InvalidPlan>(m, "InvalidPlan", error.ptr());
  python::bind_problem(m);
  python::bind_plan(m);
  python::bind_solve(m);
  python::bind_model(m);
}
