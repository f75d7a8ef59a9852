// The calls of TFLite_Detection_PostProcess (runtime/kernels_detection.c) and PosenetDecoderOp
// (runtime/kernels_posenet.c): options and quantization as a static parameter table, work buffers
// from the plan's scratch.
#pragma once

#include <string>

#include "emit/c_operators.h"
#include "kernels/operator_view.h"

namespace arenaplan::c_out {

// Fills `call` (the `arenaplan` profile has checked the operands and options).
void detection_call(const kernels::OperatorView& v, const OperandPointers& p, const std::string& symbol,
                    KernelCall& call);
void posenet_call(const kernels::OperatorView& v, const OperandPointers& p, const std::string& symbol,
                  KernelCall& call);

}  // namespace arenaplan::c_out
