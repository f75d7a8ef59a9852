// <name>_model.c: <name>_run, one kernel call per operator in schedule order, each given
// pointers into the pools at the planned offsets. And, for `arenaplan run`, the same calls with
// every tensor and scratch buffer in its own array (<name>_separate.c), the reference a plan
// is checked against.
#include <fmt/format.h>

#include "arenaplan/error.h"
#include "emit/c_names.h"
#include "emit/c_operators.h"
#include "emit/c_variables.h"

namespace arenaplan::c_out {
namespace {

constexpr const char* kTraceDeclaration =
    "/* Define ARENAPLAN_TRACE(op, data, bytes) to see each operator's outputs (arenaplan run does). */\n"
    "#ifdef ARENAPLAN_TRACE\nvoid ARENAPLAN_TRACE(int32_t op, const void* data, uint32_t bytes);\n#endif\n\n";

// Where each tensor and scratch buffer is, as C expressions.
struct Addresses {
  virtual ~Addresses() = default;
  virtual std::string tensor(std::size_t t) const = 0;
  virtual std::string scratch(std::size_t op, std::size_t k) const = 0;
  // Planned: tensors share buffers as the lowering said (an in-place CONCATENATION has nothing to copy).
  virtual bool planned() const = 0;
};

// The pixel stride of a tensor written as a channel slice of an in-place CONCATENATION, else 0.
std::int64_t strided(const LoweredModel& lowered, std::int32_t t) {
  const auto i = static_cast<std::size_t>(t);
  return t >= 0 && i < lowered.tensor_pixel_stride.size() ? lowered.tensor_pixel_stride[i] : 0;
}

OperandPointers operands(const Graph& graph, std::size_t op, const LoweredModel& lowered, const Addresses& at) {
  const Operator& o = graph.operators[op];
  OperandPointers p;
  for (std::int32_t t : o.inputs) p.inputs.push_back(t < 0 ? std::string("0") : at.tensor(static_cast<std::size_t>(t)));
  for (std::int32_t t : o.outputs) p.outputs.push_back(at.tensor(static_cast<std::size_t>(t)));
  for (std::size_t k = 0; k < lowered.operator_memory[op].scratch.size(); ++k) p.scratch.push_back(at.scratch(op, k));
  if (at.planned() && o.outputs.size() == 1) p.output_pixel_stride = strided(lowered, o.outputs[0]);
  return p;
}

// The operator calls (with trace hooks) and their parameter tables.
std::pair<std::string, std::string> operator_code(const Graph& graph, const LoweredModel& lowered, const Addresses& at,
                                                  const std::string& symbol_prefix) {
  std::string definitions, body;
  for (std::size_t i = 0; i < graph.operators.size(); ++i) {
    if (lowered.folded(i)) {
      body += fmt::format("  /* {}: folded into operator {} */\n", comment_text(graph.describe_operator(i)),
                          lowered.folded_into[i]);
      continue;
    }
    const OperandPointers p = operands(graph, i, lowered, at);
    const bool in_place = at.planned() && i < lowered.concat_in_place.size() && lowered.concat_in_place[i];
    const KernelCall call =
        in_place ? KernelCall{"", "/* written in place: each input's producer wrote its slice of the output */"}
                 : kernel_call(graph, i, lowered.operator_memory[i], p, fmt::format("{}op{}_", symbol_prefix, i));
    const Tensor& output = graph.tensors[static_cast<std::size_t>(graph.operators[i].outputs.at(0))];
    if (!call.definitions.empty())
      definitions += fmt::format("/* {} */\n{}\n", comment_text(graph.describe_operator(i)), call.definitions);
    body += fmt::format("  /* {}: '{}' */\n  {}\n", comment_text(graph.describe_operator(i)), comment_text(output.name),
                        call.statement);
    // One trace entry per output, in the operator's output order, then its variable inputs.
    body += "#ifdef ARENAPLAN_TRACE\n";
    // A channel slice is not one run of bytes in the planned code: the concatenation's output is traced.
    for (std::size_t k = 0; k < p.outputs.size(); ++k)
      if (strided(lowered, graph.operators[i].outputs[k]) == 0)
        body += fmt::format("  ARENAPLAN_TRACE({}, {}, {}u);\n", i, p.outputs[k],
                            graph.tensors[static_cast<std::size_t>(graph.operators[i].outputs[k])].bytes);
    for (std::int32_t t : variable_inputs(graph, i))
      body += fmt::format("  ARENAPLAN_TRACE({}, {}, {}u);\n", i, at.tensor(static_cast<std::size_t>(t)),
                          graph.tensors[static_cast<std::size_t>(t)].bytes);
    body += "#endif\n";
  }
  return {definitions, body};
}

class PlannedAddresses final : public Addresses {
 public:
  PlannedAddresses(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const Layout& l)
      : graph_(graph), lowered_(lowered), plan_(plan), l_(l) {
    for (std::size_t b = 0; b < lowered.problem.buffers.size(); ++b) {
      const Buffer& buffer = lowered.problem.buffers[b];
      if (buffer.kind != BufferKind::scratch || !buffer.op) continue;
      const auto op = static_cast<std::size_t>(*buffer.op);
      if (scratch_.size() <= op) scratch_.resize(op + 1);
      scratch_[op].push_back(static_cast<std::int32_t>(b));
    }
  }

  std::string tensor(std::size_t t) const override {
    const std::int32_t b = lowered_.tensor_buffer.at(t);
    if (b >= 0) return at(b, l_.tensor_offset_macro.at(t));
    for (const IoTensor& x : l_.inputs)
      if (static_cast<std::size_t>(x.tensor) == t) return fmt::format("(uint8_t*)inputs->{}", x.member);
    for (const IoTensor& x : l_.outputs)
      if (static_cast<std::size_t>(x.tensor) == t) return fmt::format("(uint8_t*)outputs->{}", x.member);
    throw InputError(fmt::format("{}: tensor '{}' has no planned memory and is not an input or output", graph_.source,
                                 graph_.tensors[t].name));
  }

  bool planned() const override { return true; }

  // Scratch requests of size 0 have no buffer: the kernel gets a null pointer.
  std::string scratch(std::size_t op, std::size_t k) const override {
    std::size_t seen = 0;
    const auto& requests = lowered_.operator_memory[op].scratch;
    for (std::size_t r = 0; r < k; ++r) seen += requests[r].size > 0 ? 1 : 0;
    if (requests[k].size == 0 || op >= scratch_.size() || seen >= scratch_[op].size()) return "0";
    const std::int32_t b = scratch_[op][seen];
    return at(b, l_.buffer_offset_macro.at(static_cast<std::size_t>(b)));
  }

 private:
  // Buffer b's first byte: its pool plus the header's offset macro (the offset, by name).
  std::string at(std::int32_t b, const std::string& offset_macro) const {
    const Placement& placement = plan_.placements[static_cast<std::size_t>(b)];
    const Pool& pool = lowered_.problem.pools[static_cast<std::size_t>(placement.pool)];
    std::string base = pool_symbol(l_, pool);
    if (pool.external) base = fmt::format("{}->{}", pool.read_only() ? "constant_pools" : "workspace_pools", pool.name);
    return fmt::format("{} + {}", base, offset_macro);
  }

  const Graph& graph_;
  const LoweredModel& lowered_;
  const Plan& plan_;
  const Layout& l_;
  std::vector<std::vector<std::int32_t>> scratch_;  // per operator: its scratch buffers in request order
};

// Every tensor in an array of its own: t<index>; scratch buffers s<op>_<k>.
class SeparateAddresses final : public Addresses {
 public:
  std::string tensor(std::size_t t) const override { return fmt::format("t{}", t); }
  std::string scratch(std::size_t op, std::size_t k) const override { return fmt::format("s{}_{}", op, k); }
  bool planned() const override { return false; }
};

}  // namespace

std::string emit_model(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const Layout& l) {
  const PlannedAddresses at(graph, lowered, plan, l);
  const auto [definitions, body] = operator_code(graph, lowered, at, "");
  std::string c = fmt::format(
      "/* {}_model.c: runs model {}, one kernel call per operator, operands at their planned\n"
      " * offsets. Generated by arenaplan: do not edit. */\n",
      l.prefix, comment_text(graph.source));
  c += fmt::format("#include \"{}.h\"\n#include \"arenaplan_kernels.h\"\n{}\n", l.prefix,
                   l.reset ? "#include <string.h>\n" : "");
  c += kTraceDeclaration + definitions;
  c += fmt::format("int32_t {}_run{} {{\n", l.prefix, run_parameters(l));
  c += run_argument_checks(lowered.problem, l);
  for (const char* parameter : {"inputs", "outputs", "workspace_pools", "constant_pools"})
    if (run_parameters(l).find(fmt::format("* {}", parameter)) != std::string::npos)
      c += fmt::format("  (void){};\n", parameter);
  c += body + fmt::format("  return {}_OK;\n}}\n", l.macro);
  if (l.reset) {
    c += fmt::format("\nvoid {}_reset{} {{\n", l.prefix, map_parameters(l));
    if (l.external_workspace) c += "  (void)workspace_pools;\n";
    c += variable_reset_statements(graph, [&](std::size_t t) { return at.tensor(t); }) + "}\n";
  }
  return c;
}

std::string emit_separate_model(const Graph& graph, const LoweredModel& lowered, const std::string& prefix,
                                std::vector<std::uint8_t>* constants) {
  const SeparateAddresses at;
  const auto [definitions, body] = operator_code(graph, lowered, at, "sep_");
  std::string c = fmt::format(
      "/* {}_separate.c: model {} with every tensor and scratch buffer in its own array: the\n"
      " * reference `arenaplan run` compares the planned code with. Generated by arenaplan. */\n",
      prefix, comment_text(graph.source));
  c += "#include <stdint.h>\n#include <string.h>\n#include \"arenaplan_kernels.h\"\n\n";
  c += "#if defined(__GNUC__) || defined(__clang__)\n#define SEP_ALIGNED __attribute__((aligned(16), "
       "unused))\n#else\n#define SEP_ALIGNED\n#endif\n\n";
  c += kTraceDeclaration;
  std::string bind;  // with `constants`: the statements pointing each constant into the file's bytes
  for (std::size_t t = 0; t < graph.tensors.size(); ++t) {
    const Tensor& tensor = graph.tensors[t];
    if (tensor.bytes == 0) continue;
    if (tensor.is_constant && constants != nullptr) {
      const auto& data = graph.constant_data.at(static_cast<std::size_t>(tensor.constant_buffer));
      const std::size_t offset = (constants->size() + 15) / 16 * 16;
      constants->resize(offset + static_cast<std::size_t>(tensor.bytes), 0);
      std::copy_n(data.begin(), std::min(data.size(), static_cast<std::size_t>(tensor.bytes)),
                  constants->begin() + static_cast<std::ptrdiff_t>(offset));
      c += fmt::format("static const uint8_t* t{};\n", t);
      bind += fmt::format("  t{} = constants + {}u;\n", t, offset);
    } else if (tensor.is_constant) {
      const auto& data = graph.constant_data.at(static_cast<std::size_t>(tensor.constant_buffer));
      c += fmt::format("static const uint8_t t{}[{}] SEP_ALIGNED = {{{}\n}};\n", t, tensor.bytes,
                       byte_values(data, static_cast<std::size_t>(tensor.bytes)));
    } else {
      c += fmt::format("static uint8_t t{}[{}] SEP_ALIGNED;\n", t, tensor.bytes);
    }
  }
  for (std::size_t op = 0; op < graph.operators.size(); ++op)
    for (std::size_t k = 0; k < lowered.operator_memory[op].scratch.size(); ++k)
      c += fmt::format("static uint8_t s{}_{}[{}] SEP_ALIGNED;\n", op, k,
                       std::max<Bytes>(1, lowered.operator_memory[op].scratch[k].size));
  if (constants != nullptr) {
    c += fmt::format(
        "void {0}_separate_bind(const uint8_t* constants);\nvoid {0}_separate_bind(const uint8_t* constants) {{\n",
        prefix);
    c += (bind.empty() ? std::string("  (void)constants;\n") : bind) + "}\n";
  }
  c += "\n" + definitions;
  c += fmt::format("int32_t {}_separate_run(const uint8_t* const* inputs, uint8_t* const* outputs);\n", prefix);
  c += fmt::format("int32_t {}_separate_run(const uint8_t* const* inputs, uint8_t* const* outputs) {{\n", prefix);
  // The reference run starts from the zero state, as the planned run after NAME_reset().
  c += variable_reset_statements(graph, [&](std::size_t t) { return at.tensor(t); });
  for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
    const auto t = static_cast<std::size_t>(graph.inputs[i]);
    c += fmt::format("  memcpy(t{}, inputs[{}], {}u);\n", t, i, graph.tensors[t].bytes);
  }
  c += body;
  for (std::size_t i = 0; i < graph.outputs.size(); ++i) {
    const auto t = static_cast<std::size_t>(graph.outputs[i]);
    c += fmt::format("  memcpy(outputs[{}], t{}, {}u);\n", i, t, graph.tensors[t].bytes);
  }
  return c + "  return 0;\n}\n";
}

}  // namespace arenaplan::c_out
