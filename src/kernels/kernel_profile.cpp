// The kernel profile registry: each profile is an ordered list of rule tables.
#include <array>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arenaplan/error.h"
#include "kernels/rules.h"

namespace arenaplan {

int OperatorMemory::last_stage_reading(std::size_t input) const {
  return input < input_last_stage.size() ? input_last_stage[input] : stages - 1;
}

namespace kernels {

OperatorMemory with_kernel(OperatorMemory memory, std::string_view kernel) {
  if (memory.kernel.empty()) memory.kernel = std::string(kernel);
  return memory;
}

OperatorMemory not_modelled(std::string_view why) {
  OperatorMemory m;
  m.known = false;
  m.kernel = std::string(why);
  return m;
}

namespace {

class TableProfile final : public KernelProfile {
 public:
  // `fallback_without_scratch`: operators no rule covers but known_without_scratch() lists are
  // planned with no scratch (TFLite Micro's kernels); without it they are unknown.
  // `overlaps`: the profile's overlap declarations (describe_overlapping), or none.
  using Overlaps = void (*)(const OperatorView&, OperatorMemory&, bool);
  TableProfile(std::string_view name, std::string_view summary, std::vector<std::span<const Rule>> tables,
               bool fallback_without_scratch = true, Overlaps overlaps = nullptr)
      : name_(name),
        summary_(summary),
        tables_(std::move(tables)),
        fallback_(fallback_without_scratch),
        overlaps_(overlaps) {}

  std::string_view name() const override { return name_; }
  std::string_view summary() const override { return summary_; }

  OperatorMemory describe(const Graph& graph, std::size_t index) const override {
    const OperatorView view(graph, index);
    const std::string& opcode = view.op().opcode;
    for (std::span<const Rule> table : tables_)
      for (const Rule& rule : table)
        if (rule.opcode == opcode)
          if (auto memory = rule.apply(view)) return validated(view, with_kernel(std::move(*memory), rule.kernel));
    if (fallback_ && known_without_scratch(opcode)) return no_scratch("no scratch buffers");
    return not_modelled(fallback_ ? "no rule in this profile" : "no kernel for this operator");
  }

  OperatorMemory describe_overlapping(const Graph& graph, std::size_t index, bool halo_rings) const override {
    OperatorMemory m = describe(graph, index);
    if (overlaps_ && m.known) overlaps_(OperatorView(graph, index), m, halo_rings);
    return m;
  }

 private:
  static OperatorMemory validated(const OperatorView& view, OperatorMemory m) {
    if (m.stages < 1 || m.output_first_stage < 0 || m.output_first_stage >= m.stages)
      view.fail("kernel rule has inconsistent stages");
    for (const ScratchRequest& s : m.scratch)
      if (s.first_stage < 0 || s.last_stage < s.first_stage || s.last_stage >= m.stages || s.size < 0)
        view.fail("kernel rule has an inconsistent scratch buffer");
    return m;
  }

  std::string_view name_;
  std::string_view summary_;
  std::vector<std::span<const Rule>> tables_;
  bool fallback_;
  Overlaps overlaps_;
};

const std::array<TableProfile, 3>& profiles() {
  static const std::array<TableProfile, 3> all{
      TableProfile(
          "arenaplan", "arenaplan's own C99 kernels (runtime/), the code `compile` emits",
          {arenaplan_rules(), arenaplan_generic_rules(), arenaplan_signal_rules(), arenaplan_detection_rules()}, false,
          declare_arenaplan_overlaps),
      TableProfile("cmsis-nn", "TFLite Micro CMSIS-NN kernels (Cortex-M, DSP extension, GCC)",
                   {cmsis_nn_rules(), reference_rules()}),
      TableProfile("reference", "TFLite Micro reference (portable) kernels", {reference_rules()}),
  };
  return all;
}

}  // namespace
}  // namespace kernels

const KernelProfile& kernel_profile(std::string_view name) {
  for (const auto& profile : kernels::profiles())
    if (profile.name() == name) return profile;
  throw InputError(
      fmt::format("unknown kernel profile '{}' (known: {})", name, fmt::join(kernel_profile_names(), ", ")));
}

std::vector<std::string> kernel_profile_names() {
  std::vector<std::string> names;
  for (const auto& profile : kernels::profiles()) names.emplace_back(profile.name());
  return names;
}

}  // namespace arenaplan
