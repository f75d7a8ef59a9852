// <name>.h: the memory interface of a planned model.
#include <fmt/format.h>

#include "emit/c_names.h"

namespace arenaplan::c_out {
namespace {

std::string io_struct(const Layout& l, const std::vector<IoTensor>& list, const char* what) {
  std::string out = "typedef struct {\n";
  for (const IoTensor& x : list) out += fmt::format("  {}void* {};\n", x.read_only ? "const " : "", x.member);
  if (list.empty()) out += "  uint8_t unused;\n";
  return out + fmt::format("}} {}_{};\n", l.prefix, what);
}

std::string pools_struct(const Layout& l, const Problem& problem, bool constant) {
  std::string out =
      fmt::format("/* {} pools the application provides, aligned as the _ALIGNMENT macros say. */\ntypedef struct {{\n",
                  constant ? "Constant" : "Workspace");
  for (const Pool& pool : problem.pools)
    if (pool.external && pool.read_only() == constant)
      out += fmt::format("  {}uint8_t* {};\n", constant ? "const " : "", pool.name);
  return out + fmt::format("}} {}_{}_pools;\n\n", l.prefix, constant ? "constant" : "workspace");
}

}  // namespace

std::string emit_header(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const Layout& l) {
  const Problem& problem = lowered.problem;
  const std::string guard = l.macro + "_H_";
  std::string h =
      fmt::format("/* {}.h: memory interface of model {}.\n * Planned by arenaplan ({}). Generated: do not edit. */\n",
                  l.prefix, comment_text(graph.source), comment_text(plan.algorithm));
  h += fmt::format("#ifndef {0}\n#define {0}\n\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n",
                   guard);

  h += "/* Pools, in priority order: size in bytes, alignment of the base address. */\n";
  Bytes workspace = 0, constant = 0;
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    h += fmt::format("#define {} {}\n", pool_size_macro(l, pool), plan.pool_sizes[p]);
    h += fmt::format("#define {}_{}_ALIGNMENT {}\n", l.macro, upper(pool.name), l.array_alignment[p]);
    (pool.read_only() ? constant : workspace) += plan.pool_sizes[p];
  }
  h += fmt::format("#define {}_WORKSPACE_SIZE {}\n#define {}_CONSTANT_SIZE {}\n\n", l.macro, workspace, l.macro,
                   constant);

  h += "/* Inputs and outputs: bytes of each. */\n";
  for (const IoTensor& x : l.inputs)
    h += fmt::format("#define {}_INPUT_{}_SIZE {}\n", l.macro, x.macro,
                     graph.tensors[static_cast<std::size_t>(x.tensor)].bytes);
  for (const IoTensor& x : l.outputs)
    h += fmt::format("#define {}_OUTPUT_{}_SIZE {}\n", l.macro, x.macro,
                     graph.tensors[static_cast<std::size_t>(x.tensor)].bytes);
  h += "\n" + io_descriptions(graph, l);
  h += "\n" + io_struct(l, l.inputs, "inputs") + io_struct(l, l.outputs, "outputs") + "\n";
  if (l.external_workspace) h += pools_struct(l, problem, false);
  if (l.external_constant) h += pools_struct(l, problem, true);

  h += "/* Pools the generated code owns. */\n";
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    if (!pool.external)
      h += fmt::format("extern {}uint8_t {}[];\n", pool.read_only() ? "const " : "", pool_symbol(l, pool));
  }

  h += "\n/* Offset of every buffer in its pool: <MODEL>_<POOL>_OFFSET_<BUFFER>. */\n";
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    h += fmt::format("#define {} {} /* {} bytes, {} '{}' */\n", l.buffer_offset_macro[i], plan.placements[i].offset,
                     b.size, to_string(b.kind), comment_text(b.name));
  }
  // Tensors that reuse another tensor's bytes (RESHAPE and the like) get their own name too.
  for (std::size_t t = 0; t < lowered.tensor_buffer.size(); ++t) {
    const std::int32_t b = lowered.tensor_buffer[t];
    if (b < 0 || problem.buffers[static_cast<std::size_t>(b)].tensor == static_cast<std::int64_t>(t)) continue;
    const Bytes slice = t < lowered.tensor_offset.size() ? lowered.tensor_offset[t] : 0;
    if (slice == 0)
      h += fmt::format("#define {} {} /* shares the bytes of {} */\n", l.tensor_offset_macro[t],
                       plan.placements[static_cast<std::size_t>(b)].offset,
                       l.buffer_offset_macro[static_cast<std::size_t>(b)]);
    else  // an input of an in-place CONCATENATION, written into its slice of the output
      h += fmt::format("#define {} {} /* {} bytes into {} */\n", l.tensor_offset_macro[t],
                       plan.placements[static_cast<std::size_t>(b)].offset + slice, slice,
                       l.buffer_offset_macro[static_cast<std::size_t>(b)]);
  }

  if (l.io_in_pool) {
    h += "\n/* Inputs and outputs live inside a workspace pool: write the inputs there, run, read the outputs. */\n";
    h += fmt::format("{0}_inputs {0}_map_inputs{1};\n{0}_outputs {0}_map_outputs{1};\n", l.prefix, map_parameters(l));
  }
  if (l.reset) {
    h += fmt::format(
        "\n/* The model's variable tensors (SVDF / LSTM state) carry over from one run to the next. {}_reset()\n"
        " * sets them to their zero (int8: the zero point): call it once before the first run, and again to\n"
        " * start a new sequence. */\n",
        l.prefix);
    h += fmt::format("void {}_reset{};\n", l.prefix, map_parameters(l));
  }
  h += fmt::format(
      "\n/* What {}_run returns. It checks the pointers it is given (none when it takes no\n"
      " * arguments: then it always returns OK). */\n",
      l.prefix);
  h += fmt::format(
      "#define {0}_OK 0\n#define {0}_ERROR_NULL_POINTER 1 /* an input, output or pool pointer is NULL */\n"
      "#define {0}_ERROR_MISALIGNED_POOL 2 /* a pool is not aligned as its _ALIGNMENT macro says */\n",
      l.macro);
  h += "\n/* Entry point: runs the model once; no allocation, no other state. Link with -lm: the float\n"
       " * kernels call expf and roundf. */\n";
  h += fmt::format("int32_t {}_run{};\n", l.prefix, run_parameters(l));
  h += fmt::format("\n#ifdef __cplusplus\n}}\n#endif\n\n#endif /* {} */\n", guard);
  return h;
}

}  // namespace arenaplan::c_out
