// The `arenaplan` profile's Signal library rules on the two audio preprocessor models: every
// operator gets a kernel, SignalRfft its work buffer, and options or tables that would make a
// kernel read or write outside its operands are input errors naming the operator.
#include <gtest/gtest.h>

#include "arenaplan/error.h"
#include "arenaplan/kernels.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

std::size_t op_named(const Graph& g, const std::string& opcode) {
  for (std::size_t i = 0; i < g.operators.size(); ++i)
    if (g.operators[i].opcode == opcode) return i;
  ADD_FAILURE() << "no " << opcode;
  return 0;
}

OperatorMemory arenaplan_kernel(const Graph& g, std::size_t op) { return kernel_profile("arenaplan").describe(g, op); }

TEST(SignalProfile, EveryOperatorOfBothAudioModelsHasAKernel) {
  for (const char* name : {"tflm_audio_preprocessor_int8", "tflm_audio_preprocessor_float"}) {
    const Graph g = test::model(name);
    for (std::size_t i = 0; i < g.operators.size(); ++i) {
      const OperatorMemory m = arenaplan_kernel(g, i);
      EXPECT_TRUE(m.known) << name << ": " << g.describe_operator(i) << ": " << m.kernel;
      if (g.operators[i].opcode.starts_with("Signal")) {
        EXPECT_TRUE(m.kernel.starts_with("ap_signal_")) << g.describe_operator(i);
      }
    }
    const OperatorMemory rfft = arenaplan_kernel(g, op_named(g, "SignalRfft"));
    ASSERT_EQ(rfft.scratch.size(), 1u);
    EXPECT_EQ(rfft.scratch[0].size, 512 * 2);  // fft_length int16, as TFLite Micro requests
  }
}

TEST(SignalProfile, OptionsOutsideTheOperandsAreInputErrors) {
  const Graph base = test::model("tflm_audio_preprocessor_int8");
  auto with = [&](const std::string& opcode, const std::string& key, std::int64_t value) {
    Graph g = base;
    g.operators[op_named(g, opcode)].attributes[key] = value;
    return g;
  };
  auto rejects = [&](const Graph& g, const std::string& opcode) {
    EXPECT_THROW(arenaplan_kernel(g, op_named(g, opcode)), InputError) << opcode;
  };
  rejects(with("SignalEnergy", "end_index", 258), "SignalEnergy");  // 257 outputs
  rejects(with("SignalEnergy", "start_index", -1), "SignalEnergy");
  rejects(with("SignalWindow", "shift", 32), "SignalWindow");
  rejects(with("SignalRfft", "fft_length", 256), "SignalRfft");  // shorter than the 480 samples
  rejects(with("SignalFilterBank", "num_channels", 41), "SignalFilterBank");
  rejects(with("SignalFilterBankSpectralSubtraction", "num_channels", 39), "SignalFilterBankSpectralSubtraction");
  rejects(with("SignalFilterBankSpectralSubtraction", "smoothing_bits", 32), "SignalFilterBankSpectralSubtraction");
  rejects(with("SignalPCAN", "snr_shift", 64), "SignalPCAN");
  rejects(with("SignalFilterBankLog", "input_correction_bits", 32), "SignalFilterBankLog");
  // Not a power of two: a kernel we do not have (kiss_fft's other radices), not an input error.
  const Graph odd = with("SignalRfft", "fft_length", 520);
  EXPECT_FALSE(arenaplan_kernel(odd, op_named(odd, "SignalRfft")).known);
}

// A channel of the filter bank that reaches past the 257 energies is refused before any code is
// generated: the widths table (input 5) is made to overrun.
TEST(SignalProfile, FilterBankTablesMustStayInsideTheInput) {
  Graph g = test::model("tflm_audio_preprocessor_int8");
  const std::size_t op = op_named(g, "SignalFilterBank");
  EXPECT_TRUE(arenaplan_kernel(g, op).known);
  const Tensor& widths = g.tensors[static_cast<std::size_t>(g.operators[op].inputs[5])];
  ASSERT_TRUE(widths.is_constant);
  auto& data = g.constant_data[static_cast<std::size_t>(widths.constant_buffer)];
  data[0] = 0xFF;  // channel 0: width 0x..FF
  data[1] = 0x7F;
  EXPECT_THROW(arenaplan_kernel(g, op), InputError);
}

}  // namespace
}  // namespace arenaplan
