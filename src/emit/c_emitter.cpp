// emit_c: the header, the pools source, and for each external constant pool a data header
// (the application places `const uint8_t pool[] = <MODEL>_<POOL>_CONSTANT_POOL_DATA;`) or, with
// constant_binaries, the pool's raw bytes (<name>_<pool>.bin).
#include <fmt/format.h>

#include "emit/c_names.h"
#include "emit/c_runtime.h"

namespace arenaplan {

std::vector<EmittedFile> emit_c(const Graph& original, const LoweredModel& lowered, const Plan& plan,
                                const CEmitOptions& options) {
  const Graph& graph = lowered.graph(original);  // with folded PADs, the graph the kernels run
  const c_out::Layout l = c_out::layout(graph, lowered, plan, options);
  std::vector<EmittedFile> files;
  files.push_back({l.prefix + ".h", c_out::emit_header(graph, lowered, plan, l)});
  files.push_back({l.prefix + "_memory.c", c_out::emit_source(graph, lowered, plan, l)});
  if (options.operators) {
    files.push_back({l.prefix + "_model.c", c_out::emit_model(graph, lowered, plan, l)});
    for (const c_out::RuntimeFile& f : c_out::runtime_files())
      files.push_back({std::string(f.name), std::string(f.text)});
  }
  for (std::size_t p = 0; p < lowered.problem.pools.size(); ++p) {
    const Pool& pool = lowered.problem.pools[p];
    if (!pool.external || !pool.read_only()) continue;
    if (options.constant_binaries) {
      const auto image = c_out::constant_image(graph, lowered, plan, static_cast<std::int32_t>(p));
      files.push_back({fmt::format("{}_{}.bin", l.prefix, pool.name), std::string(image.begin(), image.end())});
      continue;
    }
    // The same image the internal pool would hold, as an initialiser macro.
    const std::string data = c_out::constant_pool_initialiser(graph, lowered, plan, static_cast<std::int32_t>(p));
    std::string macro;
    for (char c : data) macro += c == '\n' ? std::string(" \\\n") : std::string(1, c);
    const std::string guard = fmt::format("{}_{}_DATA_H_", l.macro, c_out::upper(pool.name));
    files.push_back(
        {fmt::format("{}_{}_data.h", l.prefix, pool.name),
         fmt::format("/* Data of the external constant pool '{}' of {}: define\n"
                     " * const uint8_t {}[{}] = {}_{}_CONSTANT_POOL_DATA; aligned to {}_{}_ALIGNMENT. */\n"
                     "#ifndef {}\n#define {}\n#define {}_{}_CONSTANT_POOL_DATA {}\n#endif\n",
                     pool.name, l.prefix, pool.name, c_out::pool_size_macro(l, pool), l.macro, c_out::upper(pool.name),
                     l.macro, c_out::upper(pool.name), guard, guard, l.macro, c_out::upper(pool.name), macro)});
  }
  return files;
}

std::vector<EmittedFile> emit_separate_model(const Graph& graph, const LoweredModel& lowered, const std::string& prefix,
                                             bool constants_in_file) {
  std::vector<std::uint8_t> constants;
  std::vector<EmittedFile> files{
      {prefix + "_separate.c",
       c_out::emit_separate_model(lowered.graph(graph), lowered, prefix, constants_in_file ? &constants : nullptr)}};
  if (constants_in_file)
    files.push_back({prefix + "_separate_constants.bin", std::string(constants.begin(), constants.end())});
  return files;
}

}  // namespace arenaplan
