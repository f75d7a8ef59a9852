// Issue 16, firmware users: what `compile` gives a firmware engineer, checked by building and
// running it (external constant pools, -Wcast-align on Cortex-M).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }
int sh(const std::string& command) { return std::system(command.c_str()); }

const char* kHello = "tflm_hello_world_int8";

std::string compile_model(const std::string& dir, const std::string& model, const std::string& options) {
  const test::CommandResult r =
      test::run_cli("compile " + test::model_path(model) + " -o " + dir + " --name m -q " + options);
  EXPECT_EQ(r.status, 0) << r.out;
  return r.out;
}

// A program writing input bytes 0..n-1, running the model, printing the output bytes in hex.
std::string hello_main(bool external_flash) {
  std::string c = "#include <stdio.h>\n#include \"m.h\"\n";
  if (external_flash) c += "#include \"m_flash_data.h\"\nstatic const uint8_t flash[] = M_FLASH_CONSTANT_POOL_DATA;\n";
  c += "int main(void) {\n  m_inputs in = m_map_inputs();\n  m_outputs out = m_map_outputs();\n";
  c += "  unsigned i;\n  for (i = 0; i < M_INPUT_SERVING_DEFAULT_DENSE_INPUT_0_SIZE; ++i) ((uint8_t*)in."
       "serving_default_dense_input_0)[i] = (uint8_t)(i + 100);\n";
  if (external_flash)
    c += "  m_constant_pools pools;\n  pools.flash = flash;\n  if (m_run(&pools) != 0) return 1;\n";
  else
    c += "  if (m_run() != 0) return 1;\n";
  c += "  for (i = 0; i < M_OUTPUT_STATEFULPARTITIONEDCALL_0_SIZE; ++i) printf(\"%02x\", "
       "((uint8_t*)out.statefulpartitionedcall_0)[i]);\n  printf(\"\\n\");\n  return 0;\n}\n";
  return c;
}

std::string build_and_run(const std::string& dir, const std::string& main) {
  std::ofstream(dir + "/main.c") << main;
  const std::string cc = "gcc -std=c99 -Wall -Wextra -Werror -Wcast-align=strict -O1 -I " + dir;
  if (sh(cc + " " + dir + "/*.c -o " + dir + "/prog -lm") != 0) return "build failed";
  if (sh(dir + "/prog > " + dir + "/out.txt") != 0) return "run failed";
  return test::slurp(dir + "/out.txt");
}

// An external constant pool (--pool flash:kind=constant,external) compiles (it was an internal
// error) and the application's copy of the data header's bytes gives the internal pool's outputs.
TEST(Firmware, ExternalConstantPoolCompilesAndRuns) {
  if (!have("gcc")) GTEST_SKIP() << "gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "external_constants");
  compile_model(dir + "/internal", kHello, "");
  compile_model(dir + "/external", kHello, "--pool flash:kind=constant,external");
  const std::string header = test::slurp(dir + "/external/m_flash_data.h");
  EXPECT_NE(header.find("#define M_FLASH_CONSTANT_POOL_DATA {"), std::string::npos) << header;
  const std::string internal = build_and_run(dir + "/internal", hello_main(false));
  EXPECT_EQ(build_and_run(dir + "/external", hello_main(true)), internal);
  EXPECT_EQ(internal.size(), 3u) << internal;  // one output byte in hex and a newline
}

// Every generated file builds for a Cortex-M4 with -Wcast-align=strict -Werror (pool bytes reach
// the kernels as typed pointers through void*: the plan aligns them).
TEST(Firmware, CortexM4BuildHasNoCastAlignWarnings) {
  if (!have("arm-none-eabi-gcc")) GTEST_SKIP() << "arm-none-eabi-gcc is not installed";
  const std::string dir = test::fresh_dir("firmware", "cast_align");
  compile_model(dir, "mlperf_tiny_kws_dscnn_float32_hybrid", "--pool flash:kind=constant,external");
  EXPECT_EQ(sh("cd " + dir +
               " && for f in *.c; do arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -std=c99 -Wall -Wextra "
               "-Wcast-align=strict -Werror -O1 -c $f -o /dev/null || exit 1; done"),
            0);
}

}  // namespace
}  // namespace arenaplan
