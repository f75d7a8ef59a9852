// The core C++ API: problems and plans, the algorithm registry and solve(), budgets, the checker,
// lower bounds, problem and plan files, input limits, errors. Needs C++17 and no third-party
// header; link arenaplan::core (CMake) or `pkg-config arenaplan`. The model layer: model.h.
#pragma once

#include "arenaplan/algorithm.h"
#include "arenaplan/budget.h"
#include "arenaplan/byte_size.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/limits.h"
#include "arenaplan/lower_bound.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"
#include "arenaplan/version.h"
