// The SVG memory map: well-formed XML, one rectangle per buffer at the right coordinates,
// deterministic bytes, models labelled with their operators, large maps kept compact.
#include <gtest/gtest.h>

#include <set>

#include "arenaplan/memory_map.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"
#include "map_test_util.h"
#include "test_util.h"
#include "xml_check.h"

namespace arenaplan::test {
namespace {

std::vector<XmlElement> buffer_rects(const XmlDocument& doc) {
  std::vector<XmlElement> out;
  for (const XmlElement& e : doc.elements)
    if (e.name == "rect" && e.attributes.count("class") && e.attributes.at("class").rfind("buf ", 0) == 0)
      out.push_back(e);
  return out;
}

double number(const XmlElement& e, const std::string& key) { return std::stod(e.attributes.at(key)); }

TEST(MapSvg, FiveBuffersOneRectangleEachAtTheirCoordinates) {
  const Problem problem = five_buffers();
  const Plan plan = run(problem, "auto");
  const std::string svg = memory_map_svg(problem, plan, {"five", {}, {}});
  const XmlDocument doc = parse_xml(svg);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(doc.elements.front().name, "svg");
  const auto rects = buffer_rects(doc);
  ASSERT_EQ(rects.size(), problem.buffers.size());
  // The plot of the only pool: 1000 x 300 pixels from (84, 52 + 24); x = step over [0, 9),
  // y = address over [0, pool size) with address 0 at the bottom.
  const double left = 84, top = 76, width = 1000, height = 300, steps = 9;
  const double y_max = static_cast<double>(plan.pool_sizes[0]);
  std::set<int> seen;
  for (const XmlElement& r : rects) {
    const int i = std::stoi(r.attributes.at("data-b"));
    seen.insert(i);
    const Buffer& b = problem.buffers[i];
    const Placement& p = plan.placements[i];
    EXPECT_NE(r.attributes.at("class").find(std::string(to_string(b.kind))), std::string::npos);
    EXPECT_NEAR(number(r, "x"), left + static_cast<double>(b.live[0].first) / steps * width, 0.06) << b.name;
    EXPECT_NEAR(number(r, "width"), static_cast<double>(b.live[0].last - b.live[0].first) / steps * width, 0.06)
        << b.name;
    EXPECT_NEAR(number(r, "y"), top + height - static_cast<double>(p.offset + b.size) / y_max * height, 0.06) << b.name;
    EXPECT_NEAR(number(r, "height"), static_cast<double>(b.size) / y_max * height, 0.06) << b.name;
    EXPECT_NE(r.text.find(b.name + ": "), std::string::npos);  // hover title
  }
  EXPECT_EQ(seen.size(), problem.buffers.size());
  // The lower bound is a line; the peak step is marked (steps [3, 4): 200 + 150 bytes live).
  std::size_t lb = 0, peak = 0;
  for (const XmlElement& e : doc.elements) {
    if (e.name != "line" || !e.attributes.count("class")) continue;
    if (e.attributes.at("class") == "lb" && e.attributes.at("x1") == "84") ++lb;
    if (e.attributes.at("class") == "peak" && e.attributes.at("y1") != "29") {
      ++peak;
      EXPECT_NEAR(number(e, "x1"), left + 3.5 / steps * width, 0.06);
    }
  }
  EXPECT_EQ(lb, 1u);
  EXPECT_EQ(peak, 1u);
  EXPECT_NE(svg.find("peak 350 live at step 3"), std::string::npos);
}

TEST(MapSvg, SameInputSameBytes) {
  const Problem problem = random_intervals(300, 7);
  const Plan plan = run(problem, "first_fit_by_size");
  EXPECT_EQ(memory_map_svg(problem, plan), memory_map_svg(problem, plan));
}

TEST(MapSvg, NamesAreEscapedAndBadUtf8Replaced) {
  Problem problem = five_buffers();
  problem.buffers[0].name = "a<b>&\"c'";
  problem.buffers[1].name = std::string("bad\xff\xfe utf8 \xc3\xa9");
  problem.buffers[2].name = std::string("ctl\x01");
  const Plan plan = run(problem, "auto");
  const XmlDocument doc = parse_xml(memory_map_svg(problem, plan, {"t<i>tle & co", {}, {}}));
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(buffer_rects(doc).size(), 5u);
}

TEST(MapSvg, ConflictOnlyProblemsGetOneColumnPerBuffer) {
  const Problem problem = load("tvm/tvm_algo_linear.json");
  const Plan plan = run(problem, "greedy_by_size");
  const XmlDocument doc = parse_xml(memory_map_svg(problem, plan));
  ASSERT_TRUE(doc.well_formed) << doc.error;
  const auto rects = buffer_rects(doc);
  ASSERT_EQ(rects.size(), problem.buffers.size());
  const double column = 1000.0 / static_cast<double>(problem.buffers.size());
  for (const XmlElement& r : rects) EXPECT_NEAR(number(r, "width"), column, 0.06);
}

TEST(MapSvg, ModelMapNamesTheOperators) {
  const Graph graph = read_tflite(std::string(ARENAPLAN_REPO_DIR) + "/data/models/mlperf_tiny_kws_dscnn_int8.tflite");
  const ModelPlan planned = plan_model(graph, LoweringOptions{}, SolveOptions{});
  const MapLabels labels = model_map_labels(graph, planned.lowered, "kws");
  ASSERT_EQ(labels.steps.size(), graph.operators.size());
  const std::string svg = memory_map_svg(planned.lowered.problem, planned.plan, labels);
  const XmlDocument doc = parse_xml(svg);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(buffer_rects(doc).size(), planned.lowered.problem.buffers.size());
  EXPECT_NE(svg.find(">0 CONV_2D<"), std::string::npos);
  EXPECT_NE(svg.find("DEPTHWISE_CONV_2D"), std::string::npos);
  EXPECT_NE(svg.find("data-pool=\"arena\""), std::string::npos);
}

TEST(MapSvg, FiveThousandBuffersStayCompact) {
  const Problem problem = random_intervals(5000, 3, 2000);
  const Plan plan = run(problem, "first_fit_by_size");
  const std::string svg = memory_map_svg(problem, plan);
  const XmlDocument doc = parse_xml(svg);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(buffer_rects(doc).size(), 5000u);
  EXPECT_LT(svg.size(), 5000u * 180 + 20000);  // a rectangle and its title, nothing more
  const std::string bigger =
      memory_map_svg(random_intervals(6000, 3, 2000), run(random_intervals(6000, 3, 2000), "first_fit_by_size"));
  EXPECT_LT(bigger.size(), 6000u * 100 + 20000);  // beyond 5000 buffers: no titles
}

}  // namespace
}  // namespace arenaplan::test
