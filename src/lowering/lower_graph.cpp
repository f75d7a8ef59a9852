// Graph + kernel profile -> Problem: pools, one buffer per planned tensor (or group of aliased
// tensors), one per scratch request.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/lowering.h"
#include "kernels/kernel_ids.h"
#include "lowering/concat_slices.h"
#include "lowering/fold_pads.h"
#include "lowering/lifetimes.h"
#include "problem/align.h"

namespace arenaplan {
namespace {

constexpr Bytes kTflmBufferAlignment = 16;  // MicroArenaBufferAlignment(); sizes use AlignSizeUp(bytes, 16)

bool is_reshape_like(const Operator& op) {
  return !op.custom && (op.opcode == "RESHAPE" || op.opcode == "SQUEEZE" || op.opcode == "EXPAND_DIMS");
}

class Lowering {
 public:
  Lowering(const Graph& graph, const LoweringOptions& options) : original_(graph), options_(options) {}

  LoweredModel run() {
    if (options_.tflm_compat && !options_.io_in_arena)
      throw InputError(
          "TFLite Micro compatibility plans inputs and outputs in the arena, as TFLite Micro does; "
          "it cannot be combined with inputs and outputs outside the arena");
    if (!is_power_of_two(options_.alignment))
      throw InputError(fmt::format("alignment must be a power of two, not {}", options_.alignment));
    fold_pads();
    describe_operators();
    const lowering::Lifetimes lifetimes = options_.tflm_compat
                                              ? lowering::tflm_lifetimes(graph(), out_.operator_memory)
                                              : lowering::stage_lifetimes(graph(), out_.operator_memory);
    out_.steps = lifetimes.steps;
    out_.operator_steps = lifetimes.operators;
    make_pools();
    find_aliases(lifetimes);
    find_concat_slices(lifetimes);
    add_tensor_buffers(lifetimes);
    add_scratch_buffers(lifetimes);
    add_overlaps();
    warn_about_intermediates();
    drop_unused_pools();
    normalise(out_.problem, graph().source);
    return std::move(out_);
  }

 private:
  bool compat() const { return options_.tflm_compat; }
  const Graph& graph() const { return out_.graph(original_); }  // after fold_pads(): what the kernels run
  bool variables_apart() const { return compat() || options_.persistent_pool; }

  // Only the `arenaplan` kernels take explicit padding; TFLite Micro's keep the PAD.
  void fold_pads() {
    out_.folded_into.assign(original_.operators.size(), -1);
    if (!options_.fold_pads || compat() || options_.kernels != "arenaplan") return;
    std::optional<lowering::FoldedPads> folded = lowering::fold_pads(original_);
    if (!folded) return;
    out_.folded_into = std::move(folded->folded_into);
    out_.folded_graph = std::make_shared<const Graph>(std::move(folded->graph));
  }

  void describe_operators() {
    const KernelProfile& profile = kernel_profile(options_.kernels);
    for (std::size_t i = 0; i < graph().operators.size(); ++i) {
      if (out_.folded(i)) {  // one step that runs nothing
        OperatorMemory memory;
        memory.kernel = fmt::format("folded into operator {}", out_.folded_into[i]);
        out_.operator_memory.push_back(std::move(memory));
        continue;
      }
      OperatorMemory memory = options_.overlaps && !compat()
                                  ? profile.describe_overlapping(graph(), i, options_.halo_rings)
                                  : profile.describe(graph(), i);
      if (!memory.known)
        out_.warnings.push_back(fmt::format("{}: {}: kernel profile '{}' has no rule ({}); planned with no scratch",
                                            graph().source, graph().describe_operator(i), profile.name(),
                                            memory.kernel));
      out_.operator_memory.push_back(std::move(memory));
    }
  }

  void make_pools() {
    auto add = [&](std::string name, PoolKind kind) {
      Pool pool;
      pool.name = std::move(name);
      pool.kind = kind;
      pool.alignment = compat() ? kTflmBufferAlignment : options_.alignment;
      out_.problem.pools.push_back(std::move(pool));
      return static_cast<std::int32_t>(out_.problem.pools.size() - 1);
    };
    out_.arena_pool = add("arena", PoolKind::workspace);
    out_.constant_pool = add("constants", PoolKind::constant);
    out_.persistent_pool = add("persistent", PoolKind::persistent);
  }

  // Is the tensor planned as an ordinary arena buffer (not constant, variable or caller-owned)?
  bool in_arena(const Tensor& t, const lowering::Lifetimes& lifetimes, std::size_t index) const {
    if (!lifetimes.tensors[index] || t.bytes == 0 || t.is_constant || t.is_variable) return false;
    if (!options_.io_in_arena && (t.is_input || t.is_output)) return false;
    return true;
  }

  // RESHAPE / SQUEEZE / EXPAND_DIMS: the output reuses the input's bytes when nothing else reads
  // the input (TFLite Micro copies instead).
  void find_aliases(const lowering::Lifetimes& lifetimes) {
    out_.aliased_to.assign(graph().tensors.size(), -1);
    if (compat() ? !options_.tflm_inplace_reshape : !options_.alias_reshapes) return;
    const auto consumers = graph().consumers();
    for (const Operator& op : graph().operators) {
      const bool aliases = compat() ? !op.custom && op.opcode == "RESHAPE" : is_reshape_like(op);
      if (!aliases || op.inputs.empty() || op.outputs.size() != 1 || op.inputs[0] < 0) continue;
      const auto in = static_cast<std::size_t>(op.inputs[0]);
      const auto result = static_cast<std::size_t>(op.outputs[0]);
      const Tensor& a = graph().tensors[in];
      const Tensor& b = graph().tensors[result];
      if (!in_arena(a, lifetimes, in) || !in_arena(b, lifetimes, result)) continue;
      if (a.bytes != b.bytes || consumers[in].size() != 1 || a.is_output || (a.is_input && b.is_output)) continue;
      const std::int32_t root = out_.aliased_to[in] >= 0 ? out_.aliased_to[in] : static_cast<std::int32_t>(in);
      out_.aliased_to[result] = root;
    }
  }

  // An in-place CONCATENATION's inputs are slices of its output's buffer (only the `arenaplan`
  // kernels: TFLite Micro's copy).
  void find_concat_slices(const lowering::Lifetimes& lifetimes) {
    out_.tensor_offset.assign(graph().tensors.size(), 0);
    out_.tensor_pixel_stride.assign(graph().tensors.size(), 0);
    out_.concat_in_place.assign(graph().operators.size(), false);
    if (!options_.concat_in_place || compat() || options_.kernels != "arenaplan") return;
    // Producers whose kernels write output pixels with a stride (ap_conv_shape.out_pixel_stride).
    const auto strided = [&](std::size_t op) {
      const std::optional<kernels::KernelId> id = kernels::kernel_id(out_.operator_memory[op].kernel);
      using K = kernels::KernelId;
      return id && (*id == K::conv2d_s8 || *id == K::conv2d_f32 || *id == K::depthwise_conv2d_s8 ||
                    *id == K::depthwise_conv2d_f32 || *id == K::conv2d_s8_staged || *id == K::conv2d_f32_staged ||
                    *id == K::depthwise_conv2d_s8_ring || *id == K::depthwise_conv2d_f32_ring || *id == K::conv2d_u8 ||
                    *id == K::depthwise_conv2d_u8);
    };
    const lowering::ConcatSlices slices = lowering::find_concat_slices(
        graph(), [&](std::size_t t) { return in_arena(graph().tensors[t], lifetimes, t) && out_.aliased_to[t] < 0; },
        strided);
    for (std::size_t t = 0; t < graph().tensors.size(); ++t)
      if (slices.slice_of[t] >= 0) {
        // The output's own RESHAPE aliases keep it as their root.
        out_.aliased_to[t] = slices.slice_of[t];
        out_.tensor_offset[t] = slices.offset[t];
        out_.tensor_pixel_stride[t] = slices.pixel_stride[t];
      }
    out_.concat_in_place = slices.in_place;
  }

  std::string unique_name(std::string name) {
    if (names_.insert(name).second) return name;
    for (int k = 2;; ++k) {
      std::string candidate = fmt::format("{}#{}", name, k);
      if (names_.insert(candidate).second) return candidate;
    }
  }

  std::int32_t add_buffer(Buffer buffer) {
    buffer.name = unique_name(std::move(buffer.name));
    // Sizes are rounded up to the alignment (TFLite Micro: AlignSizeUp(bytes, 16)): each buffer
    // reserves whole aligned slots, so the live-set lower bound is attainable.
    buffer.alignment = compat() ? kTflmBufferAlignment : options_.alignment;
    buffer.size = align_up(buffer.size, buffer.alignment);
    out_.problem.buffers.push_back(std::move(buffer));
    return static_cast<std::int32_t>(out_.problem.buffers.size() - 1);
  }

  void add_tensor_buffers(const lowering::Lifetimes& lifetimes) {
    out_.tensor_buffer.assign(graph().tensors.size(), -1);
    const Interval whole_run{0, out_.steps};
    std::vector<std::int32_t> constant_buffer_of;  // stored buffer -> our buffer (shared weights)
    for (std::size_t t = 0; t < graph().tensors.size(); ++t) {
      const Tensor& tensor = graph().tensors[t];
      if (!lifetimes.tensors[t] || tensor.bytes == 0 || out_.aliased_to[t] >= 0) continue;
      Buffer b;
      b.name = tensor.name;
      b.size = tensor.bytes;
      b.tensor = static_cast<std::int64_t>(t);
      if (tensor.is_constant) {
        const auto stored = static_cast<std::size_t>(tensor.constant_buffer);
        if (stored < constant_buffer_of.size() && constant_buffer_of[stored] >= 0) {
          out_.tensor_buffer[t] = constant_buffer_of[stored];
          continue;
        }
        b.kind = BufferKind::constant;
        b.live = {whole_run};
        b.pools = {out_.constant_pool};
        out_.tensor_buffer[t] = add_buffer(std::move(b));
        if (stored >= constant_buffer_of.size()) constant_buffer_of.resize(stored + 1, -1);
        constant_buffer_of[stored] = out_.tensor_buffer[t];
        continue;
      }
      if (tensor.is_variable) {
        b.kind = BufferKind::variable;
        b.live = {whole_run};
        b.pools = {variables_apart() ? out_.persistent_pool : out_.arena_pool};
        out_.tensor_buffer[t] = add_buffer(std::move(b));
        continue;
      }
      if (!in_arena(tensor, lifetimes, t)) continue;  // caller-owned input or output
      b.kind = tensor.is_input ? BufferKind::input : tensor.is_output ? BufferKind::output : BufferKind::activation;
      b.live = {*lifetimes.tensors[t]};
      b.pools = {out_.arena_pool};
      out_.tensor_buffer[t] = add_buffer(std::move(b));
    }
    // Aliases share their root's buffer, which then lives as long as any of them.
    for (std::size_t t = 0; t < graph().tensors.size(); ++t) {
      if (out_.aliased_to[t] < 0) continue;
      const std::int32_t buffer = out_.tensor_buffer[out_.aliased_to[t]];
      out_.tensor_buffer[t] = buffer;
      Buffer& b = out_.problem.buffers[buffer];
      const Interval range = *lifetimes.tensors[t];
      b.live[0].first = std::min(b.live[0].first, range.first);
      b.live[0].last = std::max(b.live[0].last, range.last);
      if (graph().tensors[t].is_output && b.kind == BufferKind::activation) b.kind = BufferKind::output;
    }
  }

  void add_scratch_buffers(const lowering::Lifetimes& lifetimes) {
    for (std::size_t i = 0; i < graph().operators.size(); ++i) {
      const auto& requests = out_.operator_memory[i].scratch;
      for (std::size_t k = 0; k < requests.size(); ++k) {
        if (requests[k].size == 0) continue;
        Buffer b;
        b.name = fmt::format("op{}.{}.scratch{}", i, graph().operators[i].opcode, k);
        b.size = requests[k].size;
        b.kind = BufferKind::scratch;
        b.op = static_cast<std::int64_t>(i);
        b.live = {lifetimes.scratch[i][k]};
        b.pools = {out_.arena_pool};
        add_buffer(std::move(b));
      }
    }
  }

  // The kernel's overlaps become allowances on the output's buffer (aliases: the root's) where
  // the input dies at the operator's writing stage and both are ordinary arena buffers. A graph
  // output never dies there; a graph input may be overwritten once read, as TFLite Micro's
  // planner reuses it too.
  void add_overlaps() {
    Problem& p = out_.problem;
    for (std::size_t i = 0; i < graph().operators.size(); ++i) {
      const Operator& op = graph().operators[i];
      const OperatorMemory& memory = out_.operator_memory[i];
      const Step writes = out_.operator_steps[i].first + memory.output_first_stage;
      for (const OperandOverlap& o : memory.overlaps) {
        if (o.input >= op.inputs.size() || o.output >= op.outputs.size() || op.inputs[o.input] < 0) continue;
        const std::int32_t x = out_.tensor_buffer[static_cast<std::size_t>(op.inputs[o.input])];
        const std::int32_t y = out_.tensor_buffer[static_cast<std::size_t>(op.outputs[o.output])];
        if (x < 0 || y < 0 || x == y) continue;
        const auto in_tensor = static_cast<std::size_t>(op.inputs[o.input]);
        const auto out_tensor = static_cast<std::size_t>(op.outputs[o.output]);
        if (out_.tensor_offset[in_tensor] != 0) continue;         // an input inside a buffer: not stated
        if (out_.tensor_pixel_stride[out_tensor] != 0) continue;  // strided writes: not the kernel's distance
        const Buffer& bx = p.buffers[static_cast<std::size_t>(x)];
        Buffer& by = p.buffers[static_cast<std::size_t>(y)];
        const bool arena = bx.pools == std::vector<std::int32_t>{out_.arena_pool} && by.pools == bx.pools;
        const bool dies_here =
            bx.live.size() == 1 && by.live.size() == 1 && bx.live[0].last == writes + 1 && by.live[0].first == writes;
        const bool ordinary = bx.kind == BufferKind::activation || bx.kind == BufferKind::input;
        if (!arena || !dies_here || !ordinary) continue;
        auto same = std::find_if(by.overlaps.begin(), by.overlaps.end(),
                                 [&](const OverlapAllowance& a) { return a.with == x; });
        // An output written into its slice of a concatenation lands `offset` bytes into its buffer.
        const Bytes distance = o.distance + out_.tensor_offset[out_tensor];
        if (same == by.overlaps.end())
          by.overlaps.push_back({x, distance});
        else
          same->distance = std::max(same->distance, distance);  // the same tensor read twice (ADD(x, x))
      }
    }
  }

  void warn_about_intermediates() {
    for (std::size_t i = 0; i < graph().operators.size(); ++i)
      for (std::int32_t t : graph().operators[i].intermediates)
        if (graph().tensors[t].bytes > 0 && out_.tensor_buffer[t] < 0)
          out_.warnings.push_back(fmt::format("{}: {}: intermediate tensor '{}' ({} bytes) is not planned",
                                              graph().source, graph().describe_operator(i), graph().tensors[t].name,
                                              graph().tensors[t].bytes));
  }

  // Pools nobody uses are removed (the arena always stays), and pool indices renumbered.
  void drop_unused_pools() {
    Problem& p = out_.problem;
    std::vector<bool> used(p.pools.size(), false);
    used[out_.arena_pool] = true;
    for (const Buffer& b : p.buffers) used[b.pools[0]] = true;
    std::vector<std::int32_t> renumber(p.pools.size(), -1);
    std::vector<Pool> kept;
    for (std::size_t i = 0; i < p.pools.size(); ++i)
      if (used[i]) {
        renumber[i] = static_cast<std::int32_t>(kept.size());
        kept.push_back(p.pools[i]);
      }
    p.pools = std::move(kept);
    for (Buffer& b : p.buffers) b.pools[0] = renumber[b.pools[0]];
    out_.arena_pool = renumber[out_.arena_pool];
    out_.constant_pool = renumber[out_.constant_pool];
    out_.persistent_pool = renumber[out_.persistent_pool];
  }

  const Graph& original_;
  const LoweringOptions& options_;
  LoweredModel out_;
  std::set<std::string> names_;
};

}  // namespace

LoweredModel lower_graph(const Graph& graph, const LoweringOptions& options) { return Lowering(graph, options).run(); }

}  // namespace arenaplan
