// Custom operator options (flexbuffer maps) as integer attributes, e.g. SignalRfft's fft_length,
// and real ones (TFLite_Detection_PostProcess's thresholds and scales).
#include <flatbuffers/flexbuffers.h>

#include "importers/tflite/tflite_internal.h"

namespace arenaplan::tflite_import {

void read_custom_options(std::span<const std::uint8_t> bytes, Operator& out) {
  if (bytes.empty()) return;
  // The flexbuffer verifier runs before any access: custom options are untrusted bytes.
  if (!flexbuffers::VerifyBuffer(bytes.data(), bytes.size())) return;
  const flexbuffers::Reference root = flexbuffers::GetRoot(bytes.data(), bytes.size());
  if (!root.IsMap()) return;
  const flexbuffers::Map map = root.AsMap();
  const flexbuffers::TypedVector keys = map.Keys();
  const flexbuffers::Vector values = map.Values();
  for (std::size_t i = 0; i < keys.size() && i < values.size(); ++i) {
    const flexbuffers::Reference value = values[i];
    const std::string key = keys[i].AsKey();
    if (value.IsBool())
      out.attributes[key] = value.AsBool() ? 1 : 0;
    else if (value.IsInt())
      out.attributes[key] = value.AsInt64();
    else if (value.IsUInt())
      out.attributes[key] = static_cast<std::int64_t>(value.AsUInt64());
    else if (value.IsFloat())
      out.real_attributes[key] = value.AsDouble();
  }
}

}  // namespace arenaplan::tflite_import
