// --dim NAME=VALUE (repeatable), parsed into OnnxOptions::dims; --dim NAME=AxBx... (a shape) into
// OnnxOptions::input_shapes (a TFLite graph input with dynamic dimensions).
#include "cli/model_options.h"

#include <charconv>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan::cli {

namespace {

// "1x64x64x3": positive sizes separated by x.
std::vector<std::int64_t> parse_shape(const std::string& spec, std::size_t from) {
  std::vector<std::int64_t> shape;
  const char* p = spec.data() + from;
  const char* last = spec.data() + spec.size();
  while (true) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(p, last, value);
    if (error != std::errc() || value < 1 || value > (std::int64_t{1} << 31))
      throw InputError(fmt::format("--dim {}: expected NAME=AxBx... with positive sizes", spec));
    shape.push_back(value);
    if (end == last) return shape;
    if (*end != 'x') throw InputError(fmt::format("--dim {}: expected NAME=AxBx... with positive sizes", spec));
    p = end + 1;
  }
}

}  // namespace

void add_model_options(CLI::App* cmd, OnnxOptions& options) {
  cmd->add_option_function<std::vector<std::string>>(
         "--dim",
         [&options](const std::vector<std::string>& specs) {
           for (const std::string& spec : specs) {
             const auto eq = spec.find('=');
             if (eq != std::string::npos && eq > 0 && spec.find('x', eq) != std::string::npos) {
               options.input_shapes[spec.substr(0, eq)] = parse_shape(spec, eq + 1);
               continue;
             }
             std::int64_t value = 0;
             const char* first = spec.data() + (eq == std::string::npos ? spec.size() : eq + 1);
             const char* last = spec.data() + spec.size();
             const auto [end, error] = std::from_chars(first, last, value);
             if (eq == std::string::npos || eq == 0 || error != std::errc() || end != last || value < 1)
               throw InputError(fmt::format("--dim {}: expected NAME=VALUE with a positive VALUE", spec));
             options.dims[spec.substr(0, eq)] = value;
           }
         },
         "ONNX: the value of a symbolic input dimension, NAME=VALUE (repeatable; others are 1); TFLite: the "
         "shape of a graph input with dynamic dimensions, NAME=AxBx... (e.g. input_1=1x64x64x3)")
      ->take_all();
}

}  // namespace arenaplan::cli
