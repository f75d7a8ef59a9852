// The memory map in text: fits the terminal width, one letter per buffer on small pools, the
// lower bound and the peak marked.
#include <gtest/gtest.h>

#include <sstream>

#include "arenaplan/memory_map.h"
#include "cli_runner.h"
#include "map_test_util.h"
#include "test_util.h"

namespace arenaplan::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(MapAscii, FitsTheWidthAndLettersEveryBuffer) {
  const Problem problem = five_buffers();
  const Plan plan = run(problem, "auto");
  for (int columns : {60, 100, 160}) {
    const std::string text = memory_map_ascii(problem, plan, {}, columns);
    for (const std::string& line : lines_of(text)) EXPECT_LE(static_cast<int>(line.size()), columns) << line;
    for (char letter : {'A', 'B', 'C', 'D', 'E'})
      EXPECT_NE(text.find(std::string(3, letter)), std::string::npos) << letter;
    EXPECT_NE(text.find("< lower bound"), std::string::npos);
    EXPECT_NE(text.find("^ peak: 350 bytes live at step 3"), std::string::npos);
    EXPECT_NE(text.find("  C b2 (scratch): 150 bytes at"), std::string::npos);
  }
}

TEST(MapAscii, BufferAtTheBottomLeftFillsTheBottomLeftCells) {
  const Problem problem = intervals({{0, 5, 100}, {5, 10, 100}});
  const Plan plan = run(problem, "first_fit_by_size");  // both at offset 0
  const auto lines = lines_of(memory_map_ascii(problem, plan, {}, 100));
  // The last row of the plot is the one just above the axis line.
  std::size_t axis = 0;
  while (axis < lines.size() && lines[axis].find("+---") == std::string::npos) ++axis;
  ASSERT_LT(axis, lines.size());
  const std::string& bottom = lines[axis - 1];
  const std::size_t bar = bottom.find('|');
  EXPECT_EQ(bottom[bar + 1], 'A');
  EXPECT_EQ(bottom[bottom.rfind('|') - 1], 'B');
}

TEST(MapAscii, LargePoolsShowKinds) {
  const Problem problem = random_intervals(400, 5);
  const std::string text = memory_map_ascii(problem, run(problem, "first_fit_by_size"), {}, 100);
  EXPECT_NE(text.find('#'), std::string::npos);
  EXPECT_NE(text.find("# activation  % scratch"), std::string::npos);
}

TEST(MapAscii, CommandLineUsesColumns) {
  const TempDir dir;
  spit(dir.file("five.csv"), "id,lower,upper,size\n0,0,3,100\n1,1,4,200\n2,3,6,150\n3,4,8,50\n4,6,9,300\n");
  const CommandResult r = run_cli("solve " + dir.file("five.csv") + " --format ascii --no-timing");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("^ peak"), std::string::npos) << r.out;
  const CommandResult narrow = run_cli("solve " + dir.file("five.csv") + " --map - --no-timing");
  EXPECT_EQ(narrow.status, 0);
  EXPECT_NE(narrow.out.find("< lower bound"), std::string::npos);
  const std::string env = "COLUMNS=70 ";
  const std::string command =
      env + std::string(ARENAPLAN_BINARY) + " solve " + dir.file("five.csv") + " --map - --no-timing";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char chunk[4096];
  for (std::size_t got; (got = fread(chunk, 1, sizeof chunk, pipe)) > 0;) out.append(chunk, got);
  pclose(pipe);
  bool in_map = false;
  for (const std::string& line : lines_of(out)) {
    if (line.rfind("pool workspace", 0) == 0) in_map = true;
    if (in_map) { EXPECT_LE(line.size(), 70u) << line; }
  }
  EXPECT_TRUE(in_map);
}

TEST(MapCli, RejectsOtherExtensionsBeforeSolving) {
  const TempDir dir;
  spit(dir.file("five.csv"), "id,lower,upper,size\n0,0,3,100\n");
  const CommandResult r = run_cli("solve " + dir.file("five.csv") + " --map " + dir.file("map.png"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("must end in .svg or .html"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.file("map.png")));
}

TEST(MapCli, PlanWritesSvgAndHtml) {
  const TempDir dir;
  const std::string model = std::string(ARENAPLAN_REPO_DIR) + "/data/models/tflm_hello_world_int8.tflite";
  const CommandResult svg = run_cli("plan " + model + " --map " + dir.file("m.svg") + " --no-timing");
  ASSERT_EQ(svg.status, 0) << svg.out;
  EXPECT_NE(slurp(dir.file("m.svg")).find("FULLY_CONNECTED"), std::string::npos);
  const CommandResult html = run_cli("plan " + model + " --map " + dir.file("m.html") + " --no-timing");
  ASSERT_EQ(html.status, 0) << html.out;
  EXPECT_NE(slurp(dir.file("m.html")).find("FULLY_CONNECTED"), std::string::npos);
  const CommandResult ascii = run_cli("plan " + model + " --format ascii --no-timing");
  ASSERT_EQ(ascii.status, 0) << ascii.out;
  EXPECT_NE(ascii.out.find("pool arena"), std::string::npos);
}

}  // namespace
}  // namespace arenaplan::test
