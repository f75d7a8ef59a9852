// Pools for real chips: the pool spec parser, assignment across pools (U3), constants split
// between memories, I/O inside a pool (U4), models sharing a pool (U2), overflow diagnostics.
#include <gtest/gtest.h>

#include <filesystem>

#include "arenaplan/byte_size.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/pool_assignment.h"
#include "arenaplan/pools.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

using test::model;

TEST(PoolSpec, ParsesEveryKey) {
  const PoolSpec a = parse_pool_spec("dtcm:size=64K,align=16,kinds=activation+scratch,section=.dtcm_bss", "t");
  EXPECT_EQ(a.name, "dtcm");
  EXPECT_EQ(a.size, 65536);
  EXPECT_EQ(a.alignment, 16);
  EXPECT_EQ(a.kind, PoolKind::workspace);
  EXPECT_EQ(a.section, ".dtcm_bss");
  EXPECT_TRUE(a.admits(BufferKind::scratch));
  EXPECT_FALSE(a.admits(BufferKind::input));
  EXPECT_FALSE(a.admits(BufferKind::constant));
  const PoolSpec b = parse_pool_spec("flash:kind=constant,size=1M", "t");
  EXPECT_EQ(b.kind, PoolKind::constant);
  EXPECT_EQ(b.size, 1 << 20);
  EXPECT_TRUE(b.admits(BufferKind::constant));
  EXPECT_FALSE(b.admits(BufferKind::activation));
  EXPECT_TRUE(parse_pool_spec("sram:external", "t").external);
  EXPECT_FALSE(parse_pool_spec("sram:external=false", "t").external);
  const PoolSpec c = parse_pool_spec("sram", "t");
  EXPECT_FALSE(c.size);
  EXPECT_TRUE(c.kinds.empty());
}

TEST(PoolSpec, RejectsBadSpecsWithOneLine) {
  const char* bad[] = {"",
                       ":size=1",
                       "1sram",
                       "sr-am",
                       "sram:",
                       "sram:size",
                       "sram:size=",
                       "sram:size=0",
                       "sram:size=2T",
                       "sram:size=-4",
                       "sram:size=4Q",
                       "sram:align=3",
                       "sram:align=0",
                       "sram:kind=flash",
                       "sram:kinds=weights",
                       "sram:kinds=constant",
                       "flash:kind=constant,kinds=input",
                       "sram:colour=red",
                       "sram:external=maybe",
                       "sram:section=a b",
                       "sram:external,section=.x",
                       "sram:,size=1",
                       "sram:=1"};
  for (const char* spec : bad) {
    try {
      parse_pool_spec(spec, "--pool X");
      ADD_FAILURE() << "accepted '" << spec << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--pool X: ", 0), 0u) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

TEST(PoolSpec, ByteSizesAndGlobs) {
  EXPECT_EQ(parse_byte_size("64K"), 65536);
  EXPECT_EQ(parse_byte_size("1M"), 1 << 20);
  EXPECT_FALSE(parse_byte_size("K"));
  EXPECT_FALSE(parse_byte_size("99999999999999999999"));
  EXPECT_TRUE(glob_match("conv*", "conv2d/Relu"));
  EXPECT_TRUE(glob_match("*Relu*", "a/Relu;b"));
  EXPECT_TRUE(glob_match("in?ut_1", "input_1"));
  EXPECT_FALSE(glob_match("conv*", "dense"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match(std::string(40, '*') + "x", std::string(200, 'a')));
  const PlaceRule r = parse_place_rule("conv*=dtcm", "--place");
  EXPECT_EQ(r.pattern, "conv*");
  EXPECT_EQ(r.pool, "dtcm");
  EXPECT_THROW(parse_place_rule("conv*", "--place"), InputError);
  EXPECT_THROW(parse_place_rule("=dtcm", "--place"), InputError);
}

TEST(PoolSpec, PoolsFile) {
  const auto pools = parse_pools_json(
      R"({"pools": [{"name": "dtcm", "size": "64K", "align": 16, "kinds": ["activation", "scratch"]},
                    {"name": "flash", "kind": "constant", "size": 1048576, "external": true}]})",
      "p.json");
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[0].size, 65536);
  EXPECT_EQ(pools[0].kinds.size(), 2u);
  EXPECT_TRUE(pools[1].external);
  EXPECT_EQ(pools[1].kind, PoolKind::constant);
  EXPECT_THROW(parse_pools_json("{}", "p.json"), InputError);
  EXPECT_THROW(parse_pools_json(R"([{"name": "a"}, {"name": "a"}])", "p.json"), InputError);
  EXPECT_THROW(parse_pools_json(R"([{"name": "a", "size": [1]}])", "p.json"), InputError);
  EXPECT_THROW(parse_pools_json(R"([{"size": 1}])", "p.json"), InputError);
  EXPECT_THROW(parse_pools_json("[", "p.json"), InputError);
}

SolveOptions fast() {
  SolveOptions s;
  s.time_limit_seconds = 0.2;
  return s;
}

PoolSetup setup(std::vector<std::string> specs, std::vector<std::string> place = {}) {
  PoolSetup s;
  for (const auto& spec : specs) s.pools.push_back(parse_pool_spec(spec, "test"));
  for (const auto& rule : place) s.place.push_back(parse_place_rule(rule, "test"));
  return s;
}

Bytes pool_size(const PooledModel& m, const std::string& name) {
  return m.model.plan.pool_sizes.at(static_cast<std::size_t>(*m.model.lowered.problem.find_pool(name)));
}

// U1: no pools named: one unlimited workspace and one constant pool, both internal.
TEST(ModelPools, DefaultPools) {
  const Graph g = model("mlperf_tiny_kws_dscnn_int8");
  const PooledModel m = plan_model_in_pools(g, {}, fast(), {});
  ASSERT_EQ(m.pools.size(), 2u);
  EXPECT_EQ(m.pools[0].name, "workspace");
  EXPECT_EQ(m.pools[1].name, "constants");
  EXPECT_FALSE(check_plan(m.model.lowered.problem, m.model.plan));
  const ModelPlan plain = plan_model(g, {}, fast());
  EXPECT_EQ(pool_size(m, "workspace"), plain.arena_bytes());
}

// U3: the fast pool is too small for everything; the densest buffers fill it, the rest fall back.
TEST(ModelPools, TwoPoolsFastOneTooSmall) {
  const Graph g = model("mlperf_tiny_ic_resnet8_int8");
  const PooledModel all = plan_model_in_pools(g, {}, fast(), {});
  const Bytes whole = pool_size(all, "workspace");
  const PooledModel m = plan_model_in_pools(g, {}, fast(), setup({"dtcm:size=" + std::to_string(whole / 2), "sram"}));
  const Problem& p = m.model.lowered.problem;
  EXPECT_FALSE(check_plan(p, m.model.plan));
  EXPECT_LE(pool_size(m, "dtcm"), whole / 2);
  EXPECT_GT(pool_size(m, "dtcm"), whole / 4);  // well used
  EXPECT_GT(pool_size(m, "sram"), 0);
  // Every buffer in sram says why, naming dtcm.
  double min_dtcm = 1e9, max_sram = 0;
  for (std::size_t i = 0; i < p.buffers.size(); ++i) {
    const std::string& pool = p.pools[static_cast<std::size_t>(m.model.plan.placements[i].pool)].name;
    if (pool == "sram") {
      EXPECT_NE(m.choices[i].reason.find("dtcm full"), std::string::npos) << m.choices[i].reason;
      max_sram = std::max(max_sram, m.choices[i].density);
    }
    if (pool == "dtcm") min_dtcm = std::min(min_dtcm, m.choices[i].density);
  }
  EXPECT_GE(max_sram, 0.0);
  EXPECT_GT(min_dtcm, 0.0);
}

TEST(ModelPools, KindsAndPlaceRules) {
  const Graph g = model("mlperf_tiny_kws_dscnn_int8");
  const PooledModel m =
      plan_model_in_pools(g, {}, fast(), setup({"dtcm:kinds=input+output", "sram:kinds=activation+scratch+variable"}));
  const Problem& p = m.model.lowered.problem;
  for (std::size_t i = 0; i < p.buffers.size(); ++i) {
    const std::string& pool = p.pools[static_cast<std::size_t>(m.model.plan.placements[i].pool)].name;
    const BufferKind k = p.buffers[i].kind;
    if (k == BufferKind::input || k == BufferKind::output)
      EXPECT_EQ(pool, "dtcm");
    else if (k == BufferKind::constant)
      EXPECT_EQ(pool, "constants");
    else
      EXPECT_EQ(pool, "sram");
  }
  const PooledModel placed = plan_model_in_pools(g, {}, fast(), setup({"dtcm:size=1K", "sram"}, {"input_1=sram"}));
  const auto in = placed.model.lowered.tensor_buffer[static_cast<std::size_t>(g.inputs[0])];
  EXPECT_EQ(placed.model.plan.placements[static_cast<std::size_t>(in)].pool,
            *placed.model.lowered.problem.find_pool("sram"));
  EXPECT_EQ(placed.choices[static_cast<std::size_t>(in)].reason, "placement rule 'input_1=sram'");
  EXPECT_THROW(plan_model_in_pools(g, {}, fast(), setup({"sram"}, {"input_1=flash"})), InputError);
  EXPECT_THROW(plan_model_in_pools(g, {}, fast(), setup({"sram", "flash:kind=constant"}, {"input_1=flash"})),
               InputError);
  EXPECT_THROW(plan_model_in_pools(g, {}, fast(), setup({"sram:kinds=activation"})),
               InputError);  // no pool for scratch/io
}

// Constants split between two memories: ITCM first (limited), flash after.
TEST(ModelPools, ConstantsSplitBetweenTwoPools) {
  const Graph g = model("mlperf_tiny_kws_dscnn_int8");
  const PooledModel m =
      plan_model_in_pools(g, {}, fast(), setup({"sram", "itcm:kind=constant,size=16K", "flash:kind=constant"}));
  EXPECT_FALSE(check_plan(m.model.lowered.problem, m.model.plan));
  const Bytes itcm = pool_size(m, "itcm"), flash = pool_size(m, "flash");
  EXPECT_LE(itcm, 16384);
  EXPECT_GT(itcm, 12000);
  EXPECT_GT(flash, 0);
  Bytes constants = 0;
  for (const Buffer& b : m.model.lowered.problem.buffers)
    if (b.kind == BufferKind::constant) constants += b.size;
  EXPECT_EQ(itcm + flash, constants);  // packed: constants all live together
}

TEST(ModelPools, OverflowSaysWhichPoolAndBy) {
  const Graph g = model("mlperf_tiny_kws_dscnn_int8");
  try {
    plan_model_in_pools(g, {}, fast(), setup({"sram:size=4K"}));
    FAIL();
  } catch (const NoSolution& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("pool 'sram' overflows by 11904 bytes"), std::string::npos) << m;
    EXPECT_NE(m.find("the smallest size that works is 16000 bytes"), std::string::npos) << m;
  }
  try {
    plan_model_in_pools(g, {}, fast(), setup({"sram", "flash:kind=constant,size=10K"}));
    FAIL();
  } catch (const NoSolution& e) {
    EXPECT_NE(std::string(e.what()).find("pool 'flash' overflows"), std::string::npos) << e.what();
  }
}

// U4: inputs and outputs inside the workspace pool.
TEST(ModelPools, InputsAndOutputsInThePool) {
  const Graph g = model("tflm_micro_speech_int8");
  const PooledModel m = plan_model_in_pools(g, {}, fast(), setup({"sram:size=64K"}));
  const auto sram = *m.model.lowered.problem.find_pool("sram");
  for (std::int32_t t : g.inputs) {
    const auto b = m.model.lowered.tensor_buffer[static_cast<std::size_t>(t)];
    ASSERT_GE(b, 0);
    EXPECT_EQ(m.model.plan.placements[static_cast<std::size_t>(b)].pool, sram);
  }
  for (std::int32_t t : g.outputs) {
    const auto b = m.model.lowered.tensor_buffer[static_cast<std::size_t>(t)];
    ASSERT_GE(b, 0);
    EXPECT_EQ(m.model.plan.placements[static_cast<std::size_t>(b)].pool, sram);
  }
}

TEST(PoolCli, SharedPoolAcrossModelsAndErrors) {
  const std::string dir = testing::TempDir() + "/pools_cli";
  std::filesystem::create_directories(dir);
  const std::string a = test::model_path("mlperf_tiny_kws_dscnn_int8"), b = test::model_path("tflm_micro_speech_int8");
  auto r =
      test::run_arenaplan("plan " + a + " " + b + " --shared-pool sram --pool sram --no-timing --time-limit 0.2", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("shared pool 'sram'"), std::string::npos);
  EXPECT_NE(r.out.find("the pool needs 16000 bytes (the largest)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sram         workspace external"), std::string::npos) << r.out;
  r = test::run_arenaplan("plan " + a + " --pool 'sram:size=4K' --time-limit 0.2", dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("pool 'sram' overflows by"), std::string::npos) << r.err;
  r = test::run_arenaplan("plan " + a + " --pool 'sram:size=lots'", dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "arenaplan: --pool sram:size=lots: pool 'sram': size 'lots' is not a byte count (e.g. 65536, 64K, 1M)\n");
  r = test::run_arenaplan("plan " + a + " " + b + " --pool sram", dir);
  EXPECT_EQ(r.status, 2);
  r = test::run_arenaplan(
      "plan " + a + " --pool dtcm:size=8K --pool sram --pool flash:kind=constant --no-timing --time-limit 0.2 -v", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("where the bytes went"), std::string::npos);
  EXPECT_NE(r.out.find("dtcm full of denser buffers"), std::string::npos);
}

}  // namespace
}  // namespace arenaplan
