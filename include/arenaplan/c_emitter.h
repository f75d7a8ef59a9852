// The memory part of the generated C (DESIGN.md §5): a header with a size macro per pool, the
// struct of pointers to pools the application provides, input and output structs, the offset of
// every tensor and scratch buffer, map_inputs/map_outputs when I/O live in a pool, the entry point
// declaration; a source with the internal pools (workspace arrays in .bss, constant pools as
// static const data holding the model's weights). Output is deterministic and compiles with
// nothing but -I DIR under -std=c99 -Wall -Wextra -Werror.
#pragma once

#include <string>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/io.h"
#include "arenaplan/lowering.h"
#include "arenaplan/plan.h"

namespace arenaplan {

struct CEmitOptions {
  std::string name = "model";  // C prefix of every symbol: a C identifier
  // Also emit <name>_model.c (<name>_run calling the `arenaplan` kernels) and the kernel library
  // (runtime/): the plan must come from the `arenaplan` kernel profile.
  bool operators = false;
  // External constant pools' bytes as raw binary files, <name>_<pool>.bin, which the application
  // loads (or links with objcopy/incbin), instead of <name>_<pool>_data.h initialisers: hundreds of
  // MB of weights are then never parsed by a C compiler.
  bool constant_binaries = false;
};

using EmittedFile = OutputFile;  // written with write_directory_atomically (arenaplan/io.h)

// Throws InputError for a name that is not a C identifier, or (with operators) an operator
// without an arenaplan kernel.
std::vector<EmittedFile> emit_c(const Graph& graph, const LoweredModel& lowered, const Plan& plan,
                                const CEmitOptions& options);

}  // namespace arenaplan
