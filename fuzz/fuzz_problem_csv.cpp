// libFuzzer harness: MiniMalloc CSV reader, normalisation, lower bound, a fast algorithm, checker.
#include <cstdint>
#include <string>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "fuzz_solve.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    arenaplan::Problem problem =
        arenaplan::parse_problem_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    arenaplan::fuzz::normalise_and_solve(problem);
  } catch (const arenaplan::InputError&) {}
  return 0;
}
