// Kernel rule tables: one rule per (operator, kernel function). A profile is an ordered list of
// tables; the first rule for an operator that applies (returns a value) wins. Operators with no
// applicable rule but listed in known_without_scratch() need no scratch; any other operator is
// unknown to the profile.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "kernels/operator_view.h"

namespace arenaplan::kernels {

struct Rule {
  std::string_view opcode;
  std::string_view kernel;  // the kernel function (or Prepare) whose buffer requests the rule models
  // Nothing when the rule does not apply to this operator's types (the next table decides).
  std::optional<OperatorMemory> (*apply)(const OperatorView& op);
};

std::span<const Rule> reference_rules();
std::span<const Rule> cmsis_nn_rules();
// The project's own C kernels; operators without a rule here have no kernel (never a fallback).
std::span<const Rule> arenaplan_rules();
// Its generic operators: TRANSPOSE, activations, MUL, MAXIMUM / MINIMUM (arenaplan_generic_rules.cpp).
std::span<const Rule> arenaplan_generic_rules();
// Its TFLite Micro Signal library kernels (src/kernels/arenaplan_signal.cpp).
std::span<const Rule> arenaplan_signal_rules();
// Its TFLite_Detection_PostProcess and PosenetDecoderOp (src/kernels/arenaplan_detection.cpp).
std::span<const Rule> arenaplan_detection_rules();

// The input/output overlaps the `arenaplan` kernel `memory.kernel` honours for this operator
// (src/kernels/arenaplan_overlaps.cpp); `halo_rings`: depthwise convolutions may keep their halo in
// a ring buffer.
void declare_arenaplan_overlaps(const OperatorView& v, OperatorMemory& memory, bool halo_rings);

// The `arenaplan` rules of the recurrent operators (src/kernels/arenaplan_recurrent.cpp).
std::optional<OperatorMemory> arenaplan_svdf(const OperatorView& v);
std::optional<OperatorMemory> arenaplan_lstm(const OperatorView& v);

// Operators whose TFLite Micro reference kernels request no scratch buffer.
bool known_without_scratch(std::string_view opcode);

// `count` LSTM gate buffers of batch * state_dimension cell-state elements.
OperatorMemory lstm_gate_buffers(const OperatorView& v, int count);

// The rule's result, with the kernel name filled in.
OperatorMemory with_kernel(OperatorMemory memory, std::string_view kernel);
// An operator the profile has a kernel for but no size rule (it is planned with no scratch and
// reported as unknown).
OperatorMemory not_modelled(std::string_view why);

}  // namespace arenaplan::kernels
