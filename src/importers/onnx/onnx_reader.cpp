// The ONNX importer's entry points, and read_model: the format told apart by content.
#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/onnx.h"
#include "arenaplan/tflite.h"
#include "importers/model_format.h"
#include "importers/onnx/onnx_internal.h"
#include "importers/onnx/onnx_lowering.h"
#include "io/files.h"

namespace arenaplan {

Graph parse_onnx(std::span<const std::uint8_t> bytes, std::string_view source, const OnnxOptions& options) {
  onnx_import::Model model = onnx_import::read_proto(bytes, source, options);
  onnx_import::fold(model);
  Graph graph = onnx_import::Lowerer(model).run();
  validate_graph(graph);  // the same rules as every importer's graphs
  return graph;
}

Graph read_onnx(const std::string& path, const InputLimits& limits, const OnnxOptions& options) {
  const std::string content = read_file(path, limits);
  return parse_onnx({reinterpret_cast<const std::uint8_t*>(content.data()), content.size()}, path, options);
}

Graph read_model(const std::string& path, const InputLimits& limits, const OnnxOptions& options) {
  // A .tflite name keeps TFLite's own messages for a damaged file (and its own size ceiling).
  TfliteOptions tflite;
  tflite.input_shapes = options.input_shapes;
  if (path.size() >= 7 && path.compare(path.size() - 7, 7, ".tflite") == 0) return read_tflite(path, limits, tflite);
  const std::string content = read_file(path, limits);  // once: the path may be a pipe
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
  switch (sniff_model_format(bytes, path)) {
    case ModelFormat::tflite: return parse_tflite_content(content, path, tflite);
    case ModelFormat::onnx: return parse_onnx(bytes, path, options);
    case ModelFormat::unknown: break;
  }
  throw InputError(unreadable_model_message(bytes, path));
}

}  // namespace arenaplan
