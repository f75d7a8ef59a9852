// The kernel calls of the generic operators (TRANSPOSE, the activations, MUL, MAXIMUM, MINIMUM;
// src/kernels/arenaplan_generic_rules.cpp), with their parameters computed as TFLite 2.9 prepares
// them.
#pragma once

#include <string>

#include "emit/c_operators.h"
#include "kernels/kernel_ids.h"
#include "kernels/operator_view.h"

namespace arenaplan::c_out {

KernelCall generic_kernel_call(const kernels::OperatorView& v, const OperandPointers& pointers,
                               const std::string& symbol, kernels::KernelId id);

}  // namespace arenaplan::c_out
