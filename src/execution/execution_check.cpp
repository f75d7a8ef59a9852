// check_by_execution: emit, build, run on poisoned and fenced pools, compare with separate buffers.
#include "arenaplan/execution_check.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"
#include "emit/c_names.h"
#include "emit/c_variables.h"
#include "execution/harness_source.h"
#include "execution/host_process.h"
#include "execution/io_dump.h"
#include "execution/library_cache.h"
#include "execution/work_dir.h"
#include "io/files.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using Bytes8 = std::vector<std::uint8_t>;

constexpr const char* kPrefix = "model";
constexpr int kPoisons[] = {0xa5, 0x5a};

struct TraceEntry {
  std::int32_t op = -1;
  std::int32_t tensor = -1;  // the output it holds: an operator's entries are its outputs, in order
  Bytes8 data;
};

// The trace has one entry per operator output, in output order, then one per variable input
// (the state the operator leaves).
void label_trace(const Graph& graph, std::vector<TraceEntry>& trace) {
  for (std::size_t i = 0, k = 0; i < trace.size(); ++i) {
    k = i > 0 && trace[i - 1].op == trace[i].op ? k + 1 : 0;
    const auto op = static_cast<std::size_t>(trace[i].op);
    if (op >= graph.operators.size()) continue;
    const std::size_t outputs = graph.operators[op].outputs.size();
    if (k < outputs) {
      trace[i].tensor = graph.operators[op].outputs[k];
    } else {
      const std::vector<std::int32_t> state = c_out::variable_inputs(graph, op);
      if (k - outputs < state.size()) trace[i].tensor = state[k - outputs];
    }
  }
}

std::vector<TraceEntry> parse_trace(const Bytes8& text) {
  std::vector<TraceEntry> out;
  std::size_t at = 0;
  while (at + 8 <= text.size()) {
    TraceEntry e;
    std::uint32_t bytes = 0;
    std::memcpy(&e.op, text.data() + at, 4);
    std::memcpy(&bytes, text.data() + at + 4, 4);
    at += 8;
    if (at + bytes > text.size()) break;
    e.data.assign(text.begin() + static_cast<std::ptrdiff_t>(at),
                  text.begin() + static_cast<std::ptrdiff_t>(at + bytes));
    at += bytes;
    out.push_back(std::move(e));
  }
  return out;
}

// A file the test program wrote; nothing when it is absent (the run then failed).
std::optional<Bytes8> read_output(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes8(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& path, const Bytes8& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) throw InputError(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
}

// Creates a directory the run writes into (--save-io), or says which and why it cannot.
void make_directory(const fs::path& dir, const char* option) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(fmt::format("{} {}: cannot create it: {}", option, dir.string(), ec.message()));
}

// One input set: every graph input's bytes, concatenated in graph order.
Bytes8 make_inputs(const Graph& graph, std::mt19937_64* random) {
  Bytes8 out;
  for (std::int32_t index : graph.inputs) {
    const Tensor& t = graph.tensors[static_cast<std::size_t>(index)];
    const auto n = static_cast<std::size_t>(t.bytes);
    const std::size_t start = out.size();
    out.resize(start + n);
    std::uint8_t* at = out.data() + start;
    if (t.type == DataType::float32) {
      std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
      for (std::size_t i = 0; i + 4 <= n; i += 4) {
        const float v = random ? uniform(*random) : 0.5f;
        std::memcpy(at + i, &v, 4);
      }
    } else if (random) {
      for (std::size_t i = 0; i < n; ++i) at[i] = static_cast<std::uint8_t>((*random)() >> 56);
    } else {
      const std::int64_t zero = t.quantization.zero_point.empty() ? 0 : t.quantization.zero_point[0];
      std::fill_n(at, n, static_cast<std::uint8_t>(std::clamp<std::int64_t>(zero + 10, -128, 127)));
    }
  }
  return out;
}

class Check {
 public:
  Check(const Graph& graph, const LoweredModel& lowered, const Plan& plan, const ExecutionOptions& options)
      : graph_(graph), lowered_(lowered), plan_(plan), options_(options) {}

  ExecutionReport run() {
    report_.guard_bytes = execution::kGuardBytes;
    // Bad input files are reported before anything is built.
    for (const auto& files : options_.input_files) given_inputs_.push_back(execution::read_input_files(graph_, files));
    if (!options_.save_io_dir.empty()) make_directory(options_.save_io_dir, "--save-io");
    const execution::WorkDir work(options_.work_dir);  // removed on return, on a throw and on SIGINT/SIGTERM
    dir_ = work.path();
    write_program();
    build();
    if (!options_.input_files.empty()) {
      for (std::size_t k = 0; k < given_inputs_.size(); ++k)
        check_input_set(fmt::format("input set #{}", k + 1), given_inputs_[k]);
    } else {
      std::mt19937_64 random(options_.seed);
      for (int k = 0; k < options_.random_inputs; ++k)
        check_input_set(fmt::format("random #{}", k + 1), make_inputs(graph_, &random));
      check_input_set("constant", make_inputs(graph_, nullptr));
    }
    if (!options_.save_io_dir.empty())
      execution::write_tensor_index(options_.save_io_dir, graph_, lowered_, options_.save_trace, options_.input_files,
                                    report_.input_sets);
    return std::move(report_);
  }

 private:
  // The program: the model as `compile` emits it, but with the workspace pools provided by the
  // harness (so it can poison and fence them), the separate-buffer model, and main().
  void write_program() {
    LoweredModel fenced = lowered_;
    for (Pool& pool : fenced.problem.pools) pool.external = !pool.read_only();
    CEmitOptions emit;
    emit.name = kPrefix;
    emit.operators = true;
    std::vector<EmittedFile> files = emit_c(graph_, fenced, plan_, emit);
    files.push_back(emit_separate_model(graph_, lowered_, kPrefix));
    files.push_back(
        {"harness.c", execution::harness_source(graph_, fenced.problem, c_out::layout(graph_, fenced, plan_, emit))});
    for (const EmittedFile& f : files) {
      std::ofstream out(dir_ / f.name, std::ios::binary);
      out << f.text;
      if (!out) throw InputError(fmt::format("cannot write {}: {}", (dir_ / f.name).string(), std::strerror(errno)));
      if (f.name.ends_with(".c")) sources_.push_back((dir_ / f.name).string());
      if (!f.name.starts_with(kPrefix) && f.name != "harness.c") library_files_.push_back(dir_ / f.name);
    }
  }

  // The kernel library is built with the compiler flags (default -O2); the generated files are
  // one call per operator in a single function, where optimising gains nothing and GCC's -O2 is
  // superlinear (a 10,002-operator model: over 20 minutes), so they get -O0 after the flags.
  void build() {
    std::string compiler = options_.compiler;
    if (compiler.empty())
      compiler = std::getenv("CC") != nullptr && *std::getenv("CC") != '\0' ? std::getenv("CC") : "cc";
    std::vector<std::string> base{compiler, "-std=c99", "-Wall", "-Wextra", "-Werror"};
    base.insert(base.end(), options_.compiler_flags.begin(), options_.compiler_flags.end());
    base.insert(base.end(), {"-DARENAPLAN_TRACE=ap_trace", "-I", dir_.string()});
    // The generated files are named after the prefix (and the harness); the rest is the library.
    std::vector<std::vector<std::string>> commands;
    std::vector<std::string> program = base;
    program.insert(program.end(), {"-O0", "-o", (dir_ / "check").string()});
    std::vector<std::string> objects, object_names;
    for (const std::string& source : sources_) {
      const std::string name = fs::path(source).filename().string();
      if (name.starts_with(std::string(kPrefix) + "_") || name == "harness.c") {
        program.push_back(source);
        continue;
      }
      object_names.push_back(name + ".o");
      objects.push_back((dir_ / object_names.back()).string());
      commands.push_back(base);
      commands.back().insert(commands.back().end(), {"-c", "-o", objects.back(), source});
    }
    // A cached library replaces the library's compile commands (its objects are linked from the cache).
    std::string key;
    std::optional<fs::path> cached;
    if (!options_.library_cache_dir.empty()) {
      std::vector<std::string> flags(base.begin() + 1, base.end() - 2);  // without -I <this run's directory>
      key = execution::library_key(compiler, flags, library_files_);
      cached = execution::find_library(options_.library_cache_dir, key, object_names);
      if (cached) {
        commands.clear();
        for (std::size_t k = 0; k < objects.size(); ++k) objects[k] = (*cached / object_names[k]).string();
      }
    }
    program.insert(program.end(), objects.begin(), objects.end());
    program.push_back("-lm");
    commands.push_back(program);
    report_.compile_command.clear();
    for (const auto& argv : commands)
      report_.compile_command += (report_.compile_command.empty() ? "" : " && ") + execution::command_line(argv);
    for (std::size_t c = 0; c < commands.size(); ++c) {
      const auto& argv = commands[c];
      if (c + 1 == commands.size() && !key.empty() && !cached)
        execution::store_library(options_.library_cache_dir, key, {objects.begin(), objects.end()});
      execution::ProcessResult r;
      try {
        r = execution::run_process(argv, (dir_ / "compile.log").string());
      } catch (const std::runtime_error& e) {
        // No such program, or not executable: the command line's (or $CC's) to fix.
        throw InputError(fmt::format("{} (the C compiler: --cc, else $CC, else cc)", e.what()));
      }
      if (r.exit_code == 0) continue;
      // The compiler's first error line, else its first line.
      const auto error = r.output.find("error:");
      const auto start = error == std::string::npos ? 0 : r.output.rfind('\n', error) + 1;
      const std::string first = r.output.substr(start, r.output.find('\n', start) - start);
      const std::string how = r.signal ? fmt::format("was killed by signal {}", r.signal) : "failed";
      throw CompilerFailed(fmt::format(
          "the generated code did not compile: {} {} ({}); keep the work directory to see the sources and compile.log",
          argv[0], how, first.empty() ? "no output" : first));
    }
  }

  struct RunResult {
    std::vector<TraceEntry> trace;
    Bytes8 outputs;
  };

  // One run of the test program; nothing (and a run failure recorded) when it did not end well.
  std::optional<RunResult> execute(const std::string& set, const std::string& mode, int poison,
                                   const std::string& tag) {
    const std::string trace = (dir_ / (tag + ".trace")).string(), outputs = (dir_ / (tag + ".out")).string();
    const std::string program = (dir_ / "check").string();
    execution::ProcessResult r;
    try {
      r = execution::run_process(
          {program, mode, fmt::format("{}", poison), (dir_ / "input.bin").string(), trace, outputs},
          (dir_ / (tag + ".log")).string());
    } catch (const std::runtime_error& e) {
      throw InputError(
          fmt::format("{} (the test program; a TMPDIR mounted noexec? --keep DIR builds elsewhere)", e.what()));
    }
    auto fail = [&](const std::string& what) {
      report_.run_failures.push_back(fmt::format("{}: the {} run ({}) {}", set, mode, tag, what));
      return std::nullopt;
    };
    if (r.exit_code == execution::kGuardExitCode && mode == "planned") {
      std::string text = r.output;
      for (std::size_t at = 0; (at = text.find("guard: ")) != std::string::npos;) {
        const auto end = text.find('\n', at);
        report_.guard_failures.push_back(fmt::format("{}: {}", tag, text.substr(at + 7, end - at - 7)));
        text.erase(0, end == std::string::npos ? text.size() : end + 1);
      }
    } else if (r.exit_code != 0) {
      const std::string first = r.output.substr(0, r.output.find('\n'));
      return fail(fmt::format(
          "{}{}",
          r.signal ? fmt::format("was killed by signal {}", r.signal) : fmt::format("exited with {}", r.exit_code),
          first.empty() ? "" : ": " + first));
    }
    std::optional<Bytes8> trace_bytes = read_output(trace), output_bytes = read_output(outputs);
    if (!trace_bytes || !output_bytes) return fail("wrote no outputs");
    std::size_t expected = 0;
    for (std::int32_t t : graph_.outputs) expected += static_cast<std::size_t>(graph_.tensors[t].bytes);
    if (output_bytes->size() != expected)
      return fail(fmt::format("wrote {} bytes of graph outputs, not {}", output_bytes->size(), expected));
    RunResult result{parse_trace(*trace_bytes), std::move(*output_bytes)};
    label_trace(graph_, result.trace);
    return result;
  }

  void check_input_set(const std::string& name, const Bytes8& inputs) {
    write_bytes(dir_ / "input.bin", inputs);
    ++report_.input_sets;
    const std::optional<RunResult> reference = execute(name, "separate", 0, "separate");
    if (!reference) return;  // nothing to compare with
    for (int poison : kPoisons) {
      const std::string run = fmt::format("planned arena, poison 0x{:02x}", poison);
      const std::optional<RunResult> planned = execute(name, "planned", poison, fmt::format("planned-{:02x}", poison));
      if (!planned) return;
      ++report_.runs;
      if (report_.outputs.empty() && report_.runs == 1) split_outputs(planned->outputs);
      if (!options_.save_io_dir.empty() && poison == kPoisons[0]) save_io(inputs, *planned);
      compare(name, run, *planned, *reference);
    }
  }

  void split_outputs(const Bytes8& all) {
    execution::TensorData data;
    split_io(graph_.outputs, all, data);
    for (std::int32_t t : graph_.outputs) report_.outputs.push_back(data[t]);
  }

  void save_io(const Bytes8& inputs, const RunResult& planned) {
    const int set = report_.input_sets - 1;
    write_bytes(fs::path(options_.save_io_dir) / fmt::format("input_{}.bin", set), inputs);
    write_bytes(fs::path(options_.save_io_dir) / fmt::format("output_{}.bin", set), planned.outputs);
    // Per tensor: operator outputs as traced right after each operator, then the graph inputs
    // as given and the graph outputs as the run left them.
    execution::TensorData data;
    if (options_.save_trace)
      for (const TraceEntry& e : planned.trace)
        if (e.tensor >= 0) data[e.tensor] = e.data;
    split_io(graph_.inputs, inputs, data);
    split_io(graph_.outputs, planned.outputs, data);
    execution::write_tensor_set(options_.save_io_dir, set, graph_, options_.save_trace, data);
  }

  void split_io(const std::vector<std::int32_t>& tensors, const Bytes8& all, execution::TensorData& data) const {
    std::size_t at = 0;
    for (std::int32_t t : tensors) {
      const auto n = static_cast<std::size_t>(graph_.tensors[static_cast<std::size_t>(t)].bytes);
      if (at + n > all.size()) return;
      data[t] =
          Bytes8(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
    }
  }

  void compare(const std::string& set, const std::string& run, const RunResult& planned, const RunResult& reference) {
    const std::size_t n = std::min(planned.trace.size(), reference.trace.size());
    for (std::size_t i = 0; i < n; ++i) {
      ++report_.outputs_compared;
      report_.bytes_compared += static_cast<std::int64_t>(planned.trace[i].data.size());
      const auto& a = planned.trace[i].data;
      const auto& b = reference.trace[i].data;
      if (a == b && planned.trace[i].op == reference.trace[i].op) continue;
      const auto op = static_cast<std::size_t>(reference.trace[i].op);
      if (op >= graph_.operators.size()) {
        report_.run_failures.push_back(
            fmt::format("{}: the separate run traced operator {}, which the model does "
                        "not have",
                        set, reference.trace[i].op));
        return;
      }
      const auto diff =
          static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
      const auto tensor = static_cast<std::size_t>(
          reference.trace[i].tensor >= 0 ? reference.trace[i].tensor : graph_.operators.at(op).outputs.at(0));
      add_mismatch(set, run, static_cast<std::int32_t>(op), tensor, diff, a, b);
      return;
    }
    if (planned.trace.size() != reference.trace.size()) {
      report_.run_failures.push_back(fmt::format("{}: the {} traced {} operator outputs, the separate run {}", set, run,
                                                 planned.trace.size(), reference.trace.size()));
      return;
    }
    // Every operator wrote the same values: a graph output can still have been overwritten later.
    std::size_t at = 0;
    for (std::int32_t t : graph_.outputs) {
      const auto bytes = static_cast<std::size_t>(graph_.tensors[static_cast<std::size_t>(t)].bytes);
      const Bytes8 a(planned.outputs.begin() + static_cast<std::ptrdiff_t>(at),
                     planned.outputs.begin() + static_cast<std::ptrdiff_t>(at + bytes));
      const Bytes8 b(reference.outputs.begin() + static_cast<std::ptrdiff_t>(at),
                     reference.outputs.begin() + static_cast<std::ptrdiff_t>(at + bytes));
      report_.bytes_compared += static_cast<std::int64_t>(bytes);
      if (a != b) {
        const auto diff =
            static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
        add_mismatch(set, run, -1, static_cast<std::size_t>(t), diff, a, b);
        return;
      }
      at += bytes;
    }
  }

  void add_mismatch(const std::string& set, const std::string& run, std::int32_t op, std::size_t tensor,
                    std::size_t byte, const Bytes8& planned, const Bytes8& reference) {
    ExecutionMismatch m;
    m.input_set = set;
    m.run = run;
    m.op = op;
    m.tensor = graph_.tensors[tensor].name;
    m.byte = static_cast<std::int64_t>(byte);
    m.planned = byte < planned.size() ? planned[byte] : -1;
    m.separate = byte < reference.size() ? reference[byte] : -1;
    m.buffers = involved_buffers(op, tensor);
    report_.mismatches.push_back(std::move(m));
  }

  std::string describe(std::int32_t b) const {
    const Buffer& buffer = lowered_.problem.buffers[static_cast<std::size_t>(b)];
    const Placement& at = plan_.placements[static_cast<std::size_t>(b)];
    std::string live;
    for (const Interval& i : buffer.live) live += fmt::format("{}{}-{}", live.empty() ? "" : ",", i.first, i.last - 1);
    return fmt::format("'{}' in pool '{}' bytes [{}, {}), live at steps {}", buffer.name,
                       lowered_.problem.pools[static_cast<std::size_t>(at.pool)].name, at.offset,
                       at.offset + buffer.size, live);
  }

  // The operator's operands, then every buffer that shares bytes with one of them while both are
  // live (which a correct plan never has).
  std::vector<std::string> involved_buffers(std::int32_t op, std::size_t tensor) const {
    std::vector<std::int32_t> mine;
    auto add = [&](std::int32_t t) {
      if (t < 0) return;
      const std::int32_t b = lowered_.tensor_buffer[static_cast<std::size_t>(t)];
      if (b >= 0 && std::find(mine.begin(), mine.end(), b) == mine.end()) mine.push_back(b);
    };
    if (op >= 0) {
      for (std::int32_t t : graph_.operators[static_cast<std::size_t>(op)].inputs) add(t);
      for (std::int32_t t : graph_.operators[static_cast<std::size_t>(op)].outputs) add(t);
    } else {
      add(static_cast<std::int32_t>(tensor));
    }
    std::vector<std::string> out;
    for (std::int32_t b : mine) out.push_back("operand " + describe(b));
    const auto& buffers = lowered_.problem.buffers;
    for (std::int32_t b : mine) {
      const Placement& p = plan_.placements[static_cast<std::size_t>(b)];
      for (std::size_t o = 0; o < buffers.size(); ++o) {
        const Placement& q = plan_.placements[o];
        if (static_cast<std::int32_t>(o) == b || q.pool != p.pool ||
            lowered_.problem.pools[static_cast<std::size_t>(p.pool)].read_only())
          continue;
        const bool bytes =
            q.offset < p.offset + buffers[static_cast<std::size_t>(b)].size && p.offset < q.offset + buffers[o].size;
        bool time = false;
        for (const Interval& x : buffers[static_cast<std::size_t>(b)].live)
          for (const Interval& y : buffers[o].live) time = time || (x.first < y.last && y.first < x.last);
        if (bytes && time)
          out.push_back(fmt::format("overlaps {} while both are live", describe(static_cast<std::int32_t>(o))));
      }
    }
    return out;
  }

  const Graph& graph_;
  const LoweredModel& lowered_;
  const Plan& plan_;
  const ExecutionOptions& options_;
  fs::path dir_;
  std::vector<std::string> sources_;
  std::vector<fs::path> library_files_;  // the kernel library's sources and headers, as emitted
  std::vector<Bytes8> given_inputs_;     // --inputs, read before the build
  ExecutionReport report_;
};

}  // namespace

ExecutionReport check_by_execution(const Graph& graph, const LoweredModel& lowered, const Plan& plan,
                                   const ExecutionOptions& options) {
  return Check(graph, lowered, plan, options).run();
}

}  // namespace arenaplan
