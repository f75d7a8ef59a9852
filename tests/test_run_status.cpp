// `arenaplan run`'s exit statuses on hostile set-ups (docs/errors.md): 1 when the test program
// fails or its outputs are absent, 2 for a compiler, TMPDIR or directory that cannot be used,
// 3 only when the host compiler rejects the code. A fake compiler writes a fake test program, so
// that no case builds anything.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model_test_util.h"

namespace arenaplan {
namespace {

using test::model_path;
using test::run_arenaplan;

constexpr const char* kModel = "tflm_micro_speech_int8";

std::string scratch_dir(const std::string& name) { return test::fresh_dir("run-status", name); }

std::string script(const std::string& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
  return path;
}

// A "compiler" that writes `program` (a shell script: $1 mode, $4 trace, $5 outputs) as the test
// program and an empty file for every object.
std::string fake_compiler(const std::string& dir, const std::string& program) {
  script(dir + "/program.sh", program);
  return script(dir + "/fake-cc",
                "out=; while [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=$2; shift; done\n"
                "case $out in */check) cp '" +
                    dir + "/program.sh' \"$out\" ;; *) : > \"$out\" ;; esac\n");
}

test::CliResult run_with(const std::string& dir, const std::string& options) {
  return run_arenaplan("run " + model_path(kModel) + " --random-inputs 0 " + options, dir);
}

TEST(RunStatus, CompilerRejectingTheCodeExits3) {
  const std::string dir = scratch_dir("rejects");
  const auto r = run_with(dir, "--cc " + script(dir + "/cc", "echo 'x.c:1:1: error: nope' >&2; exit 1\n"));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("did not compile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: nope"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line
}

TEST(RunStatus, CompilerKilledBySignalExits3) {
  const std::string dir = scratch_dir("compiler-killed");
  const auto r = run_with(dir, "--cc " + script(dir + "/cc", "kill -9 $$\n"));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("killed by signal 9"), std::string::npos) << r.err;
}

TEST(RunStatus, MissingCompilerExits2) {
  const std::string dir = scratch_dir("no-compiler");
  const auto r = run_with(dir, "--cc " + dir + "/no-such-cc");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("cannot run " + dir + "/no-such-cc"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--cc"), std::string::npos) << r.err;
}

TEST(RunStatus, UnusableTmpdirExits2) {
  const std::string dir = scratch_dir("tmpdir");
  std::ofstream(dir + "/a-file") << "x";
  for (const std::string& tmp : {dir + "/absent", dir + "/a-file"}) {
    ::setenv("TMPDIR", tmp.c_str(), 1);
    const auto r = run_with(dir, "");
    ::unsetenv("TMPDIR");
    EXPECT_EQ(r.status, 2) << tmp << r.err;
    EXPECT_NE(r.err.find("temporary directory"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(tmp), std::string::npos) << r.err;
  }
}

TEST(RunStatus, UncreatableKeepOrSaveIoDirectoryExits2) {
  const std::string dir = scratch_dir("dirs");
  std::ofstream(dir + "/a-file") << "x";
  const auto keep = run_with(dir, "--keep " + dir + "/a-file/sub");
  EXPECT_EQ(keep.status, 2) << keep.err;
  EXPECT_NE(keep.err.find("--keep " + dir + "/a-file/sub: cannot create it"), std::string::npos) << keep.err;
  const auto save = run_with(dir, "--save-io " + dir + "/a-file/io");
  EXPECT_EQ(save.status, 2) << save.err;
  EXPECT_NE(save.err.find("--save-io " + dir + "/a-file/io: cannot create it"), std::string::npos) << save.err;
}

TEST(RunStatus, KilledTestProgramExits1) {
  const std::string dir = scratch_dir("killed");
  const auto r = run_with(dir, "--cc " + fake_compiler(dir, "kill -9 $$\n"));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("RUN FAILED: constant: the separate run (separate) was killed by signal 9"), std::string::npos)
      << r.out;
}

TEST(RunStatus, PlannedRunFailingAloneExits1) {
  const std::string dir = scratch_dir("planned-fails");
  // The separate run succeeds (no trace, the 4 output bytes); the planned run exits 7.
  const auto r = run_with(dir, "--cc " + fake_compiler(dir,
                                                       "[ \"$1\" = planned ] && { echo boom; exit 7; }\n"
                                                       ": > \"$4\"; head -c 4 /dev/zero > \"$5\"\n"));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("RUN FAILED: constant: the planned run (planned-a5) exited with 7: boom"), std::string::npos)
      << r.out;
}

TEST(RunStatus, AbsentOrShortOutputsExit1) {
  const std::string dir = scratch_dir("outputs");
  const auto absent = run_with(dir, "--cc " + fake_compiler(dir, "exit 0\n"));
  EXPECT_EQ(absent.status, 1) << absent.out << absent.err;
  EXPECT_NE(absent.out.find("the separate run (separate) wrote no outputs"), std::string::npos) << absent.out;
  const auto short_outputs = run_with(dir, "--cc " + fake_compiler(dir, ": > \"$4\"; printf x > \"$5\"\n"));
  EXPECT_EQ(short_outputs.status, 1) << short_outputs.out << short_outputs.err;
  EXPECT_NE(short_outputs.out.find("wrote 1 bytes of graph outputs, not 4"), std::string::npos) << short_outputs.out;
}

}  // namespace
}  // namespace arenaplan
