// The HTML memory map: one self-contained file (no network), drawn by headless Chromium with one
// rectangle per buffer, and a screenshot that shows the map's colours.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>

#include "arenaplan/memory_map.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"
#include "chromium.h"
#include "map_test_util.h"
#include "png_check.h"
#include "test_util.h"

namespace arenaplan::test {
namespace {

// The data-b of every <rect class="buf ..."> in the DOM Chromium dumped.
std::vector<int> drawn_buffers(const std::string& dom) {
  // (No std::regex: GCC 12 warns inside it under -fsanitize at -O2.)
  std::vector<int> out;
  const std::string open = "<rect class=\"buf k", key = "data-b=\"";
  for (std::size_t at = dom.find(open); at != std::string::npos; at = dom.find(open, at + open.size())) {
    const std::size_t end = dom.find('>', at), b = dom.find(key, at);
    if (b == std::string::npos || b > end || !std::isdigit(static_cast<unsigned char>(dom[b + key.size()])))
      continue;  // the script's own text
    out.push_back(std::stoi(dom.substr(b + key.size())));
  }
  return out;
}

void expect_one_rect_per_buffer(const std::string& dom, std::size_t buffers) {
  const std::vector<int> drawn = drawn_buffers(dom);
  EXPECT_EQ(drawn.size(), buffers);
  EXPECT_EQ(std::set<int>(drawn.begin(), drawn.end()).size(), buffers);
  EXPECT_NE(dom.find("data-drawn=\"" + std::to_string(buffers) + "\""), std::string::npos);
}

#define REQUIRE_CHROMIUM()       \
  if (chromium_binary().empty()) \
  GTEST_SKIP() << "chromium is not installed (scripts/setup installs it): HTML map not rendered"

TEST(MapHtml, SelfContained) {
  const Problem problem = five_buffers();
  const std::string html = memory_map_html(problem, run(problem, "auto"), {"five </script> <b>", {}, {}});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {"<link", "src=", "@import", "url(", "https://", "fetch(", "XMLHttpRequest"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  // The only "http" is the SVG namespace name, which is never fetched.
  EXPECT_EQ(count_of(html, "http://"), count_of(html, "http://www.w3.org/2000/svg"));
  EXPECT_EQ(count_of(html, "</script>"), 2u);  // the title's "</script>" is escaped in the data
  EXPECT_EQ(html, memory_map_html(problem, run(problem, "auto"), {"five </script> <b>", {}, {}}));
}

TEST(MapHtml, ChromiumDrawsOneRectanglePerBuffer) {
  REQUIRE_CHROMIUM();
  const TempDir dir;
  const Problem problem = five_buffers();
  spit(dir.file("five.html"), memory_map_html(problem, run(problem, "auto"), {"five", {}, {}}));
  const std::string dom = chromium_dom(dir, dir.file("five.html"));
  ASSERT_FALSE(dom.empty()) << slurp(dir.file("chromium.log"));
  expect_one_rect_per_buffer(dom, 5);
  // The side table lists every buffer, largest first.
  const auto b4 = dom.find("<tr data-b=\"4\">"), b1 = dom.find("<tr data-b=\"1\">"), b3 = dom.find("<tr data-b=\"3\">");
  ASSERT_NE(b4, std::string::npos);
  EXPECT_LT(b4, b1);
  EXPECT_LT(b1, b3);
}

// Each pool's limit is drawn (a line, a side label, the headroom in the panel's title).
TEST(MapHtml, ChromiumDrawsEachPoolsLimit) {
  REQUIRE_CHROMIUM();
  const TempDir dir;
  Problem problem = five_buffers();
  Plan plan = run(problem, "auto");
  problem.pools[0].limit = plan.pool_sizes[0] + plan.pool_sizes[0] / 2;
  spit(dir.file("limit.html"), memory_map_html(problem, plan, {"limit", {}, {}}));
  const std::string dom = chromium_dom(dir, dir.file("limit.html"));
  ASSERT_FALSE(dom.empty()) << slurp(dir.file("chromium.log"));
  // Drawn lines have numbers where the script's own text has expressions.
  EXPECT_EQ(count_of(dom, "<line class=\"limit\" x1=\"0\" x2=\"") -
                count_of(dom, "<line class=\"limit\" x1=\"0\" x2=\"' + W"),
            1u);
  EXPECT_NE(dom.find("; limit " + std::to_string(*problem.pools[0].limit) + ", headroom "), std::string::npos) << dom;
}

TEST(MapHtml, ChromiumDrawsAModelWithOperatorNames) {
  REQUIRE_CHROMIUM();
  const TempDir dir;
  const Graph graph = read_tflite(std::string(ARENAPLAN_REPO_DIR) + "/data/models/mlperf_tiny_ic_resnet8_int8.tflite");
  const ModelPlan planned = plan_model(graph, LoweringOptions{}, SolveOptions{});
  const MapLabels labels = model_map_labels(graph, planned.lowered, "resnet8");
  spit(dir.file("m.html"), memory_map_html(planned.lowered.problem, planned.plan, labels));
  const std::string dom = chromium_dom(dir, dir.file("m.html"));
  ASSERT_FALSE(dom.empty()) << slurp(dir.file("chromium.log"));
  expect_one_rect_per_buffer(dom, planned.lowered.problem.buffers.size());
  EXPECT_NE(dom.find(">0 CONV_2D</text>"), std::string::npos);  // the time axis names operators
}

TEST(MapHtml, ChromiumDrawsFiveThousandBuffers) {
  REQUIRE_CHROMIUM();
  const TempDir dir;
  const Problem problem = random_intervals(5000, 11, 2000);
  const std::string html = memory_map_html(problem, run(problem, "first_fit_by_size"));
  EXPECT_LT(html.size(), 5000u * 80 + 40000);
  spit(dir.file("big.html"), html);
  const std::string dom = chromium_dom(dir, dir.file("big.html"));
  ASSERT_FALSE(dom.empty()) << slurp(dir.file("chromium.log"));
  expect_one_rect_per_buffer(dom, 5000);
  EXPECT_NE(dom.find("show all 5000 rows"), std::string::npos);  // the table shows the largest first
}

TEST(MapHtml, ScreenshotShowsTheMap) {
  REQUIRE_CHROMIUM();
  const TempDir dir;
  const Problem problem = five_buffers();
  spit(dir.file("five.html"), memory_map_html(problem, run(problem, "auto"), {"five", {}, {}}));
  ASSERT_TRUE(chromium_screenshot(dir, dir.file("five.html"), dir.file("shot.png"), 1200, 800))
      << slurp(dir.file("chromium.log"));
  const auto image = decode_png(slurp(dir.file("shot.png")));
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->width, 1200u);
  // Not blank: many colours, and large areas in the colours of the buffers' kinds.
  std::map<std::uint32_t, std::size_t> histogram;
  for (std::uint32_t y = 0; y < image->height; ++y)
    for (std::uint32_t x = 0; x < image->width; ++x) ++histogram[image->pixel(x, y)];
  EXPECT_GT(histogram.size(), 20u);
  const std::size_t total = static_cast<std::size_t>(image->width) * image->height;
  EXPECT_LT(histogram.begin()->second, total);                               // not one colour
  for (std::uint32_t colour : {0x4e79a7u, 0xf28e2bu, 0x59a14fu, 0xe15759u})  // activation, scratch, input, output
    EXPECT_GT(histogram[colour], 2000u) << std::hex << colour;
}

}  // namespace
}  // namespace arenaplan::test
