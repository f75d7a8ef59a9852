#include "cli_run.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

extern char** environ;

namespace arenaplan::bench {
namespace {

namespace fs = std::filesystem;

// A directory of this process's own, removed at exit.
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("arenaplan-bench-" + std::to_string(getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

// Runs BINARY ARGS with stdout and stderr into files; returns the exit status (-1: did not run).
Run spawn(const std::string& binary, const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  std::vector<std::string> words{binary};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Run run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot run " + binary + ": " + std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  run.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string last_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

}  // namespace

fs::path scratch(const std::string& name) {
  static const Scratch s;
  return s.dir / name;
}

SolveRun run_solve(const std::string& binary, const std::string& file, const std::vector<std::string>& args) {
  std::vector<std::string> words{"solve", file};
  words.insert(words.end(), args.begin(), args.end());
  words.insert(words.end(), {"--format", "json"});
  const fs::path out = scratch("report.json"), err = scratch("stderr.txt");
  const Run run = spawn(binary, words, out, err);
  SolveRun r;
  r.wall_seconds = run.wall_seconds;
  r.ok = run.status == 0;
  if (!r.ok) {
    r.error = last_line(err);
    return r;
  }
  std::ifstream in(out);
  const nlohmann::json report = nlohmann::json::parse(in);
  for (const auto& pool : report.at("pools")) r.total += pool.at("size_bytes").get<std::int64_t>();
  r.lower_bound = report.value("lower_bound_bytes", std::int64_t{0});
  r.optimal = report.value("optimal", false);
  r.algorithm = report.value("algorithm", "");
  r.stopped_by = report.value("stopped_by", "");
  r.solve_seconds = report.value("solve_seconds", 0.0);
  return r;
}

Run run_binary(const std::string& binary, const std::vector<std::string>& args) {
  return spawn(binary, args, "/dev/null", scratch("stderr.txt"));
}

std::string sibling_binary(const char* argv0) {
  const fs::path beside = fs::path(argv0).parent_path().parent_path() / "arenaplan";
  return fs::exists(beside) ? beside.string() : "arenaplan";
}

}  // namespace arenaplan::bench
