#include "execution/harness_source.h"

#include <fmt/format.h>

namespace arenaplan::execution {
namespace {

// Allocation with guard bytes on both sides, poison inside, and the check afterwards.
constexpr const char* kSupport = R"(#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GUARD {guard}
#define GUARD_BYTE 0xcd

static FILE* trace_file;
void ap_trace(int32_t op, const void* data, uint32_t bytes) {{
  fwrite(&op, sizeof op, 1, trace_file);
  fwrite(&bytes, sizeof bytes, 1, trace_file);
  fwrite(data, 1, bytes, trace_file);
}}

typedef struct {{ const char* name; uint8_t* raw; uint8_t* base; size_t size; }} fenced;

static uint8_t* fence(fenced* f, const char* name, size_t size, size_t align, int poison) {{
  uintptr_t at;
  f->name = name;
  f->size = size;
  f->raw = (uint8_t*)malloc(size + 2 * GUARD + align);
  if (f->raw == NULL) {{ fprintf(stderr, "out of memory\n"); exit(2); }}
  at = (uintptr_t)(f->raw + GUARD);
  at = (at + align - 1) / align * align;
  f->base = (uint8_t*)at;
  memset(f->base - GUARD, GUARD_BYTE, GUARD);
  memset(f->base, poison, size);
  memset(f->base + size, GUARD_BYTE, GUARD);
  return f->base;
}}

static int fence_intact(const fenced* f) {{
  int before = 0, after = 0, i;
  for (i = 0; i < GUARD; ++i) {{
    before += f->base[i - GUARD] != GUARD_BYTE;
    after += f->base[f->size + (size_t)i] != GUARD_BYTE;
  }}
  if (before) fprintf(stderr, "guard: %s: %d of the %d guard bytes before it overwritten\n", f->name, before, GUARD);
  if (after) fprintf(stderr, "guard: %s: %d of the %d guard bytes after it overwritten\n", f->name, after, GUARD);
  return before == 0 && after == 0;
}}

static uint8_t* read_input(const char* path, size_t expected) {{
  FILE* f = fopen(path, "rb");
  uint8_t* data = (uint8_t*)malloc(expected + 1);
  size_t got;
  if (f == NULL || data == NULL) {{ fprintf(stderr, "cannot read %s\n", path); exit(2); }}
  got = fread(data, 1, expected + 1, f);
  fclose(f);
  if (got != expected) {{ fprintf(stderr, "%s: %lu bytes, expected %lu\n", path, (unsigned long)got, (unsigned long)expected); exit(2); }}
  return data;
}}

static void write_bytes(FILE* f, const void* data, size_t bytes) {{
  if (data != NULL && fwrite(data, 1, bytes, f) != bytes) {{ fprintf(stderr, "cannot write the outputs\n"); exit(2); }}
}}

)";

// Emitted only when used (-Werror=unused-function).
constexpr const char* kLoadConstants =
    R"(/* A binary file next to the program (argv[0]'s directory), `size` bytes, at a 64-byte aligned address. */
static const uint8_t* load_constants(const char* program, const char* name, size_t size) {
  char path[4096];
  const char* slash = strrchr(program, '/');
  int dir = slash == NULL ? 0 : (int)(slash - program) + 1;
  uint8_t* raw = (uint8_t*)malloc(size + 64);
  uint8_t* data;
  FILE* f;
  size_t got;
  if (raw == NULL) { fprintf(stderr, "out of memory\n"); exit(2); }
  data = (uint8_t*)(((uintptr_t)raw + 63) / 64 * 64);
  snprintf(path, sizeof path, "%.*s%s", dir, program, name);
  f = fopen(path, "rb");
  if (f == NULL) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
  got = fread(data, 1, size, f);
  fclose(f);
  if (got != size) { fprintf(stderr, "%s: %lu bytes, expected %lu\n", path, (unsigned long)got, (unsigned long)size); exit(2); }
  return data;
}

)";

}  // namespace

std::string harness_source(const Graph& graph, const Problem& problem, const c_out::Layout& l,
                           bool separate_constants_file) {
  std::string c = fmt::format(fmt::runtime(kSupport), fmt::arg("guard", kGuardBytes));
  c += fmt::format(
      "#include \"{}.h\"\n\nint32_t {}_separate_run(const uint8_t* const* inputs, uint8_t* const* outputs);\n\n",
      l.prefix, l.prefix);
  if (separate_constants_file || l.external_constant) c += kLoadConstants;
  if (separate_constants_file) c += fmt::format("void {}_separate_bind(const uint8_t* constants);\n\n", l.prefix);
  Bytes input_total = 0;
  for (std::int32_t t : graph.inputs) input_total += graph.tensors[static_cast<std::size_t>(t)].bytes;

  c += "int main(int argc, char** argv) {\n";
  c += "  uint8_t* in;\n  FILE* out;\n  int poison, intact = 1;\n";
  c += "  if (argc != 6) { fprintf(stderr, \"usage: harness planned|separate POISON INPUT TRACE OUTPUT\\n\"); return "
       "2; }\n";
  c += "  alarm(300);\n  poison = (int)strtol(argv[2], NULL, 0);\n";
  c += fmt::format("  in = read_input(argv[3], {}u);\n", input_total);
  c += "  trace_file = fopen(argv[4], \"wb\");\n  out = fopen(argv[5], \"wb\");\n";
  c += "  if (trace_file == NULL || out == NULL) { fprintf(stderr, \"cannot write %s or %s\\n\", argv[4], argv[5]); "
       "return 2; }\n";

  // The planned run.
  std::size_t fences = l.io_in_pool ? 0 : l.inputs.size() + l.outputs.size();
  for (const Pool& pool : problem.pools) fences += pool.read_only() ? 0 : 1;
  c += "  if (strcmp(argv[1], \"planned\") == 0) {\n";
  c += fmt::format("    fenced f[{}];\n    size_t n = 0, k;\n", std::max<std::size_t>(fences, 1));
  c += fmt::format("    {}_workspace_pools pools;\n    {}_inputs ins;\n    {}_outputs outs;\n", l.prefix, l.prefix,
                   l.prefix);
  for (const Pool& pool : problem.pools) {
    if (pool.read_only()) continue;
    c += fmt::format("    pools.{} = fence(&f[n++], \"pool '{}'\", {}, {}_{}_ALIGNMENT, poison);\n", pool.name,
                     pool.name, c_out::pool_size_macro(l, pool), l.macro, c_out::upper(pool.name));
  }
  if (l.external_constant) c += fmt::format("    {}_constant_pools constants;\n", l.prefix);
  for (const Pool& pool : problem.pools) {
    if (!pool.read_only() || !pool.external) continue;
    c += fmt::format("    constants.{} = load_constants(argv[0], \"{}_{}.bin\", {});\n", pool.name, l.prefix, pool.name,
                     c_out::pool_size_macro(l, pool));
  }
  if (l.io_in_pool) {
    c += fmt::format("    ins = {}_map_inputs(&pools);\n    outs = {}_map_outputs(&pools);\n", l.prefix, l.prefix);
  } else {
    for (const c_out::IoTensor& x : l.inputs)
      c += fmt::format("    ins.{} = fence(&f[n++], \"input '{}'\", {}_INPUT_{}_SIZE, 16, poison);\n", x.member,
                       x.member, l.macro, x.macro);
    for (const c_out::IoTensor& x : l.outputs)
      c += fmt::format("    outs.{} = fence(&f[n++], \"output '{}'\", {}_OUTPUT_{}_SIZE, 16, poison);\n", x.member,
                       x.member, l.macro, x.macro);
  }
  Bytes offset = 0;
  for (const c_out::IoTensor& x : l.inputs) {
    c += fmt::format("    if (ins.{0} != NULL) memcpy(ins.{0}, in + {1}, {2}_INPUT_{3}_SIZE);\n", x.member, offset,
                     l.macro, x.macro);
    offset += graph.tensors[static_cast<std::size_t>(x.tensor)].bytes;
  }
  if (l.reset) c += fmt::format("    {}_reset({});\n", l.prefix, l.external_workspace ? "&pools" : "");
  const std::string constants = l.external_constant ? ", &constants" : "";
  c += l.io_in_pool ? fmt::format("    {}_run(&pools{});\n", l.prefix, constants)
                    : fmt::format("    {}_run(&ins, &outs, &pools{});\n", l.prefix, constants);
  c += "    for (k = 0; k < n; ++k) intact = fence_intact(&f[k]) && intact;\n";
  for (const c_out::IoTensor& x : l.outputs)
    c += fmt::format("    write_bytes(out, outs.{}, {}_OUTPUT_{}_SIZE);\n", x.member, l.macro, x.macro);
  c += "    (void)ins;\n  } else {\n";

  // The separate-buffer run.
  c += fmt::format("    const uint8_t* ins[{}];\n    uint8_t* outs[{}];\n",
                   std::max<std::size_t>(graph.inputs.size(), 1), std::max<std::size_t>(graph.outputs.size(), 1));
  offset = 0;
  for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
    c += fmt::format("    ins[{}] = in + {};\n", i, offset);
    offset += graph.tensors[static_cast<std::size_t>(graph.inputs[i])].bytes;
  }
  for (std::size_t i = 0; i < graph.outputs.size(); ++i)
    c += fmt::format("    outs[{}] = (uint8_t*)malloc({}u + 1);\n", i,
                     graph.tensors[static_cast<std::size_t>(graph.outputs[i])].bytes);
  if (separate_constants_file) {
    // Its size: the file's, as written (the harness checks it reads all of it).
    Bytes size = 0;
    for (const Tensor& t : graph.tensors)
      if (t.is_constant && t.bytes > 0) size = (size + 15) / 16 * 16 + t.bytes;
    c += fmt::format("    {}_separate_bind(load_constants(argv[0], \"{}_separate_constants.bin\", {}u));\n", l.prefix,
                     l.prefix, size);
  }
  c += fmt::format("    {}_separate_run(ins, outs);\n", l.prefix);
  for (std::size_t i = 0; i < graph.outputs.size(); ++i)
    c += fmt::format("    write_bytes(out, outs[{}], {}u);\n", i,
                     graph.tensors[static_cast<std::size_t>(graph.outputs[i])].bytes);
  c += "  }\n";
  c += fmt::format("  if (fclose(trace_file) != 0 || fclose(out) != 0) return 2;\n  return intact ? 0 : {};\n}}\n",
                   kGuardExitCode);
  return c;
}

}  // namespace arenaplan::execution
