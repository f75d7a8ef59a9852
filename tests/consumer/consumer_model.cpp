// The model layer from C++20, on top of the core: the umbrella header, a pool spec, a glob rule.
#include <arenaplan/model.h>

#include <cstdio>

#if defined(FMT_VERSION) || defined(NLOHMANN_JSON_VERSION_MAJOR) || defined(FLATBUFFERS_VERSION_MAJOR) || \
    defined(GOOGLE_PROTOBUF_VERSION)
#error "an arenaplan header included a third-party header"
#endif

int main() {
  try {
    const arenaplan::PoolSpec spec = arenaplan::parse_pool_spec("dtcm:size=64K,align=16", "consumer");
    const arenaplan::PlaceRule rule = arenaplan::parse_place_rule("conv*=dtcm", "consumer");
    if (spec.size != 65536 || !arenaplan::glob_match(rule.pattern, "conv_1")) {
      std::fprintf(stderr, "consumer_model: unexpected pool spec or rule\n");
      return 1;
    }
    std::printf("C++20 model consumer: pool %s of %lld bytes, rule %s\n", spec.name.c_str(),
                static_cast<long long>(*spec.size), rule.text.c_str());
  } catch (const arenaplan::InputError& e) {
    std::fprintf(stderr, "consumer_model: %s\n", e.what());
    return 2;
  }
  return 0;
}
