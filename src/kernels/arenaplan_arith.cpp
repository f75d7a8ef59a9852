// The `arenaplan` profile's unquantized int32 / float32 arithmetic (ADD, SUB, MUL, DIV, MINIMUM,
// MAXIMUM, with broadcasting) and CAST (runtime/kernels_elementwise.c), as the audio front ends
// use them between their Signal library operators. A table consulted before the main one: its
// rules apply only to the types they run and leave every other case to the main table.
#include <array>

#include "kernels/kernel_ids.h"
#include "kernels/rules.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::kernels {
namespace {

bool plain(const Tensor& t, DataType type) { return t.type == type && t.quantization.empty(); }

std::optional<OperatorMemory> arith(const OperatorView& v) {
  if (v.input_count() != 2 || v.output_count() != 1) return std::nullopt;
  const std::string& opcode = v.op().opcode;
  for (DataType type : {DataType::int32, DataType::float32}) {
    if (!plain(v.input(0), type) || !plain(v.input(1), type) || !plain(v.output(0), type)) continue;
    if (type == DataType::float32 && opcode == "ADD") return std::nullopt;  // the main table's ap_add_f32
    if (!broadcast_geometry(v)) return not_modelled("broadcasting over more than 5 dimensions");
    if (type == DataType::int32 && v.attribute("fused_activation", 0) != 0)
      return not_modelled("int32 arithmetic with a fused activation");
    return no_scratch(kernel_function(type == DataType::int32 ? KernelId::arith_s32 : KernelId::arith_f32));
  }
  return std::nullopt;
}

bool castable(DataType t) {
  using enum DataType;
  return t == int8 || t == uint8 || t == int16 || t == uint16 || t == int32 || t == uint32 || t == float32;
}

std::optional<OperatorMemory> cast(const OperatorView& v) {
  const DataType from = v.input(0).type, to = v.output(0).type;
  if (!castable(from) || !castable(to) || (from == DataType::float32 && to != DataType::float32))
    return not_modelled("CAST between integer types of up to 32 bits, or to float32");
  if (v.input(0).elements() != v.output(0).elements()) v.fail("CAST changes the element count");
  return no_scratch(kernel_function(KernelId::cast));
}

constexpr std::array<Rule, 7> kArithRules{{
    {"ADD", "ap_arith", arith},
    {"SUB", "ap_arith", arith},
    {"MUL", "ap_arith", arith},
    {"DIV", "ap_arith", arith},
    {"MINIMUM", "ap_arith", arith},
    {"MAXIMUM", "ap_arith", arith},
    {"CAST", "ap_cast", cast},
}};

}  // namespace

std::span<const Rule> arenaplan_arith_rules() { return kArithRules; }

}  // namespace arenaplan::kernels
