// Issue 18, I/O that scales: the streaming plan writer keeps nlohmann's layout (with one line per
// buffer), the simdjson plan reader agrees with the nlohmann one (which still words every error),
// the nesting scan measures what nlohmann's callback measured, and a generated chain round-trips
// through write, read and check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arenaplan/algorithm.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "cli_runner.h"
#include "io/json_fields.h"
#include "problem/name_index.h"
#include "test_util.h"

namespace arenaplan {
namespace {

// A chain like a long model's: buffer i lives [i, i + 2), sizes varying.
Problem chain(std::int32_t n) {
  std::ostringstream csv;
  csv << "id,lower,upper,size\n";
  for (std::int32_t i = 0; i < n; ++i)
    csv << i << ',' << i << ',' << i + 2 << ',' << 16 * (1 + (i * 7919) % 64) << '\n';
  Problem p = parse_problem_csv(csv.str(), "chain.csv");
  normalise(p, "chain.csv", InputLimits{});
  return p;
}

Buffer buffer(std::string name, Bytes size, std::vector<Interval> live) {
  Buffer b;
  b.name = std::move(name);
  b.size = size;
  b.live = std::move(live);
  return b;
}

bool same(const Placement& a, const Placement& b) { return a.pool == b.pool && a.offset == b.offset; }

SolveOptions best_fit() {
  SolveOptions options;
  options.algorithm = "best_fit_by_first_use";
  return options;
}

std::string plan_text(const Problem& p, const Plan& plan) {
  std::ostringstream out;
  write_plan_json(p, plan, out, false);
  return out.str();
}

// The depth nlohmann's parse callback reports, the definition json_nesting_depth must meet.
std::int64_t callback_depth(const std::string& text) {
  std::int64_t deepest = 0;
  const auto dom = nlohmann::json::parse(text, [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    deepest = std::max<std::int64_t>(deepest, depth);
    return true;
  });
  EXPECT_FALSE(dom.is_discarded());
  return deepest;
}

// nlohmann's dump(1, ' '), with each pool and buffer on one line: what the plan writer writes.
std::string expected_layout(const nlohmann::ordered_json& dom) {
  const auto dump = [](const nlohmann::ordered_json& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  };
  std::string text = "{";
  for (auto it = dom.begin(); it != dom.end(); ++it) {
    text += (it == dom.begin() ? "\n " : ",\n ") + dump(it.key(), -1) + ": ";
    if ((it.key() != "pools" && it.key() != "buffers") || it->empty()) {
      text += dump(*it, -1);
      continue;
    }
    text += "[";
    for (std::size_t i = 0; i < it->size(); ++i) {
      std::string entry = dump((*it)[i], -1);  // {"a":1,"b":[1,2]}: spaces after the separators
      std::string spaced;
      bool in_string = false, escaped = false;
      for (const char c : entry) {
        spaced += c;
        if (in_string) {
          escaped = !escaped && c == '\\';
          in_string = escaped || c != '"';
        } else if (c == '"') {
          in_string = true;
        } else if (c == ',' || c == ':') {
          spaced += ' ';
        }
      }
      text += (i == 0 ? "\n  " : ",\n  ") + spaced;
    }
    text += "\n ]";
  }
  return text + "\n}\n";
}

TEST(LargeIo, PlanWriterHasNlohmannsLayoutWithOneLinePerEntry) {
  Problem p;
  p.pools.push_back({"sram", 4096, 16, PoolKind::workspace});
  p.pools.push_back({"flash", std::nullopt, 1, PoolKind::constant});
  Buffer a = buffer("a \"quoted\"\\ \t\x01 caf\xC3\xA9 bad\xFF", 64, {{0, 2}, {4, 6}});
  a.alignment = 16;
  a.pools = {0};
  a.tensor = 3;
  Buffer b = buffer("b", 32, {{2, 5}});
  b.pools = {0};
  b.op = 7;
  b.overlaps.push_back({0, 16});
  Buffer c = buffer("w", 8, {});
  c.kind = BufferKind::constant;
  c.pools = {1};
  p.buffers = {a, b, c};
  Plan plan;
  plan.algorithm = "test";
  plan.placements = {{0, 0}, {0, 32}, {1, 0}};
  plan.pool_sizes = {96, 8};
  plan.solve_seconds = 1.25e-5;
  for (bool timing : {false, true}) {
    std::ostringstream out;
    write_plan_json(p, plan, out, timing);
    const std::string text = out.str();
    const auto dom = nlohmann::ordered_json::parse(text);
    EXPECT_EQ(expected_layout(dom), text);
    EXPECT_EQ(dom["buffers"][2]["live"], nlohmann::ordered_json::array());
    EXPECT_EQ(dom["buffers"][1]["overlaps"][0]["with"], dom["buffers"][0]["name"]);
  }
}

TEST(LargeIo, NestingScanMeasuresWhatTheCallbackDid) {
  for (const std::string text :
       {R"([])", R"([[]])", R"([[1]])", R"({"a": 1})", R"({"a": {}})", R"({"a": {"b": [1, [2, {"c": "]]"}]]}})",
        R"(["\"[[[", {"k": [[[[[[1]]]]]]}])", R"(7)", R"("x")", R"({"buffers": [{"name": "a", "x": [[[[[[1]]]]]]}]})"})
    EXPECT_EQ(json_fields::json_nesting_depth(text), callback_depth(text)) << text;
}

TEST(LargeIo, ChainRoundTripsThroughWriteReadAndCheck) {
  const Problem p = chain(50000);
  const Plan plan = solve(p, best_fit());
  ASSERT_EQ(check_plan(p, plan), std::nullopt);
  const std::string text = plan_text(p, plan);
  std::optional<std::string> mismatch;
  const Plan back = parse_plan_json(text, "plan.json", p, mismatch);
  EXPECT_FALSE(mismatch);
  ASSERT_EQ(back.placements.size(), plan.placements.size());
  for (std::size_t i = 0; i < plan.placements.size(); ++i)
    ASSERT_EQ(back.placements[i].offset, plan.placements[i].offset);
  EXPECT_EQ(back.pool_sizes, plan.pool_sizes);
  EXPECT_EQ(check_plan(p, back), std::nullopt);

  // One buffer moved onto its neighbour: the checker sees it through the fast reader.
  Plan moved = plan;
  moved.placements[777].offset = plan.placements[778].offset;
  const Plan bad = parse_plan_json(plan_text(p, moved), "plan.json", p, mismatch);
  EXPECT_NE(check_plan(p, bad), std::nullopt);
}

TEST(LargeIo, PlanInAnotherOrderAndItsMismatches) {
  const Problem p = chain(100);
  const Plan plan = solve(p, best_fit());
  auto dom = nlohmann::json::parse(plan_text(p, plan));
  std::reverse(dom["buffers"].begin(), dom["buffers"].end());
  std::optional<std::string> mismatch;
  Plan back = parse_plan_json(dom.dump(), "plan.json", p, mismatch);
  EXPECT_FALSE(mismatch);
  for (std::size_t i = 0; i < plan.placements.size(); ++i)
    EXPECT_EQ(back.placements[i].offset, plan.placements[i].offset);

  auto renamed = dom;
  renamed["buffers"][5]["name"] = "nope";
  back = parse_plan_json(renamed.dump(), "plan.json", p, mismatch);
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(*mismatch, "the plan places buffer 'nope', which the problem does not have");
  mismatch.reset();
  auto twice = dom;
  twice["buffers"][5]["name"] = twice["buffers"][6]["name"];
  back = parse_plan_json(twice.dump(), "plan.json", p, mismatch);
  ASSERT_TRUE(mismatch);
  // The first mismatch names the buffer listed twice: its stated live range is another buffer's,
  // or it is placed more than once.
  const std::string named = "'" + twice["buffers"][6]["name"].get<std::string>() + "'";
  EXPECT_NE(mismatch->find(named), std::string::npos) << *mismatch;
}

TEST(LargeIo, MalformedPlansKeepTheirOneLineMessages) {
  const Problem p = chain(3);
  const std::string good = plan_text(p, solve(p, best_fit()));
  auto error_of = [&](const std::string& text) {
    std::optional<std::string> mismatch;
    try {
      parse_plan_json(text, "plan.json", p, mismatch);
    } catch (const InputError& e) { return std::string(e.what()); }
    return std::string("(no error)");
  };
  EXPECT_EQ(error_of(good.substr(0, good.size() / 2)), error_of(good.substr(0, good.size() / 2)));  // stable
  EXPECT_NE(error_of(good.substr(0, good.size() / 2)).find("plan.json:"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, good.size() / 2)).find("truncated"), std::string::npos);
  auto dom = nlohmann::json::parse(good);
  dom["buffers"][1]["offset"] = 1.5;
  EXPECT_EQ(error_of(dom.dump()), "plan.json: buffers[1].offset: expected an integer, found number");
  dom = nlohmann::json::parse(good);
  dom["buffers"][2].erase("pool");
  EXPECT_EQ(error_of(dom.dump()), "plan.json: buffers[2]: missing field \"pool\"");
  // A key given twice: nlohmann keeps the last, and so must the fast reader.
  std::string twice = good;
  const std::size_t at = twice.find("\"offset\": ");
  twice.insert(at, "\"offset\": 99999, ");
  std::optional<std::string> mismatch;
  EXPECT_EQ(parse_plan_json(twice, "plan.json", p, mismatch).placements[0].offset,
            nlohmann::json::parse(twice)["buffers"][0]["offset"].get<std::int64_t>());
  InputLimits shallow;
  shallow.max_nesting = 3;  // a plan's live ranges are 4 deep
  try {
    parse_plan_json(good, "plan.json", p, mismatch, shallow);
    ADD_FAILURE() << "nesting not refused";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "plan.json: JSON nested deeper than the limit of 3 levels");
  }
}

// The on-demand reader skips what it does not use unread unless it checks it: such text must
// fail, or be read, as nlohmann reads it.
TEST(LargeIo, FastReaderTakesOnlyWhatTheFullReaderTakes) {
  const Problem p = chain(3);
  const Plan plan = solve(p, best_fit());
  const std::string good = plan_text(p, plan);
  auto result_of = [&](const std::string& text, const InputLimits& limits = InputLimits{}) {
    std::optional<std::string> mismatch;
    try {
      const Plan back = parse_plan_json(text, "plan.json", p, mismatch, limits);
      return fmt::format("offsets {} {} {}, {}", back.placements[0].offset, back.placements[1].offset,
                         back.placements[2].offset, mismatch.value_or("no mismatch"));
    } catch (const InputError& e) { return std::string(e.what()); }
  };
  const std::string read = fmt::format("offsets {} {} {}, no mismatch", plan.placements[0].offset,
                                       plan.placements[1].offset, plan.placements[2].offset);
  ASSERT_EQ(result_of(good), read);
  auto with = [&](const std::string& field) {  // `field` added to the first buffer
    std::string text = good;
    return text.insert(text.find("\"name\": \"0\""), field + ", ");
  };
  EXPECT_EQ(result_of(with(R"("note": [1, "x", {"k": null}, true, -2.5e3])")), read);
  EXPECT_EQ(result_of(with(R"("\u0078": 1)")), read);
  EXPECT_NE(result_of(with(R"("note": [tru])")).find("plan.json:"), std::string::npos);
  EXPECT_NE(result_of(with(R"("note": 1.2.3)")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(result_of(good + " {}").find("not valid JSON"), std::string::npos);
  EXPECT_NE(result_of(good + " x").find("not valid JSON"), std::string::npos);
  // An escaped key is the key it spells.
  auto first_offset = [&](const std::string& key) {
    std::string text = good;
    const std::string was = "\"offset\": " + std::to_string(plan.placements[0].offset);
    return text.replace(text.find(was), was.size(), key + ": 4096");
  };
  EXPECT_EQ(result_of(first_offset(R"("offs\u0065t")")), result_of(first_offset(R"("offset")")));
  EXPECT_EQ(result_of(first_offset(R"("offset")")).substr(0, 13), "offsets 4096 ");
  EXPECT_EQ(result_of(with(R"("size_bytes": null)")).substr(0, read.size()), read);
  EXPECT_EQ(result_of(with(R"("note": [[[[[[[[1]]]]]]]])")), read);
  InputLimits shallow;
  shallow.max_nesting = 8;  // the first buffer's field is 3 deep, its innermost value 11
  EXPECT_EQ(result_of(with(R"("note": [[[[[[[[1]]]]]]]])"), shallow),
            "plan.json: JSON nested deeper than the limit of 8 levels");
  InputLimits few;
  few.max_buffers = 2;
  EXPECT_EQ(result_of(good, few), "plan.json: more than 2 buffers, the limit");
  InputLimits small;
  small.max_total_bytes = p.buffers[0].size;
  EXPECT_EQ(result_of(good, small),
            fmt::format("plan.json: the buffers' sizes add up to more than the limit of {} bytes", p.buffers[0].size));
}

TEST(LargeIo, PlanCsvRoundTripsAndIsChecked) {
  const Problem p = chain(2000);
  ASSERT_TRUE(plan_csv_fits(p));
  const Plan plan = solve(p, best_fit());
  std::ostringstream out;
  write_plan_csv(p, plan, out);
  const std::string text = out.str();
  EXPECT_TRUE(text.starts_with("id,lower,upper,size,offset\n0,0,2,"));
  std::optional<std::string> mismatch;
  const Plan back = parse_plan_csv(text, "plan.csv", p, mismatch);
  EXPECT_FALSE(mismatch);
  for (std::size_t i = 0; i < plan.placements.size(); ++i)
    ASSERT_TRUE(same(back.placements[i], plan.placements[i])) << i;
  EXPECT_EQ(back.pool_sizes, plan.pool_sizes);
  EXPECT_EQ(check_plan(p, back), std::nullopt);
  // Rows in another order than the problem's (the names are then looked up, not taken in order).
  std::string reversed = "id,offset\n";
  for (std::size_t i = plan.placements.size(); i-- > 0;)
    reversed += p.buffers[i].name + "," + std::to_string(plan.placements[i].offset) + "\n";
  const Plan shuffled = parse_plan_csv(reversed, "reversed.csv", p, mismatch);
  EXPECT_FALSE(mismatch);
  for (std::size_t i = 0; i < plan.placements.size(); ++i)
    ASSERT_TRUE(same(shuffled.placements[i], plan.placements[i])) << i;
  // Only the id and offset columns are read, in any order.
  const Plan two =
      parse_plan_csv("offset , id\n" + std::to_string(plan.placements[1].offset) + ",1\n", "p.csv", p, mismatch);
  EXPECT_TRUE(same(two.placements[1], plan.placements[1]));
  EXPECT_EQ(two.placements[0].pool, -1);
  EXPECT_NE(check_plan(p, two), std::nullopt);
  auto error_of = [&](const std::string& csv) {
    try {
      parse_plan_csv(csv, "p.csv", p, mismatch);
    } catch (const InputError& e) { return std::string(e.what()); }
    return std::string("(no error)");
  };
  EXPECT_EQ(error_of("id,size\n"), "p.csv:1: the header must name the columns id and offset");
  EXPECT_EQ(error_of("id,offset\n0,x\n"), "p.csv:2: offset 'x' is not a 64-bit integer");
  EXPECT_EQ(error_of("id,offset\n0,1,2\n"), "p.csv:2: expected 2 values, found 3");
  EXPECT_EQ(error_of(""), "p.csv: empty file (expected a header id,...,offset)");
  mismatch.reset();
  parse_plan_csv("id,offset\n0,0\n0,16\n", "p.csv", p, mismatch);
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(*mismatch, "buffer '0' is placed more than once");
  Problem two_pools = p;
  two_pools.pools.push_back(two_pools.pools.front());
  EXPECT_FALSE(plan_csv_fits(two_pools));
}

TEST(LargeIo, CliWritesAndChecksCsvPlans) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "arenaplan_large_io_cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string problem = (dir / "p.csv").string(), plan = (dir / "plan.csv").string();
  std::ofstream(problem) << "id,lower,upper,size\na,0,2,16\nb,1,3,32\nc,2,4,16\n";
  auto r = test::run_cli("solve " + problem + " --algorithm best_fit_by_first_use -o " + plan);
  ASSERT_EQ(r.status, 0) << r.out;
  r = test::run_cli("check " + problem + " " + plan);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("valid plan: 3 buffers"), std::string::npos) << r.out;
  std::ofstream(plan) << "id,offset\na,0\nb,0\nc,32\n";  // a and b overlap
  r = test::run_cli("check " + problem + " " + plan);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("invalid plan: conflicting buffers 'a'"), std::string::npos) << r.out;
  r = test::run_cli("solve " + test::data_path("tvm/tvm_algo_fanout.json") + " -o " + plan);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("a CSV plan is for one pool"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// solve -o plan.json writes the plan as it makes it (megabytes here, through every buffer of the
// way), and --format json then prints its summary, not the plan a second time.
TEST(LargeIo, CliStreamsThePlanAndPrintsItsSummary) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("arenaplan_large_io_stream_{}", ::getpid());
  fs::create_directories(dir);
  const std::string problem = (dir / "p.csv").string(), plan = (dir / "plan.json").string();
  {
    std::ofstream csv(problem);
    csv << "id,lower,upper,size\n";
    for (int i = 0; i < 20000; ++i) csv << i << ',' << i << ',' << i + 2 << ',' << 16 * (1 + i % 7) << '\n';
  }
  const std::string solve = "solve " + problem + " --algorithm best_fit_by_first_use --no-timing --format json";
  const auto printed = test::run_cli(solve);
  ASSERT_EQ(printed.status, 0) << printed.out;
  const auto summary = test::run_cli(solve + " -o " + plan);
  ASSERT_EQ(summary.status, 0) << summary.out;
  std::ostringstream file;
  file << std::ifstream(plan).rdbuf();
  EXPECT_EQ(file.str(), printed.out);  // the file is the plan stdout has without -o
  EXPECT_GT(printed.out.size(), std::size_t{2} << 20);
  const auto brief = nlohmann::json::parse(summary.out);
  const auto full = nlohmann::json::parse(printed.out);
  EXPECT_FALSE(brief.contains("buffers"));
  EXPECT_EQ(brief["buffer_count"], 20000);
  EXPECT_EQ(brief["plan_file"], plan);
  EXPECT_EQ(brief["total_bytes"], full["total_bytes"]);
  EXPECT_EQ(brief["pools"], full["pools"]);
  EXPECT_EQ(test::run_cli(solve + " -o /dev/null").status, 0);  // written through at commit
  EXPECT_EQ(test::run_cli("check " + problem + " " + plan).status, 0);
  fs::remove_all(dir);
}

TEST(LargeIo, NameIndexGrowsAndFindsDuplicates) {
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) names.push_back("n" + std::to_string(i * 31));
  NameIndex index;
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_FALSE(index.insert(names[i], static_cast<std::int32_t>(i)));
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(index.find(names[i]), static_cast<std::int32_t>(i));
  EXPECT_EQ(index.insert(names[1234], 99), 1234);
  EXPECT_EQ(index.find("absent"), std::nullopt);
}

}  // namespace
}  // namespace arenaplan
