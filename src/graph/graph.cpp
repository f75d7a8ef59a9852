// Queries on a Graph: element counts, producers and consumers, option lookup.
#include <fmt/format.h>

#include "arenaplan/graph.h"

namespace arenaplan {

std::int64_t Tensor::elements() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;  // shapes are validated (no overflow) by the importer
  return n;
}

std::optional<std::int64_t> Operator::attribute(std::string_view key) const {
  auto it = attributes.find(key);
  if (it == attributes.end()) return std::nullopt;
  return it->second;
}

std::int64_t Operator::attribute_or(std::string_view key, std::int64_t fallback) const {
  return attribute(key).value_or(fallback);
}

std::vector<std::int32_t> Graph::producers() const {
  std::vector<std::int32_t> producer(tensors.size(), -1);
  for (std::size_t i = 0; i < operators.size(); ++i)
    for (std::int32_t t : operators[i].outputs)
      if (t >= 0 && producer[t] < 0) producer[t] = static_cast<std::int32_t>(i);
  return producer;
}

std::vector<std::vector<std::int32_t>> Graph::consumers() const {
  std::vector<std::vector<std::int32_t>> readers(tensors.size());
  for (std::size_t i = 0; i < operators.size(); ++i)
    for (std::int32_t t : operators[i].inputs)
      if (t >= 0 && (readers[t].empty() || readers[t].back() != static_cast<std::int32_t>(i)))
        readers[t].push_back(static_cast<std::int32_t>(i));
  return readers;
}

std::string Graph::describe_operator(std::size_t index) const {
  if (index >= operators.size()) return fmt::format("operator {}", index);
  return fmt::format("operator {} ({})", index, operators[index].opcode);
}

}  // namespace arenaplan
