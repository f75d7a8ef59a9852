// Options of the commands that read a model (.tflite or .onnx): --dim NAME=VALUE fixes a symbolic
// dimension of an ONNX model's inputs.
#pragma once

#include <CLI/CLI.hpp>

#include "arenaplan/onnx.h"

namespace arenaplan::cli {

void add_model_options(CLI::App* cmd, OnnxOptions& options);

}  // namespace arenaplan::cli
