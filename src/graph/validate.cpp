// Structural validation of a Graph, for every importer: what lowering and the generated code
// assume about the operators and tensors, checked once so that a broken model is an InputError
// naming the operator and tensor instead of a plan that is wrong.
#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/graph.h"
#include "graph/validate_operators.h"

namespace arenaplan {
namespace {

class StructureCheck {
 public:
  explicit StructureCheck(const Graph& graph) : g_(graph), producer_(graph.tensors.size(), -1) {}

  void run() {
    if (g_.operators.empty()) fail("the model has no operators");
    for (std::size_t i = 0; i < g_.operators.size(); ++i) record_outputs(i);
    for (std::size_t i = 0; i < g_.operators.size(); ++i) check_inputs(i);
    for (std::int32_t t : g_.outputs)
      if (producer_[t] < 0 && !is_source(t))
        fail(fmt::format("graph output {} is not written by any operator and is neither a graph input nor a constant",
                         tensor(t)));
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(fmt::format("{}: {}", g_.source, problem));
  }

  std::string tensor(std::int32_t t) const { return fmt::format("tensor {} ('{}')", t, g_.tensors[t].name); }

  // Tensors whose bytes exist before the first operator runs.
  bool is_source(std::int32_t t) const {
    const Tensor& x = g_.tensors[t];
    return x.is_input || x.is_constant || x.is_variable;
  }

  // One producer per tensor, and never one for a tensor the caller or the model file provides.
  void record_outputs(std::size_t op) {
    const std::string who = g_.describe_operator(op);
    for (std::int32_t t : g_.operators[op].outputs) {
      if (producer_[t] == static_cast<std::int32_t>(op)) fail(fmt::format("{} lists output {} twice", who, tensor(t)));
      if (producer_[t] >= 0)
        fail(fmt::format("{} is written by {} and by {}; a tensor has one producer", tensor(t),
                         g_.describe_operator(static_cast<std::size_t>(producer_[t])), who));
      const Tensor& x = g_.tensors[t];
      if (x.is_constant) fail(fmt::format("{} writes {}, which is a constant", who, tensor(t)));
      if (x.is_input) fail(fmt::format("{} writes {}, which is a graph input", who, tensor(t)));
      producer_[t] = static_cast<std::int32_t>(op);
    }
  }

  // The model's order must be a schedule: every input exists before its reader runs (this also
  // rules out cycles and an operator reading its own output). A custom operator's unwritten input
  // is a scratch area it owns (Vela's Ethos-U operator); a builtin operator never reads one.
  void check_inputs(std::size_t op) const {
    const std::string who = g_.describe_operator(op);
    for (std::int32_t t : g_.operators[op].inputs) {
      if (t < 0 || is_source(t)) continue;
      const std::int32_t p = producer_[t];
      if (p == static_cast<std::int32_t>(op)) fail(fmt::format("{} reads its own output {}", who, tensor(t)));
      if (p > static_cast<std::int32_t>(op))
        fail(fmt::format("{} reads {} before {} writes it; the operator order is not a valid schedule (a cycle?)", who,
                         tensor(t), g_.describe_operator(static_cast<std::size_t>(p))));
      if (p < 0 && !g_.operators[op].custom)  // custom operators may take scratch areas (Ethos-U)
        fail(fmt::format(
            "{} reads {}, which no operator writes and which is neither a graph input, a constant nor a variable "
            "(an empty weight buffer?)",
            who, tensor(t)));
    }
  }

  const Graph& g_;
  std::vector<std::int32_t> producer_;
};

}  // namespace

void validate_graph(const Graph& graph) {
  StructureCheck(graph).run();
  for (std::size_t op = 0; op < graph.operators.size(); ++op) validate_operator_parameters(graph, op);
}

}  // namespace arenaplan
