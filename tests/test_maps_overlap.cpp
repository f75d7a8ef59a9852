// Memory maps draw the outputs written over the input they replace (overlap allowances in use):
// SVG and HTML hatch the bytes the pair shares at the step between them and name the distance;
// the text map marks those cells and lists the pair. Pairs placed apart are not drawn.
#include <gtest/gtest.h>

#include "arenaplan/memory_map.h"
#include "map_test_util.h"
#include "test_util.h"
#include "xml_check.h"

namespace arenaplan::test {
namespace {

// X dies at step 1 where Y is born; Y may start 16 bytes below X. Z lives beside them.
Problem pair_problem() {
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  auto add = [&](const char* name, Step first, Step last, Bytes size) {
    Buffer b;
    b.name = name;
    b.live = {{first, last}};
    b.size = size;
    b.pools = {0};
    p.buffers.push_back(std::move(b));
  };
  add("X", 0, 2, 100);
  add("Y", 1, 3, 100);
  add("Z", 0, 3, 40);
  p.buffers[1].overlaps = {{0, 16}};
  normalise(p, "pair");
  return p;
}

Plan placed(const Problem& problem, Bytes x, Bytes y) {
  Plan plan = run(problem, "auto");
  plan.placements = {{0, x}, {0, y}, {0, std::max(x, y) + 100}};
  compute_pool_sizes(problem, plan);
  return plan;
}

std::vector<XmlElement> overlap_rects(const XmlDocument& doc) {
  std::vector<XmlElement> out;
  for (const XmlElement& e : doc.elements)
    if (e.name == "rect" && e.attributes.count("class") && e.attributes.at("class") == "overlap" &&
        e.attributes.count("data-x"))
      out.push_back(e);
  return out;
}

constexpr const char* kText = "Y over X at step 1: bytes 16..100 shared, starts 16 bytes below it (allowance 16)";

TEST(MapOverlap, SvgHatchesTheSharedBytesAtTheStep) {
  const Problem problem = pair_problem();
  const Plan plan = placed(problem, 16, 0);
  const XmlDocument doc = parse_xml(memory_map_svg(problem, plan));
  ASSERT_TRUE(doc.well_formed) << doc.error;
  const auto rects = overlap_rects(doc);
  ASSERT_EQ(rects.size(), 1u);
  const XmlElement& r = rects[0];
  EXPECT_EQ(r.attributes.at("data-x"), "0");
  EXPECT_EQ(r.attributes.at("data-y"), "1");
  // Plot 1000 x 300 from (84, 76); steps [0, 3); pool 156 bytes; shared bytes [16, 100) at step 1.
  const double y_max = static_cast<double>(plan.pool_sizes[0]);
  EXPECT_NEAR(std::stod(r.attributes.at("x")), 84 + 1000.0 / 3, 0.06);
  EXPECT_NEAR(std::stod(r.attributes.at("width")), 1000.0 / 3, 0.06);
  EXPECT_NEAR(std::stod(r.attributes.at("y")), 76 + 300 - 100 / y_max * 300, 0.06);
  EXPECT_NEAR(std::stod(r.attributes.at("height")), 84 / y_max * 300, 0.06);
  EXPECT_NE(r.text.find(kText), std::string::npos) << r.text;
  std::size_t arrows = 0;
  for (const XmlElement& e : doc.elements)
    arrows += e.name == "line" && e.attributes.count("class") && e.attributes.at("class") == "over";
  EXPECT_EQ(arrows, 1u);
}

TEST(MapOverlap, PairsPlacedApartAreNotDrawn) {
  const Problem problem = pair_problem();
  const Plan plan = placed(problem, 100, 0);
  const XmlDocument doc = parse_xml(memory_map_svg(problem, plan));
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_TRUE(overlap_rects(doc).empty());
  EXPECT_EQ(memory_map_ascii(problem, plan).find(" over A"), std::string::npos);
  EXPECT_NE(memory_map_html(problem, plan).find("\"overlaps\":[]"), std::string::npos);
}

TEST(MapOverlap, AsciiMarksAndListsThePair) {
  const Problem problem = pair_problem();
  const std::string text = memory_map_ascii(problem, placed(problem, 16, 0));
  // Y and X by their letters (B and A in the key).
  EXPECT_NE(text.find("  / B over A at step 1: bytes 16..100 shared, starts 16 bytes below it (allowance 16)"),
            std::string::npos)
      << text;
  // The shared cells, in the middle third of the timeline, are marked.
  std::size_t marked = 0;
  for (std::size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 1)) {
    const std::size_t end = text.find('|', at + 1);
    if (end == std::string::npos) break;
    const std::string row = text.substr(at + 1, end - at - 1);
    marked += row.find('/') != std::string::npos;
    at = end;
  }
  EXPECT_GT(marked, 0u) << text;
}

TEST(MapOverlap, HtmlCarriesThePairForTheScript) {
  const Problem problem = pair_problem();
  const std::string html = memory_map_html(problem, placed(problem, 16, 0));
  EXPECT_NE(html.find(std::string("\"overlaps\":[[0,0,1,1,16,100,\"") + kText + "\"]]"), std::string::npos);
  EXPECT_NE(html.find("output written over its input"), std::string::npos);
}

}  // namespace
}  // namespace arenaplan::test
