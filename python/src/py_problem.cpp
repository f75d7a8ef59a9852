// Python: Pool, Buffer and Problem (built one pool and buffer at a time, or read from a file).
#include <sstream>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "py_types.h"

namespace arenaplan::python {
namespace {

template <class Kind, class Parse>
Kind kind_of(const std::string& text, Parse parse, const char* known) {
  const auto kind = parse(text);
  if (!kind) throw InputError(fmt::format("unknown kind '{}' ({})", text, known));
  return *kind;
}

PoolKind pool_kind(const std::string& text) {
  return kind_of<PoolKind>(text, parse_pool_kind, "workspace, constant, persistent");
}

BufferKind buffer_kind(const std::string& text) {
  return kind_of<BufferKind>(text, parse_buffer_kind, "activation, scratch, input, output, constant, variable");
}

// Conflicts and candidate pools: names, or indices into the problem.
void add_references(py::handle items, std::vector<std::string>& names, std::vector<std::int32_t>& indices) {
  for (py::handle item : items) {
    if (py::isinstance<py::str>(item))
      names.push_back(item.cast<std::string>());
    else
      indices.push_back(item.cast<std::int32_t>());
  }
}

PyProblem read_problem_file(const std::string& path) {
  std::ostringstream warnings;
  PyProblem p{ProblemDraft(read_problem(path, warnings))};
  if (!warnings.str().empty()) py::module_::import("warnings").attr("warn")(warnings.str());
  return p;
}

}  // namespace

void bind_problem(py::module_& m) {
  py::class_<Pool>(m, "Pool", "a memory pool: name, limit (bytes or None), alignment, kind")
      .def_readonly("name", &Pool::name)
      .def_readonly("limit", &Pool::limit)
      .def_readonly("alignment", &Pool::alignment)
      .def_property_readonly("kind", [](const Pool& p) { return std::string(to_string(p.kind)); })
      .def("__repr__", [](const Pool& p) {
        return fmt::format("Pool('{}', limit={}, alignment={}, kind='{}')", p.name,
                           p.limit ? std::to_string(*p.limit) : "None", p.alignment, to_string(p.kind));
      });

  py::class_<Buffer>(m, "Buffer", "a buffer: conflicts and pools are indices into the problem")
      .def_readonly("name", &Buffer::name)
      .def_readonly("size", &Buffer::size)
      .def_readonly("alignment", &Buffer::alignment)
      .def_property_readonly("kind", [](const Buffer& b) { return std::string(to_string(b.kind)); })
      .def_property_readonly("live",
                             [](const Buffer& b) {
                               py::list out;
                               for (const Interval& r : b.live) out.append(py::make_tuple(r.first, r.last));
                               return out;
                             })
      .def_readonly("conflicts", &Buffer::conflicts)
      .def_readonly("pools", &Buffer::pools)
      .def_readonly("fixed_offset", &Buffer::fixed_offset)
      .def_property_readonly("overlaps",
                             [](const Buffer& b) {
                               py::list out;
                               for (const OverlapAllowance& o : b.overlaps)
                                 out.append(py::make_tuple(o.with, o.distance));
                               return out;
                             })
      .def("__repr__", [](const Buffer& b) { return fmt::format("Buffer('{}', size={})", b.name, b.size); });

  py::class_<PyProblem>(m, "Problem", "pools and buffers to plan")
      .def(py::init<>())
      .def(
          "add_pool",
          [](PyProblem& p, std::string name, std::optional<Bytes> limit, Bytes alignment, const std::string& kind) {
            return p.draft.add_pool({std::move(name), limit, alignment, pool_kind(kind)});
          },
          py::arg("name"), py::arg("limit") = py::none(), py::arg("alignment") = 1, py::arg("kind") = "workspace",
          "adds a pool (limit None: unlimited) and returns its index")
      .def(
          "add_buffer",
          [](PyProblem& p, std::string name, Bytes size, Bytes alignment, py::iterable live, py::iterable conflicts,
             std::optional<py::iterable> pools, std::optional<Bytes> fixed_offset, const std::string& kind,
             py::iterable overlaps) {
            NamedBuffer b;
            b.buffer.name = std::move(name);
            b.buffer.size = size;
            b.buffer.alignment = alignment;
            b.buffer.kind = buffer_kind(kind);
            b.buffer.fixed_offset = fixed_offset;
            for (py::handle range : live) {
              const auto pair = range.cast<std::pair<Step, Step>>();
              b.buffer.live.push_back({pair.first, pair.second});
            }
            add_references(conflicts, b.conflicts, b.buffer.conflicts);
            for (py::handle allowance : overlaps) {  // (buffer, distance), the buffer by name or index
              const auto pair = allowance.cast<py::sequence>();
              if (py::len(pair) != 2) throw InputError("add_buffer: an overlap is a (buffer, distance) pair");
              if (py::isinstance<py::str>(pair[0]))
                b.overlaps.emplace_back(pair[0].cast<std::string>(), pair[1].cast<Bytes>());
              else
                b.buffer.overlaps.push_back({pair[0].cast<std::int32_t>(), pair[1].cast<Bytes>()});
            }
            if (pools) {
              b.pools.emplace();
              add_references(*pools, *b.pools, b.buffer.pools);
            }
            return p.draft.add_buffer(std::move(b));
          },
          py::arg("name"), py::arg("size"), py::arg("alignment") = 1, py::arg("live") = py::tuple(),
          py::arg("conflicts") = py::tuple(), py::arg("pools") = py::none(), py::arg("fixed_offset") = py::none(),
          py::arg("kind") = "activation", py::arg("overlaps") = py::tuple(),
          "adds a buffer and returns its index: live ranges [(first, last), ...) half-open; conflicts and "
          "candidate pools by name or index (pools None: every pool of its kind); overlaps: (buffer, distance) "
          "allowances, this buffer may share bytes with that one when it starts at least distance bytes below it")
      .def_property_readonly("pools", [](const PyProblem& p) { return p.draft.problem().pools; })
      .def_property_readonly("buffers", [](const PyProblem& p) { return p.draft.problem().buffers; })
      .def("__len__", [](const PyProblem& p) { return p.draft.buffer_count(); })
      .def(
          "validate", [](const PyProblem& p) { p.draft.problem(); }, "raises InputError when the problem is invalid")
      .def_static("read", &read_problem_file, py::arg("path"), "a problem JSON or MiniMalloc CSV file");

  m.def("read_problem", &read_problem_file, py::arg("path"), "a problem JSON or MiniMalloc CSV file");
}

}  // namespace arenaplan::python
