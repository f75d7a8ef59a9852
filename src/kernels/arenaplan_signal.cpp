// The `arenaplan` profile's TFLite Micro Signal library operators (runtime/kernels_signal.c):
// each rule checks the types, shapes and options the kernel relies on, so that the generated
// code never reads or writes outside its operands; a malformed option or table is an input
// error naming the operator. Only SignalRfft needs scratch (its zero-padded work frame, as
// TFLite Micro's Prepare requests); the spectral subtraction's noise estimate is state the
// generated code keeps beside the pools (see src/emit/c_signal.cpp).
#include <array>
#include <bit>

#include <fmt/format.h>

#include "kernels/kernel_ids.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

OperatorMemory runs(KernelId id) { return no_scratch(kernel_function(id)); }

bool types(const OperatorView& v, std::initializer_list<DataType> inputs, std::initializer_list<DataType> outputs) {
  if (v.input_count() != inputs.size() || v.output_count() != outputs.size()) return false;
  std::size_t i = 0;
  for (DataType t : inputs)
    if (v.input(i++).type != t) return false;
  i = 0;
  for (DataType t : outputs)
    if (v.output(i++).type != t) return false;
  return true;
}

// A custom option the kernel needs, within [lo, hi].
std::int64_t option(const OperatorView& v, const char* key, std::int64_t lo, std::int64_t hi) {
  const std::int64_t value = v.attribute(key, lo - 1);
  if (value < lo || value > hi)
    v.fail(fmt::format("custom option '{}' must be in [{}, {}]{}", key, lo, hi,
                       v.op().attributes.contains(key) ? fmt::format(", it is {}", value) : ", it is missing"));
  return value;
}

std::optional<OperatorMemory> window(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {int16, int16}, {int16})) return not_modelled("SignalWindow takes int16 input and weights");
  const std::int64_t weights = v.input(1).elements();
  if (weights <= 0 || v.input(0).elements() % weights != 0 || v.output(0).elements() != v.input(0).elements())
    v.fail("SignalWindow's input is not a whole number of windows, or its output differs in size");
  option(v, "shift", 0, 31);
  return runs(KernelId::signal_window);
}

std::optional<OperatorMemory> fft_auto_scale(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {int16}, {int16, int32})) return not_modelled("SignalFftAutoScale takes int16");
  if (v.output(0).elements() != v.input(0).elements() || v.output(1).elements() != 1)
    v.fail("SignalFftAutoScale needs an output as large as its input and a one-element scale");
  return runs(KernelId::signal_fft_auto_scale);
}

// SignalRfft int16: frames of the input's last dimension, each zero-padded to fft_length in the
// work buffer (fft_length int16, the same request as TFLite Micro's RfftPrepare).
std::optional<OperatorMemory> rfft(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {int16}, {int16})) return not_modelled("SignalRfft: only the int16 FFT has a kernel");
  const std::int64_t fft_length = option(v, "fft_length", 4, std::int64_t{1} << 20);
  if (!std::has_single_bit(static_cast<std::uint64_t>(fft_length)))
    return not_modelled("SignalRfft with an fft_length that is not a power of two");
  const Tensor& input = v.input(0);
  const Tensor& output = v.output(0);
  const std::int64_t length = v.dim(input, -1);
  if (length <= 0 || length > fft_length || v.dim(output, -1) != fft_length + 2 ||
      output.elements() != input.elements() / length * (fft_length + 2))
    v.fail(
        "SignalRfft's input frames are longer than fft_length or its output is not fft_length / 2 + 1 "
        "complex values per frame");
  OperatorMemory m = runs(KernelId::signal_rfft_s16);
  m.scratch = {{checked_product(v, {fft_length, 2}), "FFT work buffer", 0, 0}};
  return m;
}

std::optional<OperatorMemory> energy(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {int16}, {uint32})) return not_modelled("SignalEnergy takes int16 complex values");
  const std::int64_t n = v.output(0).elements();
  if (v.input(0).elements() != 2 * n) v.fail("SignalEnergy needs one output per complex input");
  const std::int64_t start = option(v, "start_index", 0, n);
  option(v, "end_index", start, n);
  return runs(KernelId::signal_energy);
}

// The five int16 tables must be constants whose every channel stays inside the input and the
// weights.
std::optional<OperatorMemory> filter_bank(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {uint32, int16, int16, int16, int16, int16}, {uint64}))
    return not_modelled("SignalFilterBank takes uint32 energies and int16 tables");
  const std::int64_t channels = option(v, "num_channels", 1, INT32_MAX - 1);
  if (v.output(0).elements() != channels) v.fail("SignalFilterBank's output is not num_channels values");
  std::array<std::vector<std::int64_t>, 5> tables;
  for (std::size_t i = 0; i < 5; ++i) {
    auto values = v.constant_ints(i + 1);
    if (!values) return not_modelled("SignalFilterBank with tables that are not constants");
    tables[i] = std::move(*values);
  }
  const auto& [weights, unweights, freq, starts, widths] = tables;
  if (unweights.size() != weights.size() || freq.size() <= static_cast<std::size_t>(channels) ||
      starts.size() <= static_cast<std::size_t>(channels) || widths.size() <= static_cast<std::size_t>(channels))
    v.fail("SignalFilterBank's tables are shorter than num_channels + 1");
  const auto inputs = static_cast<std::int64_t>(v.input(0).elements());
  for (std::size_t c = 0; c <= static_cast<std::size_t>(channels); ++c)
    if (freq[c] < 0 || starts[c] < 0 || widths[c] < 0 || freq[c] + widths[c] > inputs ||
        starts[c] + widths[c] > static_cast<std::int64_t>(weights.size()))
      v.fail(fmt::format("SignalFilterBank's channel {} reaches outside the input or the weights", c));
  return runs(KernelId::signal_filter_bank);
}

std::optional<OperatorMemory> filter_bank_sqrt(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {uint64, int32}, {uint32})) return not_modelled("SignalFilterBankSquareRoot takes uint64");
  if (v.output(0).elements() != v.input(0).elements() || v.input(1).elements() != 1)
    v.fail("SignalFilterBankSquareRoot needs an output per input and a one-element shift");
  return runs(KernelId::signal_filter_bank_sqrt);
}

std::optional<OperatorMemory> spectral_subtraction(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {uint32}, {uint32, uint32})) return not_modelled("SignalFilterBankSpectralSubtraction takes uint32");
  const std::int64_t n = v.input(0).elements();
  if (v.output(0).elements() != n || v.output(1).elements() != n || option(v, "num_channels", 1, INT32_MAX) != n)
    v.fail("SignalFilterBankSpectralSubtraction's outputs and num_channels must match its input");
  for (const char* key : {"smoothing", "one_minus_smoothing", "alternate_smoothing", "alternate_one_minus_smoothing",
                          "min_signal_remaining"})
    option(v, key, 0, UINT32_MAX);
  option(v, "smoothing_bits", 0, 31);
  option(v, "spectral_subtraction_bits", 0, 63);
  return runs(KernelId::signal_spectral_subtraction);
}

// The gain table covers every octave of a uint32 (4 * 32 - 3 entries, as TFLite Micro's
// WideDynamicFunction indexes it).
std::optional<OperatorMemory> pcan(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {uint32, uint32, int16}, {uint32})) return not_modelled("SignalPCAN takes uint32 and an int16 table");
  const std::int64_t n = v.input(0).elements();
  if (v.input(1).elements() != n || v.output(0).elements() != n)
    v.fail("SignalPCAN's noise estimate and output must match its input");
  if (v.input(2).elements() < 4 * 32 - 3) v.fail("SignalPCAN's gain table has fewer than 125 entries");
  option(v, "snr_shift", 0, 63);
  return runs(KernelId::signal_pcan);
}

std::optional<OperatorMemory> filter_bank_log(const OperatorView& v) {
  using enum DataType;
  if (!types(v, {uint32}, {int16})) return not_modelled("SignalFilterBankLog takes uint32");
  if (v.output(0).elements() != v.input(0).elements()) v.fail("SignalFilterBankLog needs an output per input");
  option(v, "input_correction_bits", 0, 31);
  option(v, "output_scale", 0, UINT32_MAX);
  return runs(KernelId::signal_filter_bank_log);
}

constexpr std::array<Rule, 9> kSignalRules{{
    {"SignalWindow", "ap_signal_window", window},
    {"SignalFftAutoScale", "ap_signal_fft_auto_scale", fft_auto_scale},
    {"SignalRfft", "ap_signal_rfft_s16", rfft},
    {"SignalEnergy", "ap_signal_energy", energy},
    {"SignalFilterBank", "ap_signal_filter_bank", filter_bank},
    {"SignalFilterBankSquareRoot", "ap_signal_filter_bank_sqrt", filter_bank_sqrt},
    {"SignalFilterBankSpectralSubtraction", "ap_signal_spectral_subtraction", spectral_subtraction},
    {"SignalPCAN", "ap_signal_pcan", pcan},
    {"SignalFilterBankLog", "ap_signal_filter_bank_log", filter_bank_log},
}};

}  // namespace

std::span<const Rule> arenaplan_signal_rules() { return kSignalRules; }

}  // namespace arenaplan::kernels
