// The Signal library calls. The FFT's twiddle factors are computed here as kiss_fft computes
// them at run time in TFLite Micro (double precision, floor(0.5 + 32767 * cos)), so the device
// needs no math library. The spectral subtraction's noise estimate is a zero-initialised static
// array of the model file: state that lasts across runs, like TFLite Micro's persistent buffer.
#include "emit/c_signal.h"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace arenaplan::c_out {
namespace {

using kernels::KernelId;
using kernels::OperatorView;

class SignalEmitter {
 public:
  SignalEmitter(const OperatorView& v, const OperandPointers& p, const std::string& sym, KernelCall& call)
      : v_(v), p_(p), sym_(sym), call_(call) {}

  void emit(KernelId id) {
    const std::string f(kernels::kernel_function(id));
    const std::int64_t n = v_.output(0).elements();
    switch (id) {
      case KernelId::signal_window:
        call(f, {count(v_.input(0).elements()), count(v_.input(1).elements()), opt("shift"), in(0, "int16_t"),
                 in(1, "int16_t"), out(0, "int16_t")});
        break;
      case KernelId::signal_fft_auto_scale:
        call(f, {count(n), in(0, "int16_t"), out(0, "int16_t"), out(1, "int32_t")});
        break;
      case KernelId::signal_rfft_s16: rfft(f); break;
      case KernelId::signal_energy:
        call(f, {count(n), opt("start_index"), opt("end_index"), in(0, "int16_t"), out(0, "uint32_t")});
        break;
      case KernelId::signal_filter_bank:
        define("ap_filter_bank_params", "params",
               fmt::format(".channels = {}, .weights = {}, .unweights = {}, .frequency_starts = {}, "
                           ".weight_starts = {}, .widths = {}",
                           opt("num_channels"), in(1, "int16_t"), in(2, "int16_t"), in(3, "int16_t"), in(4, "int16_t"),
                           in(5, "int16_t")));
        call(f, {"&" + sym_ + "params", in(0, "uint32_t"), out(0, "uint64_t")});
        break;
      case KernelId::signal_filter_bank_sqrt:
        call(f, {count(n), in(0, "uint64_t"), in(1, "int32_t"), out(0, "uint32_t")});
        break;
      case KernelId::signal_spectral_subtraction: spectral_subtraction(f, n); break;
      case KernelId::signal_pcan:
        call(f,
             {count(n), opt("snr_shift"), in(0, "uint32_t"), in(1, "uint32_t"), in(2, "int16_t"), out(0, "uint32_t")});
        break;
      case KernelId::signal_filter_bank_log:
        call(f, {count(n), opt("output_scale"), opt("input_correction_bits"), in(0, "uint32_t"), out(0, "int16_t")});
        break;
      default: v_.fail("not a Signal library kernel");
    }
  }

 private:
  std::string in(std::size_t i, const char* type) const {
    return fmt::format("(const {}*)({})", type, p_.inputs.at(i));
  }
  std::string out(std::size_t i, const char* type) const { return fmt::format("({}*)({})", type, p_.outputs.at(i)); }
  std::string count(std::int64_t value) const {
    if (value < 0 || value > INT32_MAX) v_.fail(fmt::format("{} elements do not fit the kernel's int32", value));
    return fmt::to_string(value);
  }
  // Options are range-checked by the profile; uint32 ones are written as unsigned literals.
  std::string opt(const char* key) const {
    const std::int64_t value = v_.attribute(key, 0);
    return value > INT32_MAX ? fmt::format("{}u", value) : fmt::to_string(value);
  }
  void call(const std::string& f, const std::vector<std::string>& args) {
    call_.statement = fmt::format("{}({});", f, fmt::join(args, ", "));
  }
  void define(const char* type, const char* what, const std::string& members) {
    call_.definitions += fmt::format("static const {} {}{} = {{{}}};\n", type, sym_, what, members);
  }
  void table(const char* what, const std::vector<std::int32_t>& values) {
    call_.definitions +=
        fmt::format("static const int16_t {}{}[{}] = {{{}}};\n", sym_, what, values.size(), fmt::join(values, ", "));
  }

  // kiss_fft's kf_cexp in Q15, with its own expressions for the phases.
  static void q15_unit(std::vector<std::int32_t>& out, double phase) {
    out.push_back(static_cast<std::int32_t>(std::floor(0.5 + 32767 * std::cos(phase))));
    out.push_back(static_cast<std::int32_t>(std::floor(0.5 + 32767 * std::sin(phase))));
  }

  void rfft(const std::string& f) {
    constexpr double kPi = 3.14159265358979323846264338327;
    const std::int64_t fft_length = v_.attribute("fft_length", 0), half = fft_length / 2;
    std::vector<std::int32_t> twiddles, super;
    for (std::int64_t i = 0; i < half; ++i)
      q15_unit(twiddles, -2 * kPi * static_cast<double>(i) / static_cast<double>(half));
    for (std::int64_t i = 0; i < half / 2; ++i)
      q15_unit(super, -kPi * (static_cast<double>(i + 1) / static_cast<double>(half) + .5));
    table("twiddles", twiddles);
    table("super_twiddles", super);
    const std::int64_t length = v_.dim(v_.input(0), -1);
    define("ap_rfft_params", "params",
           fmt::format(".fft_length = {}, .input_length = {}, .frames = {}, .twiddles = {}twiddles, "
                       ".super_twiddles = {}super_twiddles",
                       count(fft_length), count(length), count(v_.input(0).elements() / length), sym_, sym_));
    call(f,
         {"&" + sym_ + "params", in(0, "int16_t"), fmt::format("(int16_t*)({})", p_.scratch.at(0)), out(0, "int16_t")});
  }

  void spectral_subtraction(const std::string& f, std::int64_t n) {
    define("ap_spectral_subtraction_params", "params",
           fmt::format(".channels = {}, .smoothing = {}, .one_minus_smoothing = {}, .alternate_smoothing = {}, "
                       ".alternate_one_minus_smoothing = {}, .min_signal_remaining = {}, .smoothing_bits = {}, "
                       ".spectral_subtraction_bits = {}, .clamping = {}",
                       count(n), opt("smoothing"), opt("one_minus_smoothing"), opt("alternate_smoothing"),
                       opt("alternate_one_minus_smoothing"), opt("min_signal_remaining"), opt("smoothing_bits"),
                       opt("spectral_subtraction_bits"), opt("clamping")));
    call_.definitions += fmt::format("static uint32_t {}noise_estimate[{}]; /* state across runs */\n", sym_, n);
    call(f,
         {"&" + sym_ + "params", in(0, "uint32_t"), sym_ + "noise_estimate", out(0, "uint32_t"), out(1, "uint32_t")});
  }

  const OperatorView& v_;
  const OperandPointers& p_;
  const std::string& sym_;
  KernelCall& call_;
};

}  // namespace

void signal_call(const OperatorView& v, KernelId id, const OperandPointers& p, const std::string& symbol,
                 KernelCall& call) {
  SignalEmitter(v, p, symbol, call).emit(id);
}

}  // namespace arenaplan::c_out
