// The model layer, on top of the core (core.h): graphs and their import (TFLite, ONNX), kernel
// profiles and lowering, operator schedules, pools for real chips, planning models in one call,
// the generated C, memory maps, plan diffs, the execution check and TFLite Micro's offline plans.
// Needs C++20 (std::span; the headers without it compile as C++17) and no third-party header;
// link arenaplan::model (CMake) or `pkg-config arenaplan-model`.
#pragma once

#include "arenaplan/c_emitter.h"
#include "arenaplan/core.h"
#include "arenaplan/execution_check.h"
#include "arenaplan/graph.h"
#include "arenaplan/kernels.h"
#include "arenaplan/lowering.h"
#include "arenaplan/memory_map.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"
#include "arenaplan/plan_diff.h"
#include "arenaplan/pools.h"
#include "arenaplan/schedule.h"
#include "arenaplan/tflite.h"
#include "arenaplan/tflm_offline_plan.h"
