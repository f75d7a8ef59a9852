// Which model format a file holds, from its first bytes (and its name), so that a file arenaplan
// cannot read gets a message naming the formats it does read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace arenaplan {

enum class ModelFormat { tflite, onnx, unknown };

ModelFormat sniff_model_format(std::span<const std::uint8_t> bytes, std::string_view path);

// "PATH: <what it is>; arenaplan reads <the formats>": for a file no importer takes.
std::string unreadable_model_message(std::span<const std::uint8_t> bytes, std::string_view path);

}  // namespace arenaplan
