// A corpus of malformed inputs, made here from real files: truncated, wrong types, absurd sizes,
// integer overflows in sizes and live ranges, odd bytes in names, garbage. Every command must
// exit 2 with one line naming the file — no crash, no hang, no partial output file. (The suite
// also runs under AddressSanitizer + UBSan.) Bit-flipped models, which may stay valid, must not
// crash either.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "cli_runner.h"
#include "test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string label;
  std::string command;   // solve, check or plan
  std::string filename;  // extension matters: .json, .csv, .tflite
  std::string content;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string buffer_json(const std::string& fields) {
  return R"({"pools": [{"name": "p", "size_hint_bytes": null}], "buffers": [{"name": "a", "size_bytes": 8, "live": [[0, 2]]}, )" +
         fields + "]}";
}

std::vector<Case> make_corpus() {
  std::vector<Case> cases;
  // Problem JSON truncated at 40 places.
  const std::string json = slurp(test::data_path("tvm/tvm_algo_fanout.json"));
  for (int k = 0; k < 40; ++k)
    cases.push_back({"json truncated " + std::to_string(k), "solve", "t.json", json.substr(0, json.size() * k / 41)});
  // Wrong types and absurd values, field by field.
  const std::vector<std::string> bad_buffers = {
      R"({"name": "b", "size_bytes": "8"})",
      R"({"name": "b", "size_bytes": 8.5})",
      R"({"name": "b", "size_bytes": true})",
      R"({"name": "b", "size_bytes": [8]})",
      R"({"name": "b", "size_bytes": {"v": 8}})",
      R"({"name": "b"})",
      R"({"size_bytes": 8})",
      R"({"name": null, "size_bytes": 8})",
      R"({"name": ["b"], "size_bytes": 8})",
      R"({"name": "b", "size_bytes": -1})",
      R"({"name": "b", "size_bytes": 2305843009213693952})",
      R"({"name": "b", "size_bytes": 9223372036854775807})",
      R"({"name": "b", "size_bytes": 18446744073709551615})",
      R"({"name": "b", "size_bytes": 1e30})",
      R"({"name": "b", "size_bytes": 44e4444888})",
      R"({"name": "b", "size_bytes": 8, "alignment": 0})",
      R"({"name": "b", "size_bytes": 8, "alignment": -16})",
      R"({"name": "b", "size_bytes": 8, "alignment": 1099511627776})",
      R"({"name": "b", "size_bytes": 8, "alignment": "16"})",
      R"({"name": "b", "size_bytes": 8, "live": [[5, 2]]})",
      R"({"name": "b", "size_bytes": 8, "live": [[3, 3]]})",
      R"({"name": "b", "size_bytes": 8, "live": [[-5, 2]]})",
      R"({"name": "b", "size_bytes": 8, "live": [[0, 9223372036854775807]]})",
      R"({"name": "b", "size_bytes": 8, "live": [[0]]})",
      R"({"name": "b", "size_bytes": 8, "live": [0, 3]})",
      R"({"name": "b", "size_bytes": 8, "live": [[0, 3, 5]]})",
      R"({"name": "b", "size_bytes": 8, "live": "0-3"})",
      R"({"name": "b", "size_bytes": 8, "live": [["0", "3"]]})",
      R"({"name": "b", "size_bytes": 8, "conflicts": "a"})",
      R"({"name": "b", "size_bytes": 8, "conflicts": ["zz"]})",
      R"({"name": "b", "size_bytes": 8, "conflicts": [{}]})",
      R"({"name": "b", "size_bytes": 8, "pool_candidates": ["q"]})",
      R"({"name": "b", "size_bytes": 8, "pool_candidates": []})",
      R"({"name": "b", "size_bytes": 8, "pool_candidates": ["p", "p"]})",
      R"({"name": "b", "size_bytes": 8, "pool_candidates": "p"})",
      R"({"name": "b", "size_bytes": 8, "kind": "heap"})",
      R"({"name": "b", "size_bytes": 8, "kind": 3})",
      R"({"name": "b", "size_bytes": 8, "fixed_offset": -8})",
      R"({"name": "b", "size_bytes": 8, "fixed_offset": 3, "alignment": 4})",
      R"({"name": "b", "size_bytes": 8, "fixed_offset": 9223372036854775800})",
      R"({"name": "b", "size_bytes": 1152921504606846976, "fixed_offset": 1152921504606846976})",
      R"({"name": "a", "size_bytes": 8})",
      R"({"name": "", "size_bytes": 8})",
      "[]",
      "7",
      "null",
      R"({"name": "b", "size_bytes": 8, "tensor": "x"})",
      R"({"name": "b", "size_bytes": 8, "operator": 1.5})",
  };
  for (std::size_t k = 0; k < bad_buffers.size(); ++k)
    cases.push_back({"json buffer field " + std::to_string(k), "solve", "f.json", buffer_json(bad_buffers[k])});
  // Sizes that overflow when added: 16 buffers of 2^60 bytes.
  std::string big = R"({"buffers": [)";
  for (int k = 0; k < 16; ++k)
    big += (k ? "," : "") + fmt::format(R"({{"name": "b{}", "size_bytes": 1152921504606846976}})", k);
  cases.push_back({"json sizes overflow", "solve", "big.json", big + "]}"});
  const std::vector<std::string> bad_roots = {
      "",
      "   ",
      "{",
      "}",
      "[",
      "{\"buffers\": [}",
      "{\"buffers\": 3}",
      "{\"pools\": 3, \"buffers\": []}",
      "{\"pools\": [{\"size_hint_bytes\": 4}], \"buffers\": []}",
      "{\"pools\": [{\"name\": \"p\", \"size_hint_bytes\": -7}], \"buffers\": []}",
      "{\"pools\": [{\"name\": \"p\", \"kind\": \"rom\"}], \"buffers\": []}",
      "{\"pools\": [{\"name\": \"p\", \"alignment\": 0}], \"buffers\": []}",
      "{\"buffers\": [{\"name\": \"\xff\xfe\", \"size_bytes\": 1}]}",
      "{\"buffers\": [{\"name\": \"a\xc3\", \"size_bytes\": 1}]}",
      std::string("{\"buffers\": [{\"name\": \"a\0b\", \"size_bytes\": 1}]}", 38),
      "\xef\xbb\xbf{",
      "{\"buffers\": [] } trailing",
      std::string(100, '[') + std::string(100, ']'),
      "{\"buffers\": [" + std::string(200, '[') + std::string(200, ']') + "]}",
      "{\"buffers\": [{\"name\": \"a\", \"size_bytes\": 1}, {\"name\": \"a\", \"size_bytes\": 2}]}",
  };
  for (std::size_t k = 0; k < bad_roots.size(); ++k)
    cases.push_back({"json root " + std::to_string(k), "solve", "r.json", bad_roots[k]});
  // MiniMalloc CSV.
  const std::vector<std::string> bad_csv = {
      "",
      "\n\n",
      "id,lower,upper\n0,0,1\n",
      "id,lower,upper,size,extra\n",
      "id,id,lower,upper,size\n",
      "id,lower,upper,size\n0,0,1\n",
      "id,lower,upper,size\n0,0,1,2,3\n",
      "id,lower,upper,size\n0,a,1,2\n",
      "id,lower,upper,size\n0,0,1,0x10\n",
      "id,lower,upper,size\n0,0,1,1.5\n",
      "id,lower,upper,size\n0,0,1,-3\n",
      "id,lower,upper,size\n0,5,1,2\n",
      "id,lower,upper,size\n0,5,5,2\n",
      "id,lower,upper,size\n0,-5,5,2\n",
      "id,lower,upper,size\n0,0,99999999999999999999,2\n",
      "id,lower,upper,size\n0,0,1099511627777,2\n",
      "id,lower,upper,size\n0,0,1,9223372036854775807\n",
      "id,lower,upper,size\n0,0,1,2305843009213693952\n",
      "id,lower,upper,size\n0,0,1,2\n0,0,1,2\n",
      "id,lower,upper,size\n,0,1,2\n",
      "id,lower,upper,size,alignment\n0,0,1,2,0\n",
      "id,lower,upper,size,alignment\n0,0,1,2,-4\n",
      "id,lower,upper,size\n0,0,1, \n",
      "\x89PNG\r\n\x1a\n",
      std::string("id,lower,upper,size\n0,0,1,2\0", 29),
      "lower,upper,size\n0,1,2\n",
  };
  for (std::size_t k = 0; k < bad_csv.size(); ++k)
    cases.push_back({"csv " + std::to_string(k), "solve", "c.csv", bad_csv[k]});
  std::string many_big = "id,lower,upper,size\n";
  for (int k = 0; k < 8; ++k) many_big += fmt::format("{},0,1,1152921504606846976\n", k);
  cases.push_back({"csv sizes overflow", "solve", "o.csv", many_big});
  // Plan JSON for `check`.
  const std::vector<std::string> bad_plans = {
      "",
      "{",
      "[]",
      "{}",
      "{\"buffers\": 1}",
      "{\"buffers\": [{\"name\": \"a\"}]}",
      "{\"buffers\": [{\"name\": \"a\", \"pool\": \"workspace\", \"offset\": \"0\"}]}",
      "{\"buffers\": [{\"name\": \"a\", \"pool\": true, \"offset\": 0}]}",
      "{\"buffers\": [{\"name\": \"a\", \"pool\": \"workspace\", \"offset\": 1e99}]}",
      "{\"buffers\": [{\"name\": \"a\", \"pool\": \"workspace\", \"offset\": 18446744073709551615}]}",
      "{\"buffers\": [], \"pools\": [{\"name\": [5]}]}",
      "{\"buffers\": [], \"pools\": [{\"name\": \"workspace\", \"size_bytes\": \"x\"}]}",
  };
  for (std::size_t k = 0; k < bad_plans.size(); ++k)
    cases.push_back({"plan " + std::to_string(k), "check", "plan.json", bad_plans[k]});
  // TFLite models: truncated at 30 places, garbage, other formats.
  const std::string model = slurp(std::string(ARENAPLAN_REPO_DIR) + "/data/models/tflm_hello_world_int8.tflite");
  for (int k = 0; k < 40; ++k)
    cases.push_back(
        {"tflite truncated " + std::to_string(k), "plan", "m.tflite", model.substr(0, model.size() * k / 41)});
  std::mt19937_64 rng(3);
  for (int k = 0; k < 12; ++k) {
    std::string garbage(static_cast<std::size_t>(16 + rng() % 4096), '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    cases.push_back({"tflite garbage " + std::to_string(k), "plan", "g.tflite", garbage});
  }
  cases.push_back({"tflite is json", "plan", "j.tflite", json});
  cases.push_back({"tflite empty", "plan", "e.tflite", ""});
  std::string wrong_id = model;
  if (wrong_id.size() > 8) wrong_id.replace(4, 4, "XXXX");
  cases.push_back({"tflite wrong identifier", "plan", "w.tflite", wrong_id});
  return cases;
}

class HostileInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arenaplan_hostile_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(HostileInputs, EveryCommandExits2WithOneLineNamingTheFile) {
  const std::vector<Case> corpus = make_corpus();
  ASSERT_GE(corpus.size(), 200u);
  const std::string problem = (dir_ / "ok.csv").string();
  std::ofstream(problem) << "id,lower,upper,size\na,0,5,10\n";
  for (const Case& c : corpus) {
    const fs::path input = dir_ / c.filename;
    std::ofstream(input, std::ios::binary | std::ios::trunc) << c.content;
    const fs::path output = dir_ / "out.json";
    const std::string args = c.command == "check"
                                 ? "check " + problem + " " + input.string()
                                 : c.command + " " + input.string() + " -o " + output.string() + " --time-limit 1";
    const auto r = test::run_cli(args);
    EXPECT_EQ(r.status, 2) << c.label << ": " << r.out;
    EXPECT_NE(r.out.find(input.string()), std::string::npos) << c.label << ": " << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << c.label << ": " << r.out;
    EXPECT_FALSE(fs::exists(output)) << c.label;
    for (const auto& entry : fs::directory_iterator(dir_))
      EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << c.label << " left " << entry.path();
  }
}

TEST_F(HostileInputs, BitFlippedModelsNeverCrash) {
  const std::string model = slurp(std::string(ARENAPLAN_REPO_DIR) + "/data/models/tflm_micro_speech_int8.tflite");
  std::mt19937_64 rng(17);
  for (int k = 0; k < 40; ++k) {
    std::string flipped = model;
    for (int f = 0; f < 1 + k % 4; ++f) flipped[rng() % flipped.size()] ^= static_cast<char>(1u << (rng() % 8));
    const fs::path input = dir_ / "flip.tflite";
    std::ofstream(input, std::ios::binary | std::ios::trunc) << flipped;
    const auto r = test::run_cli("plan " + input.string() + " --time-limit 1");
    EXPECT_TRUE(r.status == 0 || r.status == 1 || r.status == 2) << "flip " << k << ": status " << r.status << "\n"
                                                                 << r.out;
  }
}

}  // namespace
}  // namespace arenaplan
