// armnn_run: run a .tflite model once with Arm NN's CpuRef (reference)
// backend, as an independent reference for arenaplan's generated code.
//
//   armnn_run MODEL.tflite INPUTS.bin OUTPUTS.bin
//       INPUTS.bin  = raw bytes of every graph input, concatenated in the
//                     model's input order (size must match exactly)
//       OUTPUTS.bin = raw bytes of every graph output, concatenated in the
//                     model's output order (native dtype, little-endian)
//   armnn_run --describe MODEL.tflite
//       one line per input/output: name, dtype, shape, bytes, quantization
//   armnn_run --random-inputs MODEL.tflite SEED INPUTS.bin
//       write a deterministic pseudo-random INPUTS.bin of the right size
//   armnn_run --print MODEL.tflite OUTPUTS.bin
//       print an OUTPUTS.bin as numbers (raw and, if quantized, dequantized)
//   armnn_run --patch-model MODEL.tflite OUT.tflite [OP_INDEX]
//       write the model with the fixes armnn_run applies when loading (see
//       fix_rank1_quantized_dimension) and, with OP_INDEX, with graph output 0
//       redirected to that operator's output (compare intermediate tensors)
//
// Written against the Arm NN 20.08 API (Debian libarmnn-dev 20.08).
// Exit status: 0 on success, 2 on any error (one line on stderr).
// Set ARMNN_RUN_LOG=1 to see Arm NN's own log (goes to stdout).

#include <armnn/ArmNN.hpp>
#include <armnn/Exceptions.hpp>
#include <armnn/Logging.hpp>
#include <armnn/TypesUtils.hpp>
#include <armnn/Utils.hpp>
#include <armnnTfLiteParser/ITfLiteParser.hpp>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

// Errors that are ours (not Arm NN's); reported the same way.
struct RunError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Binding {
  std::string name;
  armnn::LayerBindingId id;
  armnn::TensorInfo info;
};

struct Model {
  armnnTfLiteParser::ITfLiteParserPtr parser;
  armnn::INetworkPtr network;
  std::vector<Binding> inputs;
  std::vector<Binding> outputs;
  int patched_tensors = 0;  // see fix_rank1_quantized_dimension

  Model() : parser(nullptr, nullptr), network(nullptr, nullptr) {}
};

constexpr size_t kSubgraph = 0;

// ---------------------------------------------------------------------------
// Minimal, bounds-checked, in-place flatbuffer patching of the .tflite model.
//
// Some converters (e.g. the TFLM person_detect model) store the weights'
// quantized_dimension (3 for depthwise conv) also on the 1-D per-channel bias
// tensor. TFLite ignores the value for 1-D tensors; Arm NN 20.08 validates it
// and refuses to load the network ("Quantization dimension for per-axis
// quantization expected to be 0 on tensor bias, but got: 3"). For a rank-1
// tensor the only meaningful axis is 0, so we rewrite it in the model bytes.
// Only a scalar already stored in the table is overwritten: no resizing.
class FbView {
 public:
  explicit FbView(std::vector<uint8_t>& b) : buf_(b) {}

  uint32_t u32(size_t pos) const {
    need(pos, 4);
    uint32_t v;
    std::memcpy(&v, buf_.data() + pos, 4);
    return v;  // flatbuffers are little-endian, as is every host we build on
  }
  int32_t i32(size_t pos) const { return static_cast<int32_t>(u32(pos)); }
  uint16_t u16(size_t pos) const {
    need(pos, 2);
    uint16_t v;
    std::memcpy(&v, buf_.data() + pos, 2);
    return v;
  }
  void put_i32(size_t pos, int32_t v) {
    need(pos, 4);
    std::memcpy(buf_.data() + pos, &v, 4);
  }
  size_t root() const { return u32(0); }
  // Absolute position of field `idx` of the table at `table`, or 0 if absent.
  size_t field(size_t table, unsigned idx) const {
    const int64_t vt = static_cast<int64_t>(table) - i32(table);
    if (vt < 0) throw RunError("corrupt flatbuffer (vtable)");
    const size_t vtable = static_cast<size_t>(vt);
    const uint16_t vsize = u16(vtable);
    const size_t slot = 4 + 2u * idx;
    if (slot + 2 > vsize) return 0;
    const uint16_t off = u16(vtable + slot);
    return off ? table + off : 0;
  }
  // Follow the uoffset stored at `pos` (table, vector or string reference).
  size_t deref(size_t pos) const { return pos + u32(pos); }
  // Vector at `pos` (already dereferenced): length and first element.
  uint32_t vlen(size_t vec) const { return u32(vec); }

 private:
  void need(size_t pos, size_t n) const {
    if (pos > buf_.size() || buf_.size() - pos < n) throw RunError("corrupt flatbuffer (bounds)");
  }
  std::vector<uint8_t>& buf_;
};

// Rewrites subgraph 0's first graph output to be operator `op_index`'s first
// output tensor (in place: graph outputs are an int32 vector). Lets the same
// network be compared at an intermediate tensor, e.g. the logits before a
// softmax. Returns the new output tensor's index.
int32_t retarget_first_output(std::vector<uint8_t>& bytes, uint32_t op_index) {
  constexpr unsigned kModelSubgraphs = 2;
  constexpr unsigned kSubgraphOutputs = 2, kSubgraphOperators = 3;
  constexpr unsigned kOperatorOutputs = 2;
  FbView fb(bytes);
  const size_t sgs_f = fb.field(fb.root(), kModelSubgraphs);
  if (!sgs_f || fb.vlen(fb.deref(sgs_f)) < 1) throw RunError("model has no subgraph");
  const size_t sg = fb.deref(fb.deref(sgs_f) + 4);
  const size_t ops_f = fb.field(sg, kSubgraphOperators);
  const size_t outs_f = fb.field(sg, kSubgraphOutputs);
  if (!ops_f || !outs_f) throw RunError("subgraph 0 has no operators or outputs");
  const size_t ops = fb.deref(ops_f);
  if (op_index >= fb.vlen(ops)) {
    throw RunError("operator index " + std::to_string(op_index) + " out of range (" + std::to_string(fb.vlen(ops)) +
                   " operators)");
  }
  const size_t op = fb.deref(ops + 4 + 4u * op_index);
  const size_t op_outs_f = fb.field(op, kOperatorOutputs);
  if (!op_outs_f || fb.vlen(fb.deref(op_outs_f)) < 1) throw RunError("operator has no output");
  const int32_t tensor = fb.i32(fb.deref(op_outs_f) + 4);
  const size_t graph_outs = fb.deref(outs_f);
  if (fb.vlen(graph_outs) < 1) throw RunError("subgraph 0 has no outputs");
  fb.put_i32(graph_outs + 4, tensor);
  return tensor;
}

// Returns the number of tensors patched.
int fix_rank1_quantized_dimension(std::vector<uint8_t>& bytes) {
  // tflite schema field indices.
  constexpr unsigned kModelSubgraphs = 2;
  constexpr unsigned kSubgraphTensors = 0;
  constexpr unsigned kTensorShape = 0, kTensorQuantization = 4;
  constexpr unsigned kQuantScale = 2, kQuantDim = 6;

  FbView fb(bytes);
  int patched = 0;
  const size_t model = fb.root();
  const size_t sgs_f = fb.field(model, kModelSubgraphs);
  if (!sgs_f) return 0;
  const size_t sgs = fb.deref(sgs_f);
  for (uint32_t s = 0; s < fb.vlen(sgs); ++s) {
    const size_t sg = fb.deref(sgs + 4 + 4u * s);
    const size_t ts_f = fb.field(sg, kSubgraphTensors);
    if (!ts_f) continue;
    const size_t ts = fb.deref(ts_f);
    for (uint32_t t = 0; t < fb.vlen(ts); ++t) {
      const size_t tensor = fb.deref(ts + 4 + 4u * t);
      const size_t shape_f = fb.field(tensor, kTensorShape);
      const size_t q_f = fb.field(tensor, kTensorQuantization);
      if (!shape_f || !q_f) continue;
      if (fb.vlen(fb.deref(shape_f)) != 1) continue;
      const size_t q = fb.deref(q_f);
      const size_t scale_f = fb.field(q, kQuantScale);
      if (!scale_f || fb.vlen(fb.deref(scale_f)) <= 1) continue;  // not per-axis
      const size_t dim_f = fb.field(q, kQuantDim);
      if (!dim_f || fb.i32(dim_f) == 0) continue;
      fb.put_i32(dim_f, 0);
      ++patched;
    }
  }
  return patched;
}

std::vector<uint8_t> read_file(const std::string& path);

Model load_model(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path);
  Model m;
  m.patched_tensors = fix_rank1_quantized_dimension(bytes);
  m.parser = armnnTfLiteParser::ITfLiteParser::Create();
  m.network = m.parser->CreateNetworkFromBinary(bytes);
  if (!m.network) throw RunError("parser returned no network");
  if (m.parser->GetSubgraphCount() < 1) throw RunError("model has no subgraph");
  for (const auto& name : m.parser->GetSubgraphInputTensorNames(kSubgraph)) {
    auto bp = m.parser->GetNetworkInputBindingInfo(kSubgraph, name);
    m.inputs.push_back({name, bp.first, bp.second});
  }
  for (const auto& name : m.parser->GetSubgraphOutputTensorNames(kSubgraph)) {
    auto bp = m.parser->GetNetworkOutputBindingInfo(kSubgraph, name);
    m.outputs.push_back({name, bp.first, bp.second});
  }
  return m;
}

std::string shape_str(const armnn::TensorShape& s) {
  std::ostringstream os;
  os << '[';
  for (unsigned i = 0; i < s.GetNumDimensions(); ++i) {
    if (i) os << ',';
    os << s[i];
  }
  os << ']';
  return os.str();
}

std::string quant_str(const armnn::TensorInfo& info) {
  std::ostringstream os;
  if (info.HasMultipleQuantizationScales()) {
    auto scales = info.GetQuantizationScales();
    os << "scales=" << scales.size() << "(per-axis";
    auto dim = info.GetQuantizationDim();
    if (dim.has_value()) os << ",dim=" << dim.value();
    os << ") offset=" << info.GetQuantizationOffset();
  } else {
    os.precision(9);
    os << "scale=" << info.GetQuantizationScale() << " offset=" << info.GetQuantizationOffset();
  }
  return os.str();
}

void describe(const Model& m) {
  auto line = [](const char* kind, size_t idx, const Binding& b) {
    std::cout << kind << '[' << idx << "] name=" << b.name << " dtype=" << armnn::GetDataTypeName(b.info.GetDataType())
              << " shape=" << shape_str(b.info.GetShape()) << " bytes=" << b.info.GetNumBytes() << ' '
              << quant_str(b.info) << '\n';
  };
  for (size_t i = 0; i < m.inputs.size(); ++i) line("input", i, m.inputs[i]);
  for (size_t i = 0; i < m.outputs.size(); ++i) line("output", i, m.outputs[i]);
  if (m.patched_tensors) {
    std::cerr << "armnn_run: note: reset quantized_dimension to 0 on " << m.patched_tensors
              << " per-channel rank-1 tensor(s) (Arm NN 20.08 rejects other values)\n";
  }
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw RunError("cannot open " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::vector<uint8_t>& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw RunError("cannot open " + path + " for writing");
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!f) throw RunError("error writing " + path);
}

size_t total_bytes(const std::vector<Binding>& bs) {
  size_t n = 0;
  for (const auto& b : bs) n += b.info.GetNumBytes();
  return n;
}

void run(Model& m, const std::string& in_path, const std::string& out_path) {
  std::vector<uint8_t> in_bytes = read_file(in_path);
  const size_t want = total_bytes(m.inputs);
  if (in_bytes.size() != want) {
    throw RunError(in_path + " has " + std::to_string(in_bytes.size()) + " bytes, model inputs need " +
                   std::to_string(want));
  }

  armnn::IRuntime::CreationOptions ropts;
  // Debian ships CpuRef as a dynamic backend (libarmnn-cpuref-backend22,
  // /usr/lib/<triplet>/armnn22/); libarmnn finds it by its built-in path.
  if (const char* p = std::getenv("ARMNN_RUN_BACKEND_PATH"); p && *p) { ropts.m_DynamicBackendsPath = p; }
  armnn::IRuntimePtr runtime = armnn::IRuntime::Create(ropts);

  std::vector<std::string> messages;
  armnn::OptimizerOptions oopts;  // no fp16/bf16 reduction, no debug layers
  armnn::IOptimizedNetworkPtr opt = armnn::Optimize(*m.network, {armnn::BackendId("CpuRef")}, runtime->GetDeviceSpec(),
                                                    oopts, armnn::Optional<std::vector<std::string>&>(messages));
  if (!opt) {
    std::string msg = "Optimize failed";
    for (const auto& s : messages) msg += ": " + s;
    if (msg.find("Current platform provides []") != std::string::npos) {
      msg +=
          " (no Arm NN backend found: install libarmnn-cpuref-backend22, which provides "
          "the CpuRef dynamic backend, or set ARMNN_RUN_BACKEND_PATH to its directory)";
    }
    throw RunError(msg);
  }

  armnn::NetworkId net_id = 0;
  std::string load_err;
  if (runtime->LoadNetwork(net_id, std::move(opt), load_err) != armnn::Status::Success) {
    throw RunError("LoadNetwork failed: " + load_err);
  }

  armnn::InputTensors inputs;
  size_t off = 0;
  for (const auto& b : m.inputs) {
    armnn::TensorInfo info = runtime->GetInputTensorInfo(net_id, b.id);
    inputs.emplace_back(b.id, armnn::ConstTensor(info, in_bytes.data() + off));
    off += info.GetNumBytes();
  }

  std::vector<std::vector<uint8_t>> out_bufs;
  out_bufs.reserve(m.outputs.size());
  armnn::OutputTensors outputs;
  for (const auto& b : m.outputs) {
    armnn::TensorInfo info = runtime->GetOutputTensorInfo(net_id, b.id);
    out_bufs.emplace_back(info.GetNumBytes());
    outputs.emplace_back(b.id, armnn::Tensor(info, out_bufs.back().data()));
  }

  if (runtime->EnqueueWorkload(net_id, inputs, outputs) != armnn::Status::Success) {
    throw RunError("EnqueueWorkload failed");
  }
  runtime->UnloadNetwork(net_id);

  std::vector<uint8_t> all;
  for (const auto& buf : out_bufs) all.insert(all.end(), buf.begin(), buf.end());
  write_file(out_path, all);
}

// splitmix64: tiny, portable, reproducible on every platform (unlike
// std::uniform_*_distribution, whose output is implementation-defined).
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Quantized/integer inputs: uniform over the whole byte range of each element.
// Float32 inputs: uniform in [-1, 1).
void random_inputs(const Model& m, uint64_t seed, const std::string& out_path) {
  uint64_t state = seed;
  std::vector<uint8_t> all;
  for (const auto& b : m.inputs) {
    const size_t n = b.info.GetNumBytes();
    std::vector<uint8_t> buf(n);
    if (b.info.GetDataType() == armnn::DataType::Float32) {
      for (size_t i = 0; i + 4 <= n; i += 4) {
        double u = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
        float v = static_cast<float>(2.0 * u - 1.0);
        std::memcpy(&buf[i], &v, 4);
      }
    } else {
      for (auto& byte : buf) byte = static_cast<uint8_t>(splitmix64(state) >> 56);
    }
    all.insert(all.end(), buf.begin(), buf.end());
  }
  write_file(out_path, all);
}

void print_outputs(const Model& m, const std::string& out_path) {
  std::vector<uint8_t> bytes = read_file(out_path);
  const size_t want = total_bytes(m.outputs);
  if (bytes.size() != want) {
    throw RunError(out_path + " has " + std::to_string(bytes.size()) + " bytes, model outputs produce " +
                   std::to_string(want));
  }
  size_t off = 0;
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    const Binding& b = m.outputs[k];
    const armnn::DataType dt = b.info.GetDataType();
    const unsigned n = b.info.GetNumElements();
    const bool quant = b.info.IsQuantized() && !b.info.HasMultipleQuantizationScales();
    const float scale = quant ? b.info.GetQuantizationScale() : 1.0f;
    const int32_t zp = quant ? b.info.GetQuantizationOffset() : 0;
    std::cout << "output[" << k << "] " << b.name << " " << armnn::GetDataTypeName(dt) << " "
              << shape_str(b.info.GetShape()) << ":";
    long long raw_sum = 0;
    double real_sum = 0;
    for (unsigned i = 0; i < n; ++i) {
      const uint8_t* p = bytes.data() + off;
      double real = 0;
      switch (dt) {
        case armnn::DataType::Float32: {
          float v;
          std::memcpy(&v, p + 4 * i, 4);
          std::cout << ' ' << v;
          real = v;
          break;
        }
        case armnn::DataType::QAsymmS8:
        case armnn::DataType::QSymmS8: {
          int v = static_cast<int8_t>(p[i]);
          std::cout << ' ' << v;
          raw_sum += v - zp;
          real = scale * (v - zp);
          break;
        }
        case armnn::DataType::QAsymmU8:
        case armnn::DataType::Boolean: {
          int v = p[i];
          std::cout << ' ' << v;
          raw_sum += v - zp;
          real = scale * (v - zp);
          break;
        }
        case armnn::DataType::QSymmS16: {
          int16_t v;
          std::memcpy(&v, p + 2 * i, 2);
          std::cout << ' ' << v;
          raw_sum += v - zp;
          real = scale * (v - zp);
          break;
        }
        case armnn::DataType::Signed32: {
          int32_t v;
          std::memcpy(&v, p + 4 * i, 4);
          std::cout << ' ' << v;
          real = v;
          break;
        }
        default: throw RunError(std::string("--print: unsupported dtype ") + armnn::GetDataTypeName(dt));
      }
      real_sum += real;
    }
    std::cout << '\n';
    if (quant) {
      std::cout << "  sum(q - zero_point)=" << raw_sum << " sum(dequantized)=" << real_sum << " (scale=" << scale
                << " zero_point=" << zp << ")\n";
    } else {
      std::cout << "  sum=" << real_sum << '\n';
    }
    off += b.info.GetNumBytes();
  }
}

int usage() {
  std::cerr << "usage: armnn_run MODEL.tflite INPUTS.bin OUTPUTS.bin\n"
               "       armnn_run --describe MODEL.tflite\n"
               "       armnn_run --random-inputs MODEL.tflite SEED INPUTS.bin\n"
               "       armnn_run --print MODEL.tflite OUTPUTS.bin\n"
               "       armnn_run --patch-model MODEL.tflite OUT.tflite [OP_INDEX]\n";
  return 2;
}

std::string one_line(std::string s) {
  // Arm NN 20.08 prints uninitialised bytes for some opcode names.
  for (auto& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = ' ';
  }
  std::string squeezed;
  for (char c : s) {
    if (c != ' ' || squeezed.empty() || squeezed.back() != ' ') squeezed += c;
  }
  s = squeezed;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();

  const char* log_env = std::getenv("ARMNN_RUN_LOG");
  if (log_env && *log_env && std::string(log_env) != "0") {
    armnn::ConfigureLogging(true, false, armnn::LogSeverity::Info);
  } else {
    armnn::ConfigureLogging(false, false, armnn::LogSeverity::Fatal);
  }

  std::string model_path;
  try {
    if (args[0] == "--describe") {
      if (args.size() != 2) return usage();
      model_path = args[1];
      Model m = load_model(model_path);
      describe(m);
    } else if (args[0] == "--random-inputs") {
      if (args.size() != 4) return usage();
      model_path = args[1];
      char* end = nullptr;
      uint64_t seed = std::strtoull(args[2].c_str(), &end, 0);
      if (!end || *end) throw RunError("bad SEED " + args[2]);
      Model m = load_model(model_path);
      random_inputs(m, seed, args[3]);
    } else if (args[0] == "--patch-model") {
      // --patch-model MODEL OUT.tflite [OP_INDEX]
      if (args.size() != 3 && args.size() != 4) return usage();
      model_path = args[1];
      std::vector<uint8_t> bytes = read_file(model_path);
      const int fixed = fix_rank1_quantized_dimension(bytes);
      std::cerr << "armnn_run: reset quantized_dimension on " << fixed << " rank-1 tensor(s)\n";
      if (args.size() == 4) {
        char* end = nullptr;
        const unsigned long op = std::strtoul(args[3].c_str(), &end, 10);
        if (!end || *end) throw RunError("bad OP_INDEX " + args[3]);
        const int32_t t = retarget_first_output(bytes, static_cast<uint32_t>(op));
        std::cerr << "armnn_run: output[0] is now tensor " << t << " (output of operator " << op << ")\n";
      }
      write_file(args[2], bytes);
    } else if (args[0] == "--print") {
      if (args.size() != 3) return usage();
      model_path = args[1];
      Model m = load_model(model_path);
      print_outputs(m, args[2]);
    } else {
      if (args.size() != 3 || args[0].rfind("--", 0) == 0) return usage();
      model_path = args[0];
      Model m = load_model(model_path);
      run(m, args[1], args[2]);
    }
  } catch (const std::exception& e) {
    std::cerr << "armnn_run: " << model_path << ": " << one_line(e.what()) << '\n';
    return 2;
  } catch (...) {
    std::cerr << "armnn_run: " << model_path << ": unknown exception\n";
    return 2;
  }
  return 0;
}
