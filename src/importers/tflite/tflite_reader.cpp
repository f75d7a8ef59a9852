// Reads a .tflite flatbuffer into a Graph. The flatbuffer verifier runs on every file before any
// field is read; everything after that is range-checked, so a bad file is an InputError, never
// a crash.
#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/tflite.h"
#include "importers/model_format.h"
#include "importers/tflite/tflite_internal.h"
#include "io/files.h"

namespace arenaplan {
namespace {

using tflite_import::read_builtin_options;
using tflite_import::read_custom_options;

constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;   // 1 GiB, below flatbuffers' 2 GiB limit
constexpr std::int64_t kMaxElements = std::int64_t{1} << 56;  // "absurd" beyond this

std::optional<DataType> data_type(tflite::TensorType t) {
  using T = tflite::TensorType;
  switch (t) {
    case T::FLOAT32: return DataType::float32;
    case T::FLOAT16: return DataType::float16;
    case T::BFLOAT16: return DataType::bfloat16;
    case T::FLOAT64: return DataType::float64;
    case T::FLOAT8_E4M3FN: return DataType::float8_e4m3fn;
    case T::FLOAT8_E5M2: return DataType::float8_e5m2;
    case T::INT2: return DataType::int2;
    case T::INT4: return DataType::int4;
    case T::INT8: return DataType::int8;
    case T::INT16: return DataType::int16;
    case T::INT32: return DataType::int32;
    case T::INT64: return DataType::int64;
    case T::UINT4: return DataType::uint4;
    case T::UINT8: return DataType::uint8;
    case T::UINT16: return DataType::uint16;
    case T::UINT32: return DataType::uint32;
    case T::UINT64: return DataType::uint64;
    case T::BOOL: return DataType::boolean;
    case T::COMPLEX64: return DataType::complex64;
    case T::COMPLEX128: return DataType::complex128;
    case T::STRING: return DataType::string;
    case T::RESOURCE: return DataType::resource;
    case T::VARIANT: return DataType::variant;
  }
  return std::nullopt;
}

bool is_control_flow(tflite::BuiltinOperator op) {
  using B = tflite::BuiltinOperator;
  return op == B::IF || op == B::WHILE || op == B::CALL_ONCE || op == B::STABLEHLO_WHILE || op == B::STABLEHLO_CASE ||
         op == B::STABLEHLO_COMPOSITE;
}

// TFLite's GetBuiltinCode(): old files set only deprecated_builtin_code (capped at 127).
tflite::BuiltinOperator builtin_code(const tflite::OperatorCode& code) {
  const auto deprecated = static_cast<std::int32_t>(code.deprecated_builtin_code());
  const auto extended = static_cast<std::int32_t>(code.builtin_code());
  return static_cast<tflite::BuiltinOperator>(std::max(deprecated, extended));
}

class Reader {
 public:
  Reader(const tflite::Model& model, std::string_view source, std::span<const std::uint8_t> file,
         const TfliteOptions& options)
      : model_(model), source_(source), file_(file), options_(options) {}

  Graph read() {
    graph_.source = std::string(source_);
    const auto* subgraphs = model_.subgraphs();
    if (subgraphs == nullptr || subgraphs->size() == 0) fail("the model has no subgraph");
    const tflite::SubGraph& main = *subgraphs->Get(0);
    read_operators(main);
    if (subgraphs->size() > 1) reject_control_flow(subgraphs->size());
    read_tensors(main);
    tflite_import::complete_detection_outputs(graph_);
    graph_.inputs = indices(main.inputs(), "subgraph inputs");
    graph_.outputs = indices(main.outputs(), "subgraph outputs");
    for (std::int32_t t : graph_.inputs) graph_.tensors[t].is_input = true;
    for (std::int32_t t : graph_.outputs) graph_.tensors[t].is_output = true;
    reject_dynamic_shapes(main, resolve_dynamic_shapes(main));
    check_sizes();
    return std::move(graph_);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(fmt::format("{}: {}", source_, problem));
  }

  std::size_t tensor_count(const tflite::SubGraph& sg) const { return sg.tensors() ? sg.tensors()->size() : 0; }

  std::vector<std::int32_t> indices(const flatbuffers::Vector<std::int32_t>* list, std::string_view what,
                                    bool allow_omitted = false) const {
    std::vector<std::int32_t> out;
    if (list == nullptr) return out;
    for (std::int32_t t : *list) {
      if (t == -1 && allow_omitted) {
        out.push_back(t);
        continue;
      }
      if (t < 0 || static_cast<std::size_t>(t) >= tensor_count_)
        fail(fmt::format("{} refer to tensor {}, but the subgraph has {} tensors", what, t, tensor_count_));
      out.push_back(t);
    }
    return out;
  }

  void read_operators(const tflite::SubGraph& sg) {
    tensor_count_ = tensor_count(sg);
    const auto* codes = model_.operator_codes();
    const std::size_t code_count = codes ? codes->size() : 0;
    if (sg.operators() == nullptr) return;
    for (const tflite::Operator* op : *sg.operators()) {
      const std::size_t index = graph_.operators.size();
      Operator out;
      if (op->opcode_index() >= code_count)
        fail(fmt::format("operator {} uses opcode {}, but the model has {} operator codes", index, op->opcode_index(),
                         code_count));
      const tflite::OperatorCode& code = *codes->Get(op->opcode_index());
      const tflite::BuiltinOperator builtin = builtin_code(code);
      out.version = code.version();
      if (builtin == tflite::BuiltinOperator::CUSTOM) {
        out.custom = true;
        out.opcode = code.custom_code() ? code.custom_code()->str() : std::string("CUSTOM");
      } else {
        const char* name = tflite::EnumNameBuiltinOperator(builtin);
        out.opcode = (name != nullptr && *name != '\0') ? name : fmt::format("BUILTIN_{}", static_cast<int>(builtin));
      }
      if (is_control_flow(builtin)) control_flow_op_ = static_cast<std::int64_t>(index);
      const std::string what = fmt::format("operator {} ({})", index, out.opcode);
      out.inputs = indices(op->inputs(), what + " inputs", true);
      out.outputs = indices(op->outputs(), what + " outputs");
      out.intermediates = indices(op->intermediates(), what + " intermediates");
      read_builtin_options(*op, out);
      if (const auto* custom = op->custom_options())
        read_custom_options(std::span<const std::uint8_t>(custom->data(), custom->size()), out);
      graph_.operators.push_back(std::move(out));
    }
  }

  void reject_control_flow(std::size_t subgraphs) const {
    if (control_flow_op_ >= 0)
      fail(fmt::format("{} calls another subgraph; models with control flow ({} subgraphs) are not supported",
                       graph_.describe_operator(static_cast<std::size_t>(control_flow_op_)), subgraphs));
    fail(fmt::format("the model has {} subgraphs; only single-subgraph models are supported", subgraphs));
  }

  void read_tensors(const tflite::SubGraph& sg) {
    const auto* buffers = model_.buffers();
    const std::size_t buffer_count = buffers ? buffers->size() : 0;
    if (sg.tensors() == nullptr) return;
    for (const tflite::Tensor* t : *sg.tensors()) {
      const std::size_t index = graph_.tensors.size();
      Tensor out;
      out.name = t->name() ? t->name()->str() : std::string();
      if (out.name.empty()) out.name = fmt::format("tensor_{}", index);
      const auto type = data_type(t->type());
      if (!type)
        fail(fmt::format("tensor {} ('{}') has unknown type {}", index, out.name, static_cast<int>(t->type())));
      out.type = *type;
      out.is_variable = t->is_variable();
      if (const auto* shape = t->shape()) {
        for (std::int32_t d : *shape) {
          if (d < 0)
            fail(fmt::format("{} has a dynamic shape (dimension {}); convert the model with fixed input shapes",
                             who_uses(index, out.name), d));
          out.shape.push_back(d);
        }
      }
      std::int64_t elements = 1;
      for (std::int64_t d : out.shape)
        if (__builtin_mul_overflow(elements, d, &elements) || elements > kMaxElements)
          fail(fmt::format("tensor {} ('{}') has an absurd shape (more than 2^56 elements)", index, out.name));
      read_quantization(*t, index, out);
      const std::uint32_t buffer = t->buffer();
      if (buffer >= buffer_count && buffer != 0)
        fail(fmt::format("tensor {} ('{}') refers to buffer {}, but the model has {} buffers", index, out.name, buffer,
                         buffer_count));
      if (buffer != 0 && buffer < buffer_count) {
        const tflite::Buffer& b = *buffers->Get(buffer);
        const bool has_data = (b.data() != nullptr && b.data()->size() > 0) || b.offset() > 1;
        if (has_data) {
          out.is_constant = true;
          out.constant_buffer = buffer;
          keep_constant_data(b, buffer);
        }
      }
      const auto bytes = data_bytes(out.type, elements, fmt::format("{}: tensor {} ('{}')", source_, index, out.name));
      out.bytes = bytes.value_or(0);
      if (!bytes) unsized_.push_back(index);
      if (out.is_constant && bytes) {
        const std::size_t stored = graph_.constant_data[static_cast<std::size_t>(out.constant_buffer)].size();
        if (stored < static_cast<std::size_t>(*bytes))
          fail(fmt::format("{}: its stored data has {} bytes but its shape needs {}; the model file is corrupt",
                           who_uses(index, out.name), stored, *bytes));
      }
      graph_.tensors.push_back(std::move(out));
    }
  }

  // Affine quantization parameters (scale, zero point, axis); other schemes are ignored. Planning
  // does not need them, so only a scale/zero-point count mismatch is an error here; the code
  // generator checks that per-channel scales match the dimension they claim. Old converters write
  // a stale quantized_dimension on 1-D bias tensors: one scale per element means axis 0.
  void read_quantization(const tflite::Tensor& t, std::size_t index, Tensor& out) const {
    const tflite::QuantizationParameters* q = t.quantization();
    if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) return;
    const auto* zero_point = q->zero_point();
    if (zero_point == nullptr || zero_point->size() != q->scale()->size())
      fail(fmt::format("tensor {} ('{}') has {} quantization scales but {} zero points", index, out.name,
                       q->scale()->size(), zero_point ? zero_point->size() : 0));
    for (float s : *q->scale()) out.quantization.scale.push_back(s);
    // The verifier checks a vector's length prefix (4-byte aligned), not its 8-byte elements: a
    // valid file may hold them misaligned (found by fuzz_tflite, UBSan), so each is copied out.
    for (std::size_t i = 0; i < zero_point->size(); ++i) {
      std::int64_t z = 0;
      std::memcpy(&z, zero_point->Data() + i * sizeof z, sizeof z);
      out.quantization.zero_point.push_back(flatbuffers::EndianScalar(z));
    }
    out.quantization.axis = q->quantized_dimension();
    if (out.shape.size() == 1 && out.shape[0] == static_cast<std::int64_t>(q->scale()->size()))
      out.quantization.axis = 0;
  }

  // "tensor 4 ('x') of operator 2 (CONV_2D)": names the first operator that touches the tensor.
  std::string who_uses(std::size_t tensor, const std::string& name) const {
    for (std::size_t i = 0; i < graph_.operators.size(); ++i) {
      const Operator& op = graph_.operators[i];
      const bool touches = std::count(op.inputs.begin(), op.inputs.end(), static_cast<std::int32_t>(tensor)) > 0 ||
                           std::count(op.outputs.begin(), op.outputs.end(), static_cast<std::int32_t>(tensor)) > 0;
      if (touches) return fmt::format("{}: tensor {} ('{}')", graph_.describe_operator(i), tensor, name);
    }
    return fmt::format("tensor {} ('{}')", tensor, name);
  }

  // shape_signature marks unknown dimensions with -1. An unknown leading (batch) dimension whose
  // `shape` entry is concrete is planned at that size, as TFLite Micro runs it (converters write
  // [-1, ...] for the batch of almost every model), unless --dim sets an input's shape.
  std::vector<bool> dynamic_tensors(const tflite::SubGraph& sg, bool batch_too) const {
    std::vector<bool> dynamic(graph_.tensors.size(), false);
    for (std::size_t i = 0; i < graph_.tensors.size(); ++i) {
      const auto* signature = sg.tensors()->Get(static_cast<flatbuffers::uoffset_t>(i))->shape_signature();
      if (signature == nullptr) continue;
      const Tensor& tensor = graph_.tensors[i];
      dynamic[i] = signature->size() != tensor.shape.size();
      for (flatbuffers::uoffset_t d = 0; d < signature->size() && !dynamic[i]; ++d)
        if (signature->Get(d) < 0 && (batch_too || d != 0 || tensor.shape[0] <= 0)) dynamic[i] = true;
    }
    return dynamic;
  }

  std::string signature_text(const tflite::SubGraph& sg, std::size_t i) const {
    std::string dims;
    for (std::int32_t d : *sg.tensors()->Get(static_cast<flatbuffers::uoffset_t>(i))->shape_signature())
      dims += (dims.empty() ? "" : ", ") + std::to_string(d);
    return dims;
  }

  // --dim shapes for the dynamic graph inputs, then the shapes that follow from them
  // (tflite_shapes.cpp). A dynamic input without one is refused, saying how to give it.
  std::vector<bool> resolve_dynamic_shapes(const tflite::SubGraph& sg) {
    for (const auto& given : options_.input_shapes) {
      const std::string& name = given.first;  // not a structured binding: clang 14 cannot capture one
      if (std::none_of(graph_.inputs.begin(), graph_.inputs.end(),
                       [&](std::int32_t t) { return graph_.tensors[static_cast<std::size_t>(t)].name == name; }))
        fail(fmt::format("--dim {}: the model has no graph input named '{}'", name, name));
    }
    std::vector<bool> dynamic = dynamic_tensors(sg, !options_.input_shapes.empty());
    // Only shapes that follow from the inputs are worked out; a dynamic intermediate of a model
    // with static inputs (a data-dependent size) stays an error.
    const bool dynamic_input = std::any_of(graph_.inputs.begin(), graph_.inputs.end(),
                                           [&](std::int32_t t) { return dynamic[static_cast<std::size_t>(t)]; });
    if (!dynamic_input && options_.input_shapes.empty()) return dynamic;
    for (std::int32_t input : graph_.inputs) {
      const auto t = static_cast<std::size_t>(input);
      Tensor& tensor = graph_.tensors[t];
      const auto given = options_.input_shapes.find(tensor.name);
      if (!dynamic[t] && given == options_.input_shapes.end()) continue;
      if (given == options_.input_shapes.end()) {
        std::string example;
        for (std::int32_t d : *sg.tensors()->Get(static_cast<flatbuffers::uoffset_t>(t))->shape_signature())
          example +=
              (example.empty() ? "" : "x") + (d < 0 ? std::string(example.empty() ? "1" : "N") : std::to_string(d));
        fail(
            fmt::format("graph input {} ('{}') has a dynamic shape (shape_signature [{}]); give its shape with "
                        "--dim {}={} (every N a size)",
                        t, tensor.name, signature_text(sg, t), tensor.name, example));
      }
      const auto* signature = sg.tensors()->Get(static_cast<flatbuffers::uoffset_t>(t))->shape_signature();
      const std::vector<std::int64_t>& shape = given->second;
      bool fits = signature == nullptr ? shape == tensor.shape : signature->size() == shape.size();
      for (std::size_t d = 0; fits && signature != nullptr && d < shape.size(); ++d)
        fits = signature->Get(static_cast<flatbuffers::uoffset_t>(d)) < 0 ||
               signature->Get(static_cast<flatbuffers::uoffset_t>(d)) == shape[d];
      if (!fits)
        fail(fmt::format("--dim {}: the shape does not fit graph input {}'s shape_signature [{}]", tensor.name, t,
                         signature_text(sg, t)));
      tensor.shape = shape;
      dynamic[t] = false;
    }
    std::vector<bool> left = tflite_import::fold_dynamic_shapes(graph_, std::move(dynamic));
    for (std::size_t i = 0; i < graph_.tensors.size(); ++i) {
      Tensor& tensor = graph_.tensors[i];
      std::int64_t elements = 1;
      for (std::int64_t d : tensor.shape)
        if (__builtin_mul_overflow(elements, d, &elements) || elements > kMaxElements)
          fail(fmt::format("tensor {} ('{}') has an absurd shape (more than 2^56 elements)", i, tensor.name));
      tensor.bytes =
          data_bytes(tensor.type, elements, fmt::format("{}: tensor {} ('{}')", source_, i, tensor.name)).value_or(0);
    }
    return left;
  }

  // Any tensor left dynamic makes the memory needed unknowable: an error naming the operator.
  void reject_dynamic_shapes(const tflite::SubGraph& sg, const std::vector<bool>& dynamic) const {
    for (std::size_t i = 0; i < graph_.tensors.size(); ++i)
      if (dynamic[i])
        fail(
            fmt::format("{} has a dynamic shape (shape_signature [{}]); dynamic shapes are not supported, convert "
                        "the model with fixed input shapes",
                        who_uses(i, graph_.tensors[i].name), signature_text(sg, i)));
  }

  // Tensors whose type has no fixed size cannot be planned unless they are constants.
  void check_sizes() const {
    for (std::size_t t : unsized_) {
      const Tensor& tensor = graph_.tensors[t];
      if (!tensor.is_constant)
        fail(fmt::format("{} has type {}, which has no fixed size", who_uses(t, tensor.name), to_string(tensor.type)));
    }
  }

  // A copy of the stored bytes, once per stored buffer (inline data, or offset/size into the file).
  void keep_constant_data(const tflite::Buffer& b, std::uint32_t index) {
    if (graph_.constant_data.size() <= index) graph_.constant_data.resize(index + 1);
    auto& data = graph_.constant_data[index];
    if (!data.empty()) return;
    if (b.data() != nullptr && b.data()->size() > 0) {
      data.assign(b.data()->begin(), b.data()->end());
    } else if (b.offset() > 1 && b.offset() <= file_.size() && b.size() <= file_.size() - b.offset()) {
      const auto first = file_.begin() + static_cast<std::ptrdiff_t>(b.offset());
      data.assign(first, first + static_cast<std::ptrdiff_t>(b.size()));
    }
  }

  const tflite::Model& model_;
  std::string_view source_;
  std::span<const std::uint8_t> file_;
  Graph graph_;
  std::size_t tensor_count_ = 0;
  const TfliteOptions& options_;
  std::int64_t control_flow_op_ = -1;
  std::vector<std::size_t> unsized_;
};

}  // namespace

namespace tflite_import {

const tflite::Model& verified_model(std::span<const std::uint8_t> bytes, std::string_view source) {
  if (sniff_model_format(bytes, source) != ModelFormat::tflite)
    throw InputError(unreadable_model_message(bytes, source));
  if (bytes.size() >= kMaxFileBytes)
    throw InputError(fmt::format("{}: file is too large for a TFLite flatbuffer", source));
  flatbuffers::Verifier::Options options;
  options.max_tables = 10'000'000;
  flatbuffers::Verifier verifier(bytes.data(), bytes.size(), options);
  if (!tflite::VerifyModelBuffer(verifier))
    throw InputError(fmt::format("{}: corrupt TFLite flatbuffer (the flatbuffer verifier rejects it)", source));
  return *tflite::GetModel(bytes.data());
}

}  // namespace tflite_import

Graph parse_tflite(std::span<const std::uint8_t> bytes, std::string_view source, const TfliteOptions& options) {
  Graph graph = Reader(tflite_import::verified_model(bytes, source), source, bytes, options).read();
  validate_graph(graph);
  return graph;
}

Graph read_tflite(const std::string& path, const InputLimits& limits, const TfliteOptions& options) {
  // The file size limit (read_file's error carries the remedy), then what a flatbuffer can
  // hold, which no flag raises; a regular file is measured against both before it is read.
  const auto user_limit = static_cast<std::uintmax_t>(limits.max_file_bytes);
  const auto refuse = [&](std::uintmax_t size) {
    throw InputError(fmt::format("{}: file is too large for a TFLite flatbuffer ({} bytes, at most {})", path, size,
                                 kMaxFileBytes - 1));
  };
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size >= kMaxFileBytes && size <= user_limit) refuse(size);
  }
  const std::string content = read_file(path, limits);
  if (content.size() >= kMaxFileBytes) refuse(content.size());
  return parse_tflite_content(content, path, options);
}

Graph parse_tflite_content(const std::string& content, std::string_view source, const TfliteOptions& options) {
  // Copied into an 8-byte-aligned vector: the verifier checks field alignment.
  std::vector<std::uint64_t> aligned((content.size() + 7) / 8);
  if (!content.empty()) std::memcpy(aligned.data(), content.data(), content.size());
  return parse_tflite(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(aligned.data()), content.size()), source,
      options);
}

}  // namespace arenaplan
