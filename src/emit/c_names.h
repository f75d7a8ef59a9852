// Names and layout facts shared by the C emitters.
#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/c_emitter.h"

namespace arenaplan {

// `text` as a C identifier: letters, digits and '_' (others become '_'), not starting with a digit.
std::string c_identifier(std::string_view text);

// <prefix>_separate.c for `arenaplan run` (execution layer): the same kernel calls with every
// tensor and scratch buffer in its own array, behind `int32_t <prefix>_separate_run(const uint8_t*
// const* inputs, uint8_t* const* outputs)` (graph order). Independent of any plan. With
// `constants_in_file`, the constant tensors are not C arrays but pointers into
// <prefix>_separate_constants.bin (each tensor at a 16-byte aligned offset, the second file
// returned), set by `void <prefix>_separate_bind(const uint8_t* constants)` before the first run.
std::vector<EmittedFile> emit_separate_model(const Graph& graph, const LoweredModel& lowered, const std::string& prefix,
                                             bool constants_in_file = false);

}  // namespace arenaplan

namespace arenaplan::c_out {

std::string upper(std::string_view text);
// A readable macro fragment for a tensor or buffer name: first ';'-separated part, sanitised,
// at most 48 characters (the tail kept), unique within `taken`.
std::string unique_fragment(std::string_view name, std::set<std::string>& taken);
// The body of a C byte-array initialiser: "\n  0x01, 0x02, ..." 16 per line, `size` bytes (data
// padded with zeros), without braces.
std::string byte_values(std::span<const std::uint8_t> data, std::size_t size);
// Safe inside a C comment: printable ASCII, no "*/", at most 100 characters.
std::string comment_text(std::string_view text);

struct IoTensor {
  std::string member;  // struct member name
  std::string macro;   // macro fragment
  std::int32_t tensor = -1;
  std::int32_t buffer = -1;  // planned buffer, or -1 when the caller owns it
  bool read_only = false;    // a constant graph output: a pointer into a constant pool
};

struct Layout {
  std::string prefix;  // lower-case symbol prefix (options.name)
  std::string macro;   // upper-case macro prefix
  std::vector<IoTensor> inputs, outputs;
  bool io_in_pool = false;
  bool external_workspace = false;  // some workspace pool is external
  bool external_constant = false;
  std::vector<Bytes> array_alignment;  // per pool: max of the pool's and its buffers' alignment
  // <MODEL>_<POOL>_OFFSET_<BUFFER>: per buffer, and per tensor (a tensor reusing another's bytes,
  // like RESHAPE's output, has a name of its own; "" for a tensor without planned memory).
  std::vector<std::string> buffer_offset_macro;
  std::vector<std::string> tensor_offset_macro;
  bool reset = false;  // NAME_reset() exists: operator code for a model with variable tensors
};

Layout layout(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const CEmitOptions& options);
std::string pool_size_macro(const Layout& l, const Pool& pool);  // NAME_POOL_WORKSPACE_POOL_SIZE
std::string pool_symbol(const Layout& l, const Pool& pool);      // name_pool (internal array)
std::string run_parameters(const Layout& l);                     // "(void)" or the argument list
std::string map_parameters(const Layout& l);

// Per graph input and output: element typedef, rank, dimensions, elements, quantization macros.
std::string io_descriptions(const Graph& graph, const Layout& l);
// The checks <name>_run makes of the pointers it is given (NULL, pool alignment), returning the
// error codes the header defines; "" when it takes none.
std::string run_argument_checks(const Problem& problem, const Layout& l);

std::string emit_header(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const Layout& l);
std::string emit_source(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const Layout& l);
// The bytes of constant pool `pool`: every constant at its offset, zeros between.
std::vector<std::uint8_t> constant_image(const Graph& graph, const LoweredModel& lowered, const Plan& plan,
                                         std::int32_t pool);
// "{ 0x.., ... }": the bytes of constant pool `pool` (every constant at its offset, zeros between).
std::string constant_pool_initialiser(const Graph& graph, const LoweredModel& lowered, const Plan& plan,
                                      std::int32_t pool);
// <name>_model.c: <name>_run with every operator's kernel call (the `arenaplan` kernels).
std::string emit_model(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const Layout& l);
// <prefix>_separate.c: <prefix>_separate_run(inputs, outputs), every tensor in its own array;
// with `constants` non-null, constant tensors point into the bytes it receives (above).
std::string emit_separate_model(const Graph& graph, const LoweredModel& lowered, const std::string& prefix,
                                std::vector<std::uint8_t>* constants = nullptr);

}  // namespace arenaplan::c_out
