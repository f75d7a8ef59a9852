// Element types of tensors: names and storage sizes.
#include <array>
#include <utility>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/graph.h"

namespace arenaplan {
namespace {

struct TypeInfo {
  DataType type;
  std::string_view name;
  std::int64_t bits;  // 0: no fixed size
};

constexpr std::array<TypeInfo, 23> kTypes{{
    {DataType::float32, "float32", 32},
    {DataType::float16, "float16", 16},
    {DataType::bfloat16, "bfloat16", 16},
    {DataType::float64, "float64", 64},
    {DataType::float8_e4m3fn, "float8_e4m3fn", 8},
    {DataType::float8_e5m2, "float8_e5m2", 8},
    {DataType::int2, "int2", 2},
    {DataType::int4, "int4", 4},
    {DataType::int8, "int8", 8},
    {DataType::int16, "int16", 16},
    {DataType::int32, "int32", 32},
    {DataType::int64, "int64", 64},
    {DataType::uint4, "uint4", 4},
    {DataType::uint8, "uint8", 8},
    {DataType::uint16, "uint16", 16},
    {DataType::uint32, "uint32", 32},
    {DataType::uint64, "uint64", 64},
    {DataType::boolean, "bool", 8},
    {DataType::complex64, "complex64", 64},
    {DataType::complex128, "complex128", 128},
    {DataType::string, "string", 0},
    {DataType::resource, "resource", 0},
    {DataType::variant, "variant", 0},
}};

const TypeInfo& info(DataType type) {
  for (const TypeInfo& t : kTypes)
    if (t.type == type) return t;
  return kTypes.back();
}

}  // namespace

std::string_view to_string(DataType type) { return info(type).name; }

std::optional<Bytes> data_bytes(DataType type, std::int64_t elements, std::string_view what) {
  const std::int64_t bits = info(type).bits;
  if (bits == 0) return std::nullopt;
  if (elements < 0) throw InputError(fmt::format("{}: negative element count", what));
  // Sub-byte types are packed: 8/bits values per byte, rounded up.
  if (bits < 8) {
    const std::int64_t per_byte = 8 / bits;
    return elements / per_byte + (elements % per_byte != 0 ? 1 : 0);
  }
  Bytes bytes = 0;
  if (__builtin_mul_overflow(elements, bits / 8, &bytes) || bytes > (Bytes{1} << 60))
    throw InputError(fmt::format("{}: size overflows 64 bits ({} elements of {})", what, elements, info(type).name));
  return bytes;
}

}  // namespace arenaplan
