// The argument checks at the top of <name>_run: a NULL input, output or pool pointer, or a pool
// not aligned as the header says, is returned as an error code instead of faulting later.
#include <fmt/format.h>

#include "emit/c_names.h"

namespace arenaplan::c_out {

std::string run_argument_checks(const Problem& problem, const Layout& l) {
  std::string c;
  const std::string null = fmt::format(" return {}_ERROR_NULL_POINTER;\n", l.macro);
  if (!l.io_in_pool) {
    c += "  if (inputs == 0 || outputs == 0)" + null;
    for (const IoTensor& x : l.inputs) c += fmt::format("  if (inputs->{} == 0){}", x.member, null);
    for (const IoTensor& x : l.outputs) c += fmt::format("  if (outputs->{} == 0){}", x.member, null);
  }
  if (l.external_workspace) c += "  if (workspace_pools == 0)" + null;
  if (l.external_constant) c += "  if (constant_pools == 0)" + null;
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    if (!pool.external) continue;
    const std::string at = fmt::format("{}->{}", pool.read_only() ? "constant_pools" : "workspace_pools", pool.name);
    c += fmt::format("  if ({} == 0){}", at, null);
    c += fmt::format("  if ((uintptr_t){} % {}_{}_ALIGNMENT != 0) return {}_ERROR_MISALIGNED_POOL;\n", at, l.macro,
                     upper(pool.name), l.macro);
  }
  return c;
}

}  // namespace arenaplan::c_out
