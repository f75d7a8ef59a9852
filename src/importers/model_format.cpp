#include "importers/model_format.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace arenaplan {
namespace {

// The formats the importers read, for messages. Extend with each new importer.
constexpr std::string_view kFormatsRead = "TensorFlow Lite flatbuffers (.tflite) and ONNX models (.onnx)";

bool has_extension(std::string_view path, std::string_view extension) {
  if (path.size() < extension.size()) return false;
  return std::equal(extension.begin(), extension.end(), path.end() - static_cast<std::ptrdiff_t>(extension.size()),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

}  // namespace

ModelFormat sniff_model_format(std::span<const std::uint8_t> bytes, std::string_view path) {
  // A flatbuffer's file identifier is at bytes 4..7.
  if (bytes.size() >= 8 && std::equal(bytes.begin() + 4, bytes.begin() + 8, std::string_view("TFL3").begin()))
    return ModelFormat::tflite;
  // An ONNX ModelProto starts with ir_version (field 1, a varint: tag 0x08).
  if (has_extension(path, ".onnx") || (!has_extension(path, ".tflite") && !bytes.empty() && bytes[0] == 0x08))
    return ModelFormat::onnx;
  return ModelFormat::unknown;
}

std::string unreadable_model_message(std::span<const std::uint8_t> bytes, std::string_view path) {
  std::string what;
  switch (sniff_model_format(bytes, path)) {
    case ModelFormat::onnx: what = "an ONNX model (or a protobuf), not a TFLite one"; break;
    case ModelFormat::tflite: what = "a TensorFlow Lite model this importer cannot take"; break;
    case ModelFormat::unknown:
      what = bytes.size() < 8 ? fmt::format("not a TFLite model (file is only {} bytes)", bytes.size())
                              : std::string("not a TFLite model (no 'TFL3' file identifier)");
      break;
  }
  return fmt::format("{}: {}; arenaplan reads {}", path, what, kFormatsRead);
}

}  // namespace arenaplan
