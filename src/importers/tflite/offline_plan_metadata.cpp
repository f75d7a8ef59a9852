// TFLite Micro's `OfflineMemoryAllocation` metadata (micro_allocation_info.cc): a model buffer of
// little-endian int32 [version, subgraph, number of tensors, offset or -1 per tensor].
#include <cstring>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/tflite.h"
#include "importers/tflite/tflite_internal.h"

namespace arenaplan {
namespace {

constexpr const char* kMetadataName = "OfflineMemoryAllocation";
constexpr std::int32_t kVersion = 0;  // the version TFLite Micro's reader expects

std::vector<std::uint8_t> encode(const std::vector<std::int32_t>& words) {
  std::vector<std::uint8_t> bytes(words.size() * 4);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto w = static_cast<std::uint32_t>(words[i]);
    for (int k = 0; k < 4; ++k) bytes[i * 4 + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(w >> (8 * k));
  }
  return bytes;
}

}  // namespace

std::string add_tflm_offline_plan(std::span<const std::uint8_t> model, std::string_view source,
                                  const std::vector<std::int32_t>& offsets) {
  std::unique_ptr<tflite::ModelT> m(tflite_import::verified_model(model, source).UnPack());
  if (m->subgraphs.empty()) throw InputError(fmt::format("{}: the model has no subgraph", source));
  if (offsets.size() != m->subgraphs[0]->tensors.size())
    throw InputError(
        fmt::format("{}: {} offsets for {} tensors", source, offsets.size(), m->subgraphs[0]->tensors.size()));
  std::vector<std::int32_t> words = {kVersion, 0, static_cast<std::int32_t>(offsets.size())};
  words.insert(words.end(), offsets.begin(), offsets.end());
  auto buffer = std::make_unique<tflite::BufferT>();
  buffer->data = encode(words);

  // Replace an existing entry's buffer in place (its index stays valid), else append one.
  tflite::MetadataT* entry = nullptr;
  for (auto& md : m->metadata)
    if (md->name == kMetadataName) entry = md.get();
  if (entry && entry->buffer < m->buffers.size() && entry->buffer != 0) {
    m->buffers[entry->buffer] = std::move(buffer);
  } else {
    if (!entry) {
      m->metadata.push_back(std::make_unique<tflite::MetadataT>());
      entry = m->metadata.back().get();
      entry->name = kMetadataName;
    }
    if (m->buffers.empty()) m->buffers.push_back(std::make_unique<tflite::BufferT>());  // the sentinel
    entry->buffer = static_cast<std::uint32_t>(m->buffers.size());
    m->buffers.push_back(std::move(buffer));
  }
  flatbuffers::FlatBufferBuilder builder(model.size() + words.size() * 4 + 4096);
  tflite::FinishModelBuffer(builder, tflite::Model::Pack(builder, m.get()));
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

std::optional<std::vector<std::int32_t>> read_tflm_offline_plan(std::span<const std::uint8_t> bytes,
                                                                std::string_view source) {
  const tflite::Model& m = tflite_import::verified_model(bytes, source);
  if (!m.metadata()) return std::nullopt;
  for (const tflite::Metadata* md : *m.metadata()) {
    if (!md->name() || md->name()->str() != kMetadataName) continue;
    if (!m.buffers() || md->buffer() >= m.buffers()->size() || !m.buffers()->Get(md->buffer())->data())
      throw InputError(
          fmt::format("{}: metadata {} names buffer {}, which holds no data", source, kMetadataName, md->buffer()));
    const auto* data = m.buffers()->Get(md->buffer())->data();
    if (data->size() % 4 != 0 || data->size() < 12)
      throw InputError(fmt::format("{}: metadata {} has {} bytes, not [version, subgraph, count, offsets...]", source,
                                   kMetadataName, data->size()));
    std::vector<std::int32_t> words(data->size() / 4);
    for (std::size_t i = 0; i < words.size(); ++i) {
      std::uint32_t w = 0;
      for (int k = 0; k < 4; ++k)
        w |= std::uint32_t{data->Get(static_cast<flatbuffers::uoffset_t>(i * 4 + k))} << (8 * k);
      words[i] = static_cast<std::int32_t>(w);
    }
    if (words[2] < 0 || static_cast<std::size_t>(words[2]) != words.size() - 3)
      throw InputError(fmt::format("{}: metadata {} says {} tensors but holds {} offsets", source, kMetadataName,
                                   words[2], words.size() - 3));
    return std::vector<std::int32_t>(words.begin() + 3, words.end());
  }
  return std::nullopt;
}

}  // namespace arenaplan
