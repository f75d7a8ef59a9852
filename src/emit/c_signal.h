// The calls of the TFLite Micro Signal library kernels (runtime/kernels_signal.c), with their
// options as static tables.
#pragma once

#include <string>

#include "emit/c_operators.h"
#include "kernels/kernel_ids.h"
#include "kernels/operator_view.h"

namespace arenaplan::c_out {

// Fills `call` for kernel `id`, one of the signal_* kernels (the profile has checked the operands).
void signal_call(const kernels::OperatorView& v, kernels::KernelId id, const OperandPointers& p,
                 const std::string& symbol, KernelCall& call);

}  // namespace arenaplan::c_out
