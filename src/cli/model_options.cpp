// --dim NAME=VALUE (repeatable), parsed into OnnxOptions::dims.
#include "cli/model_options.h"

#include <charconv>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan::cli {

void add_model_options(CLI::App* cmd, OnnxOptions& options) {
  cmd->add_option_function<std::vector<std::string>>(
         "--dim",
         [&options](const std::vector<std::string>& specs) {
           for (const std::string& spec : specs) {
             const auto eq = spec.find('=');
             std::int64_t value = 0;
             const char* first = spec.data() + (eq == std::string::npos ? spec.size() : eq + 1);
             const char* last = spec.data() + spec.size();
             const auto [end, error] = std::from_chars(first, last, value);
             if (eq == std::string::npos || eq == 0 || error != std::errc() || end != last || value < 1)
               throw InputError(fmt::format("--dim {}: expected NAME=VALUE with a positive VALUE", spec));
             options.dims[spec.substr(0, eq)] = value;
           }
         },
         "ONNX: the value of a symbolic input dimension, NAME=VALUE (repeatable; others are 1)")
      ->take_all();
}

}  // namespace arenaplan::cli
