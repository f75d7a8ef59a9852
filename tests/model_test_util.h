// Helpers for the model tests: paths of the bundled models, running the tool.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "arenaplan/execution_check.h"
#include "arenaplan/graph.h"
#include "arenaplan/tflite.h"
#include "tflite_builder.h"

namespace arenaplan::test {

// The models bundled in data/models/ (see data/models/NOTICE). Tests never read ../shared.
inline std::string model_path(const std::string& name) {
  return std::string(ARENAPLAN_REPO_DIR) + "/data/models/" + name + ".tflite";
}

inline Graph model(const std::string& name) { return read_tflite(model_path(name)); }

// Execution options for check_by_execution with the suite's kernel-library cache (the one the
// CLI's `run` uses under ctest, whose XDG_CACHE_HOME is the build's cache/ directory).
inline ExecutionOptions execution_options() {
  ExecutionOptions options;
  options.library_cache_dir = ARENAPLAN_TEST_CACHE_DIR;
  return options;
}

// A fresh, empty directory for one test: <tmp>/arenaplan-test-<suite>-<name>.
inline std::string fresh_dir(const std::string& suite, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("arenaplan-test-" + suite + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// A model built from `spec`, written as `name`.tflite into a fresh scratch directory of `suite`
// and read back (link tflite_builder.cpp). The directory is per process: ctest -j runs several
// cases that build the same spec at once, and one's remove_all must not empty another's.
inline Graph read_spec(const ModelSpec& spec, const std::string& suite, const std::string& name) {
  const std::string path = fresh_dir(suite, name + "-" + std::to_string(getpid())) + "/" + name + ".tflite";
  const std::vector<std::uint8_t> bytes = build_tflite(spec);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return read_tflite(path);
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CliResult {
  int status = -1;
  std::string out, err;
};

// Runs build/arenaplan with `args` (already shell-quoted where needed).
inline CliResult run_arenaplan(const std::string& args, const std::string& scratch_dir) {
  const std::string out = scratch_dir + "/stdout.txt", err = scratch_dir + "/stderr.txt";
  const std::string command = std::string(ARENAPLAN_BINARY) + " " + args + " >" + out + " 2>" + err;
  const int raw = std::system(command.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace arenaplan::test
