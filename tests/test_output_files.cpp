// Issue 12, "Files: nothing is ever lost or clobbered": the outputs of every command, driven
// through the built binary. Devices and FIFOs are written through, symlinks followed, inputs
// never overwritten; compile -o DIR replaces only its own files and survives kill -9 at any
// moment; a command writes all its outputs or none; run leaves no temporary directory behind.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "cli_runner.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using test::run_cli;
using test::slurp;

const char* kProblem = "id,lower,upper,size\na,0,5,10\nb,3,8,10\n";

class OutputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arenaplan_outputs_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return path(name);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::set<std::string> entries(const fs::path& dir) const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
  }
  fs::path dir_;
};

// The plan JSON `solve` writes for kProblem, to compare outputs with.
std::string expected_plan(const std::string& problem, const std::string& scratch) {
  const auto r = run_cli("solve " + problem + " --no-timing -o " + scratch);
  EXPECT_EQ(r.status, 0) << r.out;
  return slurp(scratch);
}

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST_F(OutputFiles, FifoIsWrittenThroughNotReplaced) {
  const std::string problem = file("p.csv", kProblem);
  const std::string fifo = path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  // The read end open first (non-blocking), so the writer neither blocks nor needs a thread here;
  // a small plan fits in the pipe's buffer.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  const auto r = run_cli("solve " + problem + " --no-timing -o " + fifo);
  std::string got;
  char chunk[4096];
  for (ssize_t n; (n = ::read(reader, chunk, sizeof chunk)) > 0;) got.append(chunk, static_cast<std::size_t>(n));
  ::close(reader);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(fs::is_fifo(fifo)) << "the FIFO was replaced by a regular file";
  EXPECT_EQ(got, expected_plan(problem, path("plan.json")));
}

TEST_F(OutputFiles, DeviceIsWrittenThroughAndStaysADevice) {
  const std::string problem = file("p.csv", kProblem);
  // A private copy of /dev/null first, so that a broken build cannot replace the real one.
  const std::string null = path("null");
  const bool private_device = ::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
  if (private_device) {
    const auto r = run_cli("solve " + problem + " -o " + null);
    EXPECT_EQ(r.status, 0) << r.out;
    ASSERT_TRUE(fs::is_character_file(null)) << "the device was replaced by a regular file";
  } else if (::geteuid() == 0) {
    GTEST_SKIP() << "cannot make a test device; not risking /dev/null as root";
  }
  const auto n = run_cli("solve " + problem + " -o /dev/null");
  EXPECT_EQ(n.status, 0) << n.out;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(OutputFiles, SymlinkIsFollowedToItsTarget) {
  const std::string problem = file("p.csv", kProblem);
  const std::string expected = expected_plan(problem, path("plan.json"));
  file("target.json", "old");
  fs::create_directory(dir_ / "sub");
  fs::create_symlink("../target.json", dir_ / "sub" / "link.json");
  fs::create_symlink("sub/link.json", dir_ / "chain.json");  // a link to a link
  fs::create_symlink("new.json", dir_ / "dangling.json");
  const auto r = run_cli("solve " + problem + " --no-timing -o " + path("chain.json"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(fs::is_symlink(dir_ / "chain.json"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "sub" / "link.json"));
  EXPECT_EQ(slurp(path("target.json")), expected);
  const auto d = run_cli("solve " + problem + " --no-timing -o " + path("dangling.json"));
  EXPECT_EQ(d.status, 0) << d.out;
  EXPECT_TRUE(fs::is_symlink(dir_ / "dangling.json"));
  EXPECT_EQ(slurp(path("new.json")), expected);
  fs::create_symlink("loop.json", dir_ / "loop.json");
  const auto l = run_cli("solve " + problem + " -o " + path("loop.json"));
  EXPECT_EQ(l.status, 2) << l.out;
  EXPECT_NE(l.out.find("too many levels of symbolic links"), std::string::npos) << l.out;
}

TEST_F(OutputFiles, ReplacedFileKeepsItsPermissions) {
  const std::string problem = file("p.csv", kProblem);
  const std::string out = file("plan.json", "old");
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_EQ(run_cli("solve " + problem + " -o " + out).status, 0);
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_NE(slurp(out), "old");
}

// The same file as an input, whatever the path: refused with one line, the input untouched.
TEST_F(OutputFiles, OutputThatIsAnInputIsRefused) {
  const std::string problem = file("p.csv", kProblem);
  fs::create_directory(dir_ / "sub");
  fs::create_hard_link(problem, dir_ / "hard.csv");
  fs::create_symlink("p.csv", dir_ / "soft.csv");
  for (const std::string& out : {problem, path("sub/../p.csv"), path("./p.csv"), path("hard.csv"), path("soft.csv")}) {
    const auto r = run_cli("solve " + problem + " -o " + out);
    EXPECT_EQ(r.status, 2) << out << ": " << r.out;
    EXPECT_EQ(lines(r.out), 1) << r.out;
    EXPECT_NE(r.out.find("names the input file"), std::string::npos) << r.out;
    EXPECT_EQ(slurp(problem), kProblem);
  }
  const auto m = run_cli("solve " + problem + " --map " + path("m.svg") + " -o " + path("hard.csv"));
  EXPECT_EQ(m.status, 2) << m.out;
  EXPECT_FALSE(fs::exists(path("m.svg")));  // all or none
  const std::string model = path("model.tflite");
  fs::copy_file(test::model_path("tflm_hello_world_int8"), model);
  const std::string original = slurp(model);
  fs::create_symlink("model.tflite", dir_ / "model_link");
  const std::string pools = file("pools.json", R"({"pools": [{"name": "sram"}]})");
  for (const std::string& args :
       {"plan " + model + " -o " + model, "plan " + model + " --pools " + pools + " -o " + pools,
        "plan " + model + " --map " + path("model.svg") + " -o " + path("model_link"),
        "plan " + model + " --kernels reference --tflm-offline-plan " + path("model_link")}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find("names the input file"), std::string::npos) << r.out;
  }
  EXPECT_EQ(slurp(model), original);
  EXPECT_FALSE(fs::exists(path("model.svg")));
  EXPECT_EQ(slurp(pools), R"({"pools": [{"name": "sram"}]})");
  EXPECT_EQ(slurp(problem), kProblem);
}

TEST_F(OutputFiles, EmptyOutputNameIsAUsageError) {
  const std::string problem = file("p.csv", kProblem);
  const std::string model = test::model_path("tflm_hello_world_int8");
  for (const std::string& args :
       {"solve " + problem + " -o ''", "plan " + model + " -o ''", "compile " + model + " -o ''",
        "run " + model + " --keep ''", "solve " + problem + " --map ''"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_EQ(lines(r.out), 1) << args << ": " << r.out;
  }
}

TEST_F(OutputFiles, TwoOutputsOnOneFileAreRefused) {
  const std::string problem = file("p.csv", kProblem);
  const auto r = run_cli("solve " + problem + " -o " + path("x.svg") + " --map " + path("x.svg"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("named by both -o and --map"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(path("x.svg")));
}

// A command writes all its outputs or none: a --map that cannot be written leaves no -o file,
// and an existing one as it was.
TEST_F(OutputFiles, FailingMapLeavesNoOutputFile) {
  const std::string problem = file("p.csv", kProblem);
  file("not_a_dir", "x");
  for (const std::string& map : {path("missing/m.svg"), path("not_a_dir/m.svg")}) {
    const auto r = run_cli("solve " + problem + " -o " + path("plan.json") + " --map " + map);
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_EQ(lines(r.out), 1) << r.out;
    EXPECT_FALSE(fs::exists(path("plan.json")));
  }
  file("plan.json", "old");
  EXPECT_EQ(run_cli("solve " + problem + " -o " + path("plan.json") + " --map " + path("missing/m.svg")).status, 2);
  EXPECT_EQ(slurp(path("plan.json")), "old");
  const std::string model = test::model_path("tflm_hello_world_int8");
  EXPECT_EQ(run_cli("plan " + model + " -o " + path("mp.json") + " --map " + path("missing/m.svg")).status, 2);
  EXPECT_FALSE(fs::exists(path("mp.json")));
  EXPECT_EQ(run_cli("compile " + model + " -o " + path("out") + " --map " + path("missing/m.html")).status, 2);
  EXPECT_FALSE(fs::exists(path("out")));
  EXPECT_EQ(entries(dir_), (std::set<std::string>{"p.csv", "plan.json", "not_a_dir"}));  // no temporaries
}

// `plan --pool ...` used to drop --map silently.
TEST_F(OutputFiles, PlanWithPoolsWritesItsMap) {
  const std::string model = test::model_path("tflm_hello_world_int8");
  const auto r = run_cli("plan " + model + " --pool sram -o " + path("plan.json") + " --map " + path("map.svg"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(slurp(path("map.svg")).find("<svg"), std::string::npos);
  EXPECT_TRUE(fs::exists(path("plan.json")));
  const auto t = run_cli("plan " + model + " --pool sram --map -");
  EXPECT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("sram"), std::string::npos) << t.out;
  const auto two = run_cli("plan " + model + " " + model + " --pool sram --shared-pool sram --map " + path("m2.svg"));
  EXPECT_EQ(two.status, 2) << two.out;
  EXPECT_NE(two.out.find("--map draws one plan"), std::string::npos) << two.out;
}

const char* kManifest = ".arenaplan-manifest";

std::set<std::string> manifest(const fs::path& dir) {
  std::set<std::string> names;
  std::ifstream in(dir / kManifest);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') names.insert(line);
  return names;
}

TEST_F(OutputFiles, CompileRefusesADirectoryItDidNotWrite) {
  const std::string model = test::model_path("tflm_hello_world_int8");
  fs::create_directory(dir_ / "firmware");
  file("firmware/main.c", "int main(void) { return 0; }\n");
  const auto r = run_cli("compile " + model + " -o " + path("firmware"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("not an arenaplan compile output"), std::string::npos) << r.out;
  EXPECT_EQ(entries(dir_ / "firmware"), std::set<std::string>{"main.c"});
  EXPECT_EQ(slurp(path("firmware/main.c")), "int main(void) { return 0; }\n");
  fs::create_directory(dir_ / "empty");
  EXPECT_EQ(run_cli("compile " + model + " -o " + path("empty") + " -q").status, 0);
  EXPECT_TRUE(fs::exists(dir_ / "empty" / kManifest));
}

TEST_F(OutputFiles, CompileReplacesOnlyItsOwnFiles) {
  const std::string model = test::model_path("tflm_hello_world_int8");
  const std::string out = path("out");
  ASSERT_EQ(run_cli("compile " + model + " -o " + out + " --name first -q").status, 0);
  const std::set<std::string> first = manifest(out);
  EXPECT_TRUE(first.contains("first.h")) << slurp(out + "/" + kManifest);
  std::set<std::string> expected = first;
  expected.insert(kManifest);
  EXPECT_EQ(entries(out), expected);
  file("out/main.c", "user code\n");  // the user's own file, next to the generated ones
  const auto r = run_cli("compile " + model + " -o " + out + " --name second -q");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::set<std::string> second = manifest(out);
  EXPECT_TRUE(second.contains("second.h"));
  expected = second;
  expected.insert({kManifest, "main.c"});
  EXPECT_EQ(entries(out), expected);  // first.* gone, main.c kept
  EXPECT_EQ(slurp(out + "/main.c"), "user code\n");
  // A foreign file under a name the next compile would write is refused, not overwritten.
  file("out/third.h", "mine\n");
  const auto c = run_cli("compile " + model + " -o " + out + " --name third -q");
  EXPECT_EQ(c.status, 2) << c.out;
  EXPECT_NE(c.out.find("third.h exists and arenaplan did not write it"), std::string::npos) << c.out;
  EXPECT_EQ(slurp(out + "/third.h"), "mine\n");
  EXPECT_EQ(manifest(out), second);
}

TEST_F(OutputFiles, DamagedManifestIsAnInputErrorNotADeletion) {
  const std::string model = test::model_path("tflm_hello_world_int8");
  const std::string out = path("out");
  ASSERT_EQ(run_cli("compile " + model + " -o " + out + " -q").status, 0);
  file("victim", "keep me");
  std::ofstream(out + "/" + kManifest, std::ios::app) << "../victim\n";
  const auto r = run_cli("compile " + model + " -o " + out + " --name other -q");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("the list is damaged"), std::string::npos) << r.out;
  EXPECT_EQ(slurp(path("victim")), "keep me");
}

// Leftovers of the earlier directory swap (.DIR.PID.old holding the only copy, .DIR.PID.tmp) from
// a process that is gone are restored or removed.
TEST_F(OutputFiles, CompileRecoversTheOldSwapLeftovers) {
  const std::string model = test::model_path("tflm_hello_world_int8");
  const std::string dead = std::to_string(999999999);  // above any pid_max: no such process
  fs::create_directory(dir_ / (".out." + dead + ".old"));
  file(".out." + dead + ".old/" + kManifest, "old.h\n");
  file(".out." + dead + ".old/old.h", "previous\n");
  fs::create_directory(dir_ / (".out." + dead + ".tmp"));
  file(".out." + dead + ".tmp/half.h", "half");
  ASSERT_EQ(run_cli("compile " + model + " -o " + path("out") + " --name m -q").status, 0);
  EXPECT_EQ(entries(dir_), std::set<std::string>{"out"});
  EXPECT_FALSE(fs::exists(path("out/old.h")));  // restored, then replaced as a previous output
  EXPECT_TRUE(fs::exists(path("out/m.h")));
}

// Starts the binary with `args`, its output thrown away; `tmpdir` becomes its $TMPDIR.
pid_t spawn(const std::vector<std::string>& args, const std::string& tmpdir = "") {
  std::vector<std::string> argv = {ARENAPLAN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!tmpdir.empty()) ::setenv("TMPDIR", tmpdir.c_str(), 1);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// kill -9 at random moments of 20 compile runs (alternating two output names, and a --map): the
// next run recovers, the directory then holds exactly one complete output and nothing else, and
// no temporary file is left anywhere.
TEST_F(OutputFiles, CompileSurvivesKillNineAtAnyMoment) {
  const std::string model = test::model_path("mlperf_tiny_kws_dscnn_int8");
  const std::string out = path("out"), map = path("map.svg");
  auto args = [&](int k) {
    return std::vector<std::string>{"compile", model, "-o", out, "--name", k % 2 ? "odd" : "even", "--map", map, "-q"};
  };
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for(spawn(args(0))), 0);
  const auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  std::mt19937 random(12);
  std::uniform_int_distribution<long> moment(0, full.count() * 5 / 4);
  int killed = 0;
  for (int k = 1; k <= 20; ++k) {
    const pid_t pid = spawn(args(k));
    const long delay = moment(random);
    std::this_thread::sleep_for(std::chrono::microseconds(delay));
    ::kill(pid, SIGKILL);
    const int status = wait_for(pid);
    killed += WIFSIGNALED(status) ? 1 : 0;
    // Whatever the moment, a previous output is never lost: its list or the committed new one is there.
    EXPECT_TRUE(fs::exists(out + "/" + kManifest) || fs::exists(out + "/.arenaplan-manifest.new"))
        << "run " << k << " killed after " << delay << " us";
  }
  EXPECT_GT(killed, 0);  // else the delays were too long to test anything
  ASSERT_EQ(run_cli("compile " + model + " -o " + out + " --name even --map " + map + " -q").status, 0);
  std::set<std::string> expected = manifest(out);
  EXPECT_TRUE(expected.contains("even.h"));
  expected.insert(kManifest);
  EXPECT_EQ(entries(out), expected);
  EXPECT_EQ(entries(dir_), (std::set<std::string>{"out", "map.svg"}));
  // And the recovered output is the one a clean run writes.
  ASSERT_EQ(run_cli("compile " + model + " -o " + path("clean") + " --name even -q").status, 0);
  for (const std::string& name : manifest(out))
    EXPECT_EQ(slurp(out + "/" + name), slurp(path("clean/" + name))) << name;
}

std::vector<fs::path> run_dirs(const fs::path& tmp, pid_t pid) {
  std::vector<fs::path> found;
  const std::string prefix = "arenaplan-run-" + std::to_string(pid) + "-";
  for (const auto& e : fs::directory_iterator(tmp))
    if (e.path().filename().string().starts_with(prefix)) found.push_back(e.path());
  return found;
}

// Waits until `pid` has made its run directory under `tmp` (up to a minute on a busy machine).
bool wait_for_run_dir(const fs::path& tmp, pid_t pid) {
  for (int k = 0; k < 6000; ++k) {
    if (!run_dirs(tmp, pid).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Waits until no process names `dir` on its command line (the compiler or test program of a run
// killed with -9, which nothing could stop, still writing there).
void wait_for_orphans(const fs::path& dir) {
  for (int k = 0; k < 600; ++k) {
    bool busy = false;
    for (const auto& e : fs::directory_iterator("/proc")) {
      const std::string cmdline = slurp((e.path() / "cmdline").string());
      busy = busy || cmdline.find(dir.string()) != std::string::npos;
    }
    if (!busy) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TEST_F(OutputFiles, RunStoppedBySignalLeavesNoTemporaryDirectory) {
  const fs::path tmp = dir_ / "tmp";
  fs::create_directory(tmp);
  const std::string model = test::model_path("mlperf_tiny_kws_dscnn_int8");
  for (int signal_number : {SIGTERM, SIGINT}) {
    const pid_t pid = spawn({"run", model, "--random-inputs", "1"}, tmp.string());
    ASSERT_TRUE(wait_for_run_dir(tmp, pid));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // into the compiler's run
    ::kill(pid, signal_number);
    const int status = wait_for(pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == signal_number) << status;
    EXPECT_TRUE(run_dirs(tmp, pid).empty()) << strsignal(signal_number);
  }
}

TEST_F(OutputFiles, NextRunRemovesTheDirectoriesOfKilledRunsOnly) {
  const fs::path tmp = dir_ / "tmp";
  fs::create_directory(tmp);
  const std::string model = test::model_path("tflm_hello_world_int8");
  const pid_t pid = spawn({"run", model}, tmp.string());
  ASSERT_TRUE(wait_for_run_dir(tmp, pid));
  ::kill(pid, SIGKILL);
  wait_for(pid);
  const std::vector<fs::path> killed = run_dirs(tmp, pid);
  ASSERT_EQ(killed.size(), 1u);  // kill -9 cannot be caught: the next run's job
  wait_for_orphans(killed[0]);
  const fs::path gone = tmp / "arenaplan-run-999999999-abcdef";                              // no such process
  const fs::path alive = tmp / ("arenaplan-run-" + std::to_string(::getpid()) + "-abcdef");  // this test
  const fs::path unknown = tmp / "arenaplan-run-abcdef";  // no process id: whose it is cannot be told
  for (const fs::path& d : {gone, alive, unknown}) {
    fs::create_directory(d);
    std::ofstream(d / "model.c") << "x";
  }
  const pid_t again = spawn({"run", model, "--random-inputs", "0"}, tmp.string());
  EXPECT_EQ(wait_for(again), 0);
  EXPECT_FALSE(fs::exists(killed[0]));
  EXPECT_FALSE(fs::exists(gone));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(unknown));
  EXPECT_TRUE(run_dirs(tmp, again).empty());
}

}  // namespace
}  // namespace arenaplan
