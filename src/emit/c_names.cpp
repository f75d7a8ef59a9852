#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "emit/c_names.h"
#include "emit/c_variables.h"

namespace arenaplan {

std::string c_identifier(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 && static_cast<unsigned char>(c) < 128;
    const char d = ok ? c : '_';
    if (d == '_' && !out.empty() && out.back() == '_') continue;
    out += d;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "t_" + out;
  return out;
}

namespace c_out {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string unique_fragment(std::string_view name, std::set<std::string>& taken) {
  constexpr std::size_t kWidth = 48;
  std::string base = upper(c_identifier(name.substr(0, name.find(';'))));
  if (base.size() > kWidth) {  // keep the tail, from a word boundary
    const auto cut = base.find('_', base.size() - kWidth);
    base = upper(c_identifier(base.substr(cut == std::string::npos ? base.size() - kWidth : cut + 1)));
  }
  std::string out = base;
  for (int k = 2; !taken.insert(out).second; ++k) out = fmt::format("{}_{}", base, k);
  return out;
}

std::string byte_values(std::span<const std::uint8_t> data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 6 + size / 16 * 3);
  for (std::size_t i = 0; i < size; ++i) {
    out += i % 16 == 0 ? "\n  0x" : " 0x";
    const std::uint8_t b = i < data.size() ? data[i] : 0;
    out += kHex[b >> 4];
    out += kHex[b & 15];
    out += ',';
  }
  return out;
}

std::string comment_text(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 100)) {
    const bool printable = static_cast<unsigned char>(c) >= 32 && static_cast<unsigned char>(c) < 127;
    out += printable ? c : '?';
    if (out.size() >= 2 && out.compare(out.size() - 2, 2, "*/") == 0) out.back() = '?';
    if (out.size() >= 2 && out.compare(out.size() - 2, 2, "/*") == 0) out.back() = '?';
  }
  return text.size() > 100 ? out + "..." : out;
}

namespace {

std::string offset_macro(const Layout& l, const Problem& problem, const Plan& plan, std::size_t buffer,
                         const std::string& fragment) {
  const Pool& pool = problem.pools[static_cast<std::size_t>(plan.placements[buffer].pool)];
  return fmt::format("{}_{}_OFFSET_{}", l.macro, upper(pool.name), fragment);
}

// The header's offset macro names, unique among each other: buffers first, in problem order, then
// the tensors that reuse another tensor's buffer.
void offset_macros(const Graph& graph, const LoweredModel& lowered, const Plan& plan, Layout& l) {
  const Problem& problem = lowered.problem;
  std::set<std::string> taken;
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    l.buffer_offset_macro.push_back(offset_macro(l, problem, plan, i, unique_fragment(problem.buffers[i].name, taken)));
  l.tensor_offset_macro.assign(graph.tensors.size(), "");
  for (std::size_t t = 0; t < lowered.tensor_buffer.size() && t < graph.tensors.size(); ++t) {
    const std::int32_t b = lowered.tensor_buffer[t];
    if (b < 0) continue;
    const auto buffer = static_cast<std::size_t>(b);
    l.tensor_offset_macro[t] =
        problem.buffers[buffer].tensor == static_cast<std::int64_t>(t)
            ? l.buffer_offset_macro[buffer]
            : offset_macro(l, problem, plan, buffer, unique_fragment(graph.tensors[t].name, taken));
  }
}

}  // namespace

Layout layout(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const CEmitOptions& options) {
  if (c_identifier(options.name) != options.name || options.name.size() > 64)
    throw InputError(
        fmt::format("C prefix '{}': must be a C identifier of at most 64 characters (letters, digits, '_')",
                    comment_text(options.name)));
  Layout l;
  l.prefix = options.name;
  l.macro = upper(options.name);
  const Problem& problem = lowered.problem;
  auto io = [&](const std::vector<std::int32_t>& tensors, std::vector<IoTensor>& out) {
    std::set<std::string> taken;
    for (std::int32_t t : tensors) {
      IoTensor x;
      x.tensor = t;
      x.read_only = graph.tensors[static_cast<std::size_t>(t)].is_constant;
      x.macro = unique_fragment(graph.tensors[static_cast<std::size_t>(t)].name, taken);
      std::string member = x.macro;
      for (char& c : member) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      x.member = member;
      x.buffer = static_cast<std::size_t>(t) < lowered.tensor_buffer.size()
                     ? lowered.tensor_buffer[static_cast<std::size_t>(t)]
                     : -1;
      if (x.buffer >= 0) l.io_in_pool = true;
      out.push_back(x);
    }
  };
  l.reset = options.operators && has_variables(graph);
  io(graph.inputs, l.inputs);
  io(graph.outputs, l.outputs);
  l.array_alignment.assign(problem.pools.size(), 1);
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    l.array_alignment[p] = problem.pools[p].alignment;
    if (problem.pools[p].external) (problem.pools[p].read_only() ? l.external_constant : l.external_workspace) = true;
  }
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    Bytes& a = l.array_alignment[static_cast<std::size_t>(plan.placements[i].pool)];
    a = std::max(a, problem.buffers[i].alignment);
  }
  offset_macros(graph, lowered, plan, l);
  return l;
}

std::string pool_size_macro(const Layout& l, const Pool& pool) {
  return fmt::format("{}_{}_{}_POOL_SIZE", l.macro, upper(pool.name), pool.read_only() ? "CONSTANT" : "WORKSPACE");
}

std::string pool_symbol(const Layout& l, const Pool& pool) { return fmt::format("{}_{}", l.prefix, pool.name); }

std::string run_parameters(const Layout& l) {
  std::vector<std::string> args;
  if (!l.io_in_pool) {
    args.push_back(fmt::format("{}_inputs* inputs", l.prefix));
    args.push_back(fmt::format("{}_outputs* outputs", l.prefix));
  }
  if (l.external_workspace) args.push_back(fmt::format("{}_workspace_pools* workspace_pools", l.prefix));
  if (l.external_constant) args.push_back(fmt::format("const {}_constant_pools* constant_pools", l.prefix));
  std::string out;
  for (const auto& a : args) out += (out.empty() ? "" : ", ") + a;
  return "(" + (out.empty() ? std::string("void") : out) + ")";
}

std::string map_parameters(const Layout& l) {
  return l.external_workspace ? fmt::format("({}_workspace_pools* workspace_pools)", l.prefix) : "(void)";
}

}  // namespace c_out
}  // namespace arenaplan
