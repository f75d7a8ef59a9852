#include "execution/io_dump.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "emit/c_variables.h"
#include "io/files.h"

namespace arenaplan::execution {
namespace {

namespace fs = std::filesystem;

// TFLite Micro's type names ("INT8", "FLOAT32", "BOOL"), as in its golden index.json.
std::string type_name(DataType type) {
  std::string name(to_string(type));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

fs::path set_dir(const std::string& dir, int set) { return fs::path(dir) / fmt::format("set{}", set); }

}  // namespace

std::vector<std::uint8_t> read_input_files(const Graph& graph, const std::vector<std::string>& files) {
  if (files.size() != graph.inputs.size())
    throw InputError(fmt::format("{} input files given, but {} has {} graph input{}", files.size(), graph.source,
                                 graph.inputs.size(), graph.inputs.size() == 1 ? "" : "s"));
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const Tensor& t = graph.tensors[static_cast<std::size_t>(graph.inputs[i])];
    // The size first, so that a wrong file is named with both counts before anything is read.
    std::error_code ec;
    const auto size = fs::file_size(files[i], ec);
    if (!ec && static_cast<Bytes>(size) != t.bytes)
      throw InputError(
          fmt::format("{}: {} bytes, but graph input {} '{}' has {} bytes", files[i], size, i, t.name, t.bytes));
    const std::string bytes = read_file(files[i], static_cast<std::size_t>(t.bytes));
    if (static_cast<Bytes>(bytes.size()) != t.bytes)  // not a regular file
      throw InputError(fmt::format("{}: {} bytes, but graph input {} '{}' has {} bytes", files[i], bytes.size(), i,
                                   t.name, t.bytes));
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

std::vector<std::int32_t> saved_tensors(const Graph& graph, bool traced) {
  std::vector<std::int32_t> out(graph.inputs.begin(), graph.inputs.end());
  out.insert(out.end(), graph.outputs.begin(), graph.outputs.end());
  if (traced) {
    for (const Operator& op : graph.operators) out.insert(out.end(), op.outputs.begin(), op.outputs.end());
    for (std::size_t op = 0; op < graph.operators.size(); ++op) {
      const std::vector<std::int32_t> state = c_out::variable_inputs(graph, op);  // as the last step left it
      out.insert(out.end(), state.begin(), state.end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::erase_if(out, [&](std::int32_t t) { return t < 0 || graph.tensors[static_cast<std::size_t>(t)].bytes == 0; });
  return out;
}

void write_tensor_index(const std::string& dir, const Graph& graph, const LoweredModel& lowered, bool traced,
                        const std::vector<std::vector<std::string>>& input_files, int sets) {
  const std::vector<std::int32_t> producers = graph.producers();
  nlohmann::json tensors = nlohmann::json::array();
  for (std::int32_t index : saved_tensors(graph, traced)) {
    const auto i = static_cast<std::size_t>(index);
    const Tensor& t = graph.tensors[i];
    nlohmann::json j = {{"index", index},          {"name", t.name},           {"type", type_name(t.type)},
                        {"shape", t.shape},        {"bytes", t.bytes},         {"file", fmt::format("t{}.bin", index)},
                        {"is_input", t.is_input},  {"is_output", t.is_output}, {"is_variable", t.is_variable},
                        {"producer", producers[i]}};
    if (!t.quantization.empty()) {
      j["scale"] = t.quantization.scale;
      j["zero_point"] = t.quantization.zero_point;
    }
    // A tensor planned on another's bytes (RESHAPE and the like): its file holds those bytes.
    if (i < lowered.aliased_to.size() && lowered.aliased_to[i] >= 0) j["alias_of"] = lowered.aliased_to[i];
    tensors.push_back(std::move(j));
  }
  nlohmann::json set_list = nlohmann::json::array();
  for (int k = 0; k < sets; ++k) {
    nlohmann::json s = {{"set", k}, {"dir", fmt::format("set{}", k)}};
    if (static_cast<std::size_t>(k) < input_files.size()) s["input_files"] = input_files[static_cast<std::size_t>(k)];
    set_list.push_back(std::move(s));
  }
  const nlohmann::json index = {{"model", graph.source},
                                {"runtime", "arenaplan generated C, planned pools (poison 0xa5)"},
                                {"traced", traced},
                                {"graph_inputs", graph.inputs},
                                {"graph_outputs", graph.outputs},
                                {"sets", std::move(set_list)},
                                {"tensors", std::move(tensors)}};
  fs::create_directories(dir);
  write_file_atomically((fs::path(dir) / "index.json").string(), index.dump(1) + "\n");
}

void write_tensor_set(const std::string& dir, int set, const Graph& graph, bool traced, const TensorData& data) {
  const fs::path where = set_dir(dir, set);
  fs::create_directories(where);
  for (std::int32_t index : saved_tensors(graph, traced)) {
    const auto found = data.find(index);
    if (found == data.end()) continue;
    write_file_atomically((where / fmt::format("t{}.bin", index)).string(),
                          std::string(found->second.begin(), found->second.end()));
  }
}

}  // namespace arenaplan::execution
