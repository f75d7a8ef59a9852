// The TensorFlow Lite Micro oracle: for every model of the golden collection, the generated C
// (`arenaplan run --inputs ... --trace --save-io`) is run on TFLite Micro's own input sets and
// every tensor TFLite Micro dumped is compared with ours, bit for bit. The bundled models'
// golden data is in tests/data/golden/ (see its NOTICE); the rest is read from ../shared/golden/
// when it exists next to the repository (as CI has it).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::slurp;

// float32 tensors must be bit-identical too: TFLite Micro's reference kernels and ours run the
// same float operations in the same order (measured: no float32 value differs on any model).
// A kernel that reorders a sum would need a stated bound here, not a silent one.
constexpr std::int64_t kFloatUlpTolerance = 0;

const fs::path kBundledGolden = fs::path(ARENAPLAN_TEST_DATA) / "golden";
const fs::path kShared = fs::path(ARENAPLAN_REPO_DIR) / ".." / "shared";
const fs::path kSharedGolden = kShared / "golden" / "tflm";

struct GoldenModel {
  std::string name;
  fs::path golden;  // the directory with index.json and set<k>/
  fs::path model;   // the .tflite file
};

void PrintTo(const GoldenModel& m, std::ostream* os) { *os << m.name; }

// Bundled models from the repository copy; the others from ../shared when it is there.
std::vector<GoldenModel> golden_models() {
  std::map<std::string, GoldenModel> out;
  if (fs::is_directory(kBundledGolden))
    for (const auto& e : fs::directory_iterator(kBundledGolden))
      if (e.is_directory())
        out[e.path().filename()] = {
            e.path().filename(), e.path(),
            fs::path(ARENAPLAN_REPO_DIR) / "data" / "models" / (e.path().filename().string() + ".tflite")};
  if (fs::is_directory(kSharedGolden))
    for (const auto& e : fs::directory_iterator(kSharedGolden)) {
      const std::string name = e.path().filename();
      if (!e.is_directory() || out.contains(name)) continue;
      const json index = json::parse(slurp((e.path() / "index.json").string()));
      out[name] = {name, e.path(), kShared / index.at("model_file").get<std::string>()};
    }
  std::vector<GoldenModel> v;
  for (auto& [name, m] : out) v.push_back(std::move(m));
  return v;
}

std::string scratch_dir(const std::string& name) { return test::fresh_dir("golden", name); }

// "not yet supported: SVDF, SOFTMAX (...)" from run's warnings and its refusal.
std::string unsupported(const std::string& err) {
  std::vector<std::string> ops;
  std::string refusal;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("no arenaplan kernel") != std::string::npos) refusal = line;
    if (line.find("has no rule") == std::string::npos) continue;
    const auto open = line.find(" (", line.find("operator ")), close = line.find("):", open);
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string op = line.substr(open + 2, close - open - 2);
    if (std::find(ops.begin(), ops.end(), op) == ops.end()) ops.push_back(op);
  }
  std::string list;
  for (const std::string& op : ops) list += (list.empty() ? "" : ", ") + op;
  return fmt::format("not yet supported: {} ({})", list, refusal);
}

// Byte ranges TFLite Micro leaves unwritten (they hold whatever its arena held): not compared.
std::vector<std::pair<std::size_t, std::size_t>> masked_bytes(const json& tensor) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (!tensor.contains("arena_dependent_elements")) return out;
  std::size_t elements = 1;
  for (const auto& d : tensor.at("shape")) elements *= d.get<std::size_t>();
  const std::size_t size = tensor.at("bytes").get<std::size_t>() / std::max<std::size_t>(elements, 1);
  for (const auto& r : tensor.at("arena_dependent_elements"))
    out.emplace_back(r.at(0).get<std::size_t>() * size, r.at(1).get<std::size_t>() * size);
  return out;
}

struct Tally {
  int compared = 0, identical = 0, through_alias = 0, floats = 0;
  double max_float_difference = 0;
  std::int64_t max_ulps = 0;
};

std::int64_t ulps(float a, float b) {
  auto key = [](float f) {
    const auto i = static_cast<std::int64_t>(std::bit_cast<std::int32_t>(f));
    return i < 0 ? -(i & 0x7fffffff) : i;  // monotonic in the float's value
  };
  return std::llabs(key(a) - key(b));
}

// Compares one golden tensor with ours; returns a description of the first difference, or "".
std::string compare_tensor(const json& golden, const std::string& expected, const std::string& actual, Tally& tally) {
  if (expected.size() != actual.size())
    return fmt::format("{} bytes, TFLite Micro has {}", actual.size(), expected.size());
  std::string a = actual, e = expected;
  for (const auto& [from, to] : masked_bytes(golden)) {
    std::fill(a.begin() + static_cast<std::ptrdiff_t>(from), a.begin() + static_cast<std::ptrdiff_t>(to), '\0');
    std::fill(e.begin() + static_cast<std::ptrdiff_t>(from), e.begin() + static_cast<std::ptrdiff_t>(to), '\0');
  }
  if (a == e) return "";
  if (golden.at("type") != "FLOAT32") {
    const auto at = std::mismatch(a.begin(), a.end(), e.begin()).first - a.begin();
    return fmt::format("byte {} is 0x{:02x}, TFLite Micro has 0x{:02x}", at, static_cast<std::uint8_t>(a[at]),
                       static_cast<std::uint8_t>(e[at]));
  }
  std::int64_t worst = 0;
  std::size_t worst_at = 0;
  for (std::size_t i = 0; i + 4 <= a.size(); i += 4) {
    float x = 0, y = 0;
    std::memcpy(&x, a.data() + i, 4);
    std::memcpy(&y, e.data() + i, 4);
    tally.max_float_difference = std::max(tally.max_float_difference, std::fabs(static_cast<double>(x) - y));
    if (ulps(x, y) > worst) worst = ulps(x, y), worst_at = i / 4;
  }
  tally.max_ulps = std::max(tally.max_ulps, worst);
  if (worst <= kFloatUlpTolerance) return "";
  return fmt::format("float32 element {} differs by {} ULP (tolerance {})", worst_at, worst, kFloatUlpTolerance);
}

class Golden : public testing::TestWithParam<GoldenModel> {};

TEST_P(Golden, EveryTensorMatchesTfliteMicro) {
  const GoldenModel& m = GetParam();
  const json golden = json::parse(slurp((m.golden / "index.json").string()));
  const std::string out = scratch_dir(m.name);
  std::string args = "run " + m.model.string();
  for (const auto& set : golden.at("sets")) {
    args += " --inputs";
    for (const auto& f : set.at("input_files")) args += " " + (m.golden / f.get<std::string>()).string();
  }
  const auto r = test::run_arenaplan(args + " --trace --save-io " + out + "/io", out);
  if (r.status == 2 && r.err.find("no arenaplan kernel") != std::string::npos)
    GTEST_SKIP() << m.name << ": " << unsupported(r.err);
  ASSERT_EQ(r.status, 0) << r.out << r.err;

  const json ours = json::parse(slurp(out + "/io/index.json"));
  std::map<std::int64_t, json> mine;
  for (const auto& t : ours.at("tensors")) mine[t.at("index").get<std::int64_t>()] = t;
  Tally tally;
  for (const auto& set : golden.at("sets")) {
    const std::string dir = set.at("dir");
    for (const auto& t : set.at("tensors")) {
      const auto index = t.at("index").get<std::int64_t>();
      const std::string what = fmt::format("{} {} t{} '{}'", m.name, dir, index, t.at("name").get<std::string>());
      const auto found = mine.find(index);
      if (found == mine.end()) {
        ADD_FAILURE() << what << ": TFLite Micro computed it, run --trace --save-io did not write it"
                      << (t.at("is_variable").get<bool>() ? " (variable state is not dumped yet)" : "");
        continue;
      }
      EXPECT_EQ(found->second.at("type"), t.at("type")) << what;
      EXPECT_EQ(found->second.at("shape"), t.at("shape")) << what;
      ++tally.compared;
      tally.floats += t.at("type") == "FLOAT32" ? 1 : 0;
      tally.through_alias += found->second.contains("alias_of") ? 1 : 0;
      const std::string diff = compare_tensor(t, slurp((m.golden / t.at("file").get<std::string>()).string()),
                                              slurp(fmt::format("{}/io/{}/t{}.bin", out, dir, index)), tally);
      if (diff.empty())
        ++tally.identical;
      else
        ADD_FAILURE() << what << ": " << diff;
    }
  }
  EXPECT_GT(tally.compared, 0);
  const std::string floats = tally.floats == 0 ? std::string("no float32 tensor")
                                               : fmt::format("max float32 difference {:g} ({} ULP)",
                                                             tally.max_float_difference, tally.max_ulps);
  std::cout << fmt::format("{}: tensors compared {} / identical {} ({} sets; {} through RESHAPE-like aliases), {}\n",
                           m.name, tally.compared, tally.identical, golden.at("sets").size(), tally.through_alias,
                           floats);
}

INSTANTIATE_TEST_SUITE_P(Tflm, Golden, testing::ValuesIn(golden_models()),
                         [](const testing::TestParamInfo<GoldenModel>& p) { return p.param.name; });

// The repository copy is the shared collection's, byte for byte, and covers every bundled model
// that TFLite Micro ran.
TEST(GoldenData, RepositoryCopyMatchesTheSharedCollection) {
  if (!fs::is_directory(kSharedGolden)) GTEST_SKIP() << "no " << kSharedGolden;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(kBundledGolden)) {
    if (!e.is_regular_file() || e.path().parent_path() == kBundledGolden) continue;
    const fs::path relative = fs::relative(e.path(), kBundledGolden);
    EXPECT_EQ(slurp(e.path().string()), slurp((kSharedGolden / relative).string())) << relative;
    ++files;
  }
  EXPECT_GT(files, 0);
  for (const auto& e : fs::directory_iterator(fs::path(ARENAPLAN_REPO_DIR) / "data" / "models")) {
    if (e.path().extension() != ".tflite") continue;
    const std::string name = e.path().stem();
    EXPECT_EQ(fs::is_directory(kSharedGolden / name), fs::is_directory(kBundledGolden / name)) << name;
  }
}

}  // namespace
}  // namespace arenaplan
