#include "kernels/shape_geometry.h"

#include "kernels/generic_geometry.h"

#include <algorithm>

#include <fmt/format.h>

namespace arenaplan::kernels {

std::optional<Dims> dims_of(const Tensor& t) {
  if (t.shape.size() > kMaxDims) return std::nullopt;
  Dims d;
  d.fill(1);
  std::copy(t.shape.begin(), t.shape.end(), d.begin() + static_cast<std::ptrdiff_t>(kMaxDims - t.shape.size()));
  for (std::int64_t x : d)
    if (x <= 0) return std::nullopt;
  return d;
}

namespace {

// An axis attribute or constant in [-rank, rank) as a non-negative axis.
std::int64_t resolved_axis(const OperatorView& v, std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) v.fail(fmt::format("axis {} is outside a tensor of rank {}", axis, rank));
  return axis < 0 ? axis + r : axis;
}

// The shape without `axis`; two tensors fit a concatenation when these agree.
std::vector<std::int64_t> without_axis(const Tensor& t, std::int64_t axis) {
  std::vector<std::int64_t> s = t.shape;
  s.erase(s.begin() + axis);
  return s;
}

std::optional<AxisGeometry> along_axis(const OperatorView& v, const Tensor& whole, std::int64_t axis,
                                       const std::vector<const Tensor*>& parts) {
  if (whole.shape.empty() || !dims_of(whole)) return std::nullopt;
  const auto a = static_cast<std::size_t>(resolved_axis(v, axis, whole.shape.size()));
  AxisGeometry g;
  for (std::size_t d = 0; d < whole.shape.size(); ++d) {
    if (d < a) g.outer *= whole.shape[d];
    if (d > a) g.inner *= whole.shape[d];
  }
  std::int64_t total = 0;
  for (const Tensor* part : parts) {
    if (part->shape.size() != whole.shape.size() ||
        without_axis(*part, static_cast<std::int64_t>(a)) != without_axis(whole, static_cast<std::int64_t>(a)))
      v.fail(fmt::format("tensor '{}' does not match '{}' outside axis {}", part->name, whole.name, a));
    g.axis_sizes.push_back(part->shape[a]);
    total += part->shape[a];
  }
  if (total != whole.shape[a]) v.fail(fmt::format("the parts along axis {} do not add up to '{}'", a, whole.name));
  return g;
}

}  // namespace

std::optional<PadGeometry> pad_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const auto shape = dims_of(in);
  const auto paddings = v.constant_ints(1);
  if (!shape || !paddings) return std::nullopt;
  const std::size_t rank = in.shape.size();
  if (paddings->size() != 2 * rank) v.fail("paddings are not [rank, 2]");
  PadGeometry g;
  g.in_shape = *shape;
  const std::size_t lead = kMaxDims - rank;
  for (std::size_t d = 0; d < rank; ++d) {
    g.before[lead + d] = (*paddings)[2 * d];
    g.after[lead + d] = (*paddings)[2 * d + 1];
    if (g.before[lead + d] < 0 || g.after[lead + d] < 0) v.fail("negative padding");
    if (v.output(0).shape.size() != rank ||
        v.output(0).shape[d] != g.before[lead + d] + in.shape[d] + g.after[lead + d])
      v.fail("output shape differs from the padded input");
  }
  return g;
}

std::optional<SliceGeometry> slice_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const auto shape = dims_of(in);
  const bool strided = v.op().opcode == "STRIDED_SLICE";
  const auto begin = v.constant_ints(1);
  const auto end = v.constant_ints(2);
  const auto strides = strided
                           ? v.constant_ints(3)
                           : std::optional<std::vector<std::int64_t>>(std::vector<std::int64_t>(in.shape.size(), 1));
  if (!shape || !begin || !end || !strides) return std::nullopt;
  if (strided &&
      (v.attribute("ellipsis_mask", 0) != 0 || v.attribute("new_axis_mask", 0) != 0 || v.attribute("offset", 0) != 0))
    return std::nullopt;
  const std::size_t rank = in.shape.size();
  if (begin->size() != rank || end->size() != rank || strides->size() != rank)
    v.fail("begin, end and strides do not have one value per input dimension");
  SliceGeometry g;
  g.in_shape = *shape;
  g.start.fill(0);
  g.stride.fill(1);
  g.out_shape.fill(1);
  const std::size_t lead = kMaxDims - rank;
  const std::int64_t begin_mask = v.attribute("begin_mask", 0), end_mask = v.attribute("end_mask", 0);
  const std::int64_t shrink = v.attribute("shrink_axis_mask", 0);
  std::int64_t elements = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::int64_t size = in.shape[d];
    std::int64_t start = (*begin)[d], stop = 0;
    const std::int64_t stride = (*strides)[d];
    if (stride == 0) v.fail("stride 0");
    if (strided) {
      // TFLite's StartForAxis / StopForAxis (strided_slice_logic.h).
      const bool shrunk = ((shrink >> d) & 1) != 0;
      if (((begin_mask >> d) & 1) != 0 && !shrunk) start = stride > 0 ? 0 : size - 1;
      if (start < 0) start += size;
      start = stride > 0 ? std::clamp<std::int64_t>(start, 0, size) : std::clamp<std::int64_t>(start, -1, size - 1);
      if (shrunk) {
        stop = start + 1;
      } else {
        stop = (*end)[d];
        if (((end_mask >> d) & 1) != 0)
          stop = stride > 0 ? size : -1;
        else if (stop < 0)
          stop += size;
        stop = stride > 0 ? std::clamp<std::int64_t>(stop, 0, size) : std::clamp<std::int64_t>(stop, -1, size - 1);
      }
    } else {
      // SLICE: begin and size (-1: to the end).
      if (start < 0 || start > size) v.fail("slice begin outside the input");
      const std::int64_t count = (*end)[d] == -1 ? size - start : (*end)[d];
      if (count < 0 || start + count > size) v.fail("slice size outside the input");
      stop = start + count;
    }
    const std::int64_t span = stride > 0 ? stop - start : start - stop;
    const std::int64_t step = stride > 0 ? stride : -stride;
    const std::int64_t count = span <= 0 ? 0 : (span + step - 1) / step;
    if (count == 0) return std::nullopt;  // an empty output: nothing to run
    g.start[lead + d] = start;
    g.stride[lead + d] = stride;
    g.out_shape[lead + d] = count;
    elements *= count;
  }
  if (elements != v.output(0).elements()) v.fail("output size differs from the slice");
  return g;
}

std::optional<AxisGeometry> concat_geometry(const OperatorView& v) {
  if (v.op().opcode == "PACK") return stack_geometry(v);
  std::vector<const Tensor*> parts;
  for (std::size_t i = 0; i < v.input_count(); ++i) parts.push_back(&v.input(i));
  return along_axis(v, v.output(0), v.attribute("axis", 0), parts);
}

std::optional<AxisGeometry> split_geometry(const OperatorView& v) {
  if (v.op().opcode == "UNPACK") return stack_geometry(v);
  const bool split_v = v.op().opcode == "SPLIT_V";
  const auto axis = v.constant_ints(split_v ? 2 : 0);
  if (!axis || axis->size() != 1) return std::nullopt;
  std::vector<const Tensor*> parts;
  for (std::size_t i = 0; i < v.output_count(); ++i) parts.push_back(&v.output(i));
  return along_axis(v, v.input(split_v ? 0 : 1), axis->front(), parts);
}

std::optional<GatherGeometry> gather_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const Tensor& indices = v.input(1);
  if (in.shape.empty() || v.attribute("batch_dims", 0) != 0) return std::nullopt;
  if (indices.type != DataType::int32 && indices.type != DataType::int64) return std::nullopt;
  const auto axis = static_cast<std::size_t>(resolved_axis(v, v.attribute("axis", 0), in.shape.size()));
  GatherGeometry g;
  for (std::size_t d = 0; d < in.shape.size(); ++d) {
    if (d < axis) g.outer *= in.shape[d];
    if (d > axis) g.inner *= in.shape[d];
  }
  g.axis_size = in.shape[axis];
  g.count = indices.elements();
  if (v.output(0).elements() != g.outer * g.count * g.inner) v.fail("output size differs from the gathered slices");
  return g;
}

std::optional<ReduceGeometry> reduce_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const auto shape = dims_of(in);
  const auto axes = v.constant_ints(1);
  if (!shape || !axes || in.shape.empty()) return std::nullopt;
  ReduceGeometry g;
  g.in_shape = *shape;
  const std::size_t lead = kMaxDims - in.shape.size();
  for (std::int64_t axis : *axes)
    g.reduce[lead + static_cast<std::size_t>(resolved_axis(v, axis, in.shape.size()))] = true;
  std::int64_t kept = 1;
  for (std::size_t d = 0; d < kMaxDims; ++d)
    if (!g.reduce[d]) kept *= g.in_shape[d];
  if (kept != v.output(0).elements()) v.fail("output size differs from the reduced input");
  return g;
}

std::optional<BroadcastGeometry> broadcast_geometry(const OperatorView& v) {
  const auto a = dims_of(v.input(0)), b = dims_of(v.input(1)), out = dims_of(v.output(0));
  if (!a || !b || !out) return std::nullopt;
  BroadcastGeometry g;
  g.out_shape = *out;
  std::int64_t stride_a = 1, stride_b = 1;
  for (std::size_t d = kMaxDims; d-- > 0;) {
    const std::int64_t n = g.out_shape[d];
    if (((*a)[d] != n && (*a)[d] != 1) || ((*b)[d] != n && (*b)[d] != 1) || n != std::max((*a)[d], (*b)[d]))
      v.fail("input shapes do not broadcast to the output shape");
    g.stride1[d] = (*a)[d] == 1 ? 0 : stride_a;
    g.stride2[d] = (*b)[d] == 1 ? 0 : stride_b;
    stride_a *= (*a)[d];
    stride_b *= (*b)[d];
  }
  return g;
}

WindowGeometry conv_geometry(const OperatorView& v, bool depthwise) {
  const Tensor& input = v.input(0);
  const Tensor& filter = v.input(1);
  const Tensor& output = v.output(0);
  WindowGeometry g;
  g.stride_h = v.attribute("stride_h", 1);
  g.stride_w = v.attribute("stride_w", 1);
  g.dilation_h = v.attribute("dilation_h", 1);
  g.dilation_w = v.attribute("dilation_w", 1);
  g.in_c = v.dim(input, 3);
  g.out_c = v.dim(output, 3);
  if (v.dim(input, 0) != v.dim(output, 0)) v.fail("input and output batch sizes differ");
  if (depthwise ? (v.dim(filter, 3) != g.out_c || g.in_c <= 0 || g.out_c % g.in_c != 0)
                : (v.dim(filter, 0) != g.out_c || v.dim(filter, 3) != g.in_c))
    v.fail("filter shape does not match the input and output channels");
  g.batches = v.dim(input, 0);
  g.in_h = v.dim(input, 1);
  g.in_w = v.dim(input, 2);
  g.out_h = v.dim(output, 1);
  g.out_w = v.dim(output, 2);
  g.filter_h = v.dim(filter, 1);
  g.filter_w = v.dim(filter, 2);
  g.pad_h = v.padding_before(true, g.in_h, g.out_h, g.filter_h, g.stride_h, g.dilation_h);
  g.pad_w = v.padding_before(false, g.in_w, g.out_w, g.filter_w, g.stride_w, g.dilation_w);
  g.depth_multiplier = depthwise ? g.out_c / g.in_c : 1;
  return g;
}

WindowGeometry pool_geometry(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const Tensor& output = v.output(0);
  if (v.dim(input, 3) != v.dim(output, 3) || v.dim(input, 0) != v.dim(output, 0))
    v.fail("pooling changes batches or depth");
  WindowGeometry g;
  g.batches = v.dim(input, 0);
  g.in_h = v.dim(input, 1);
  g.in_w = v.dim(input, 2);
  g.in_c = g.out_c = v.dim(input, 3);
  g.out_h = v.dim(output, 1);
  g.out_w = v.dim(output, 2);
  g.filter_h = v.attribute("filter_h", 1);
  g.filter_w = v.attribute("filter_w", 1);
  g.stride_h = v.attribute("stride_h", 1);
  g.stride_w = v.attribute("stride_w", 1);
  g.pad_h = v.padding(g.in_h, g.filter_h, g.stride_h, 1);
  g.pad_w = v.padding(g.in_w, g.filter_w, g.stride_w, 1);
  return g;
}

}  // namespace arenaplan::kernels
