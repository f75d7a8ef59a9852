// Planning a model into the memories of a chip: now part of model_planning.h (plan_models).
#pragma once

#include "arenaplan/model_planning.h"
