// The C API: versions, solve options, solving, and algorithms registered as C callbacks.
#include <fmt/format.h>

#include "arenaplan/version.h"
#include "capi/c_handles.h"

using namespace arenaplan;
using arenaplan::capi::guarded;
using arenaplan::capi::need;

namespace {

arenaplan_options& options_at(arenaplan_options* options, const char* function) {
  return need(options, function, "options");
}

// A C callback as an AlgorithmFn: it fills an empty plan through a read-only view of the problem.
AlgorithmFn c_algorithm(std::string name, arenaplan_algorithm_fn fn, void* user_data) {
  return [name, fn, user_data](const Problem& problem, const AlgorithmContext&) {
    arenaplan_problem view;
    view.view = &problem;
    const std::unique_ptr<arenaplan_plan> plan = capi::plan_for(problem);
    plan->plan.algorithm = name;
    const arenaplan_status status = fn(&view, plan.get(), user_data);
    if (status == ARENAPLAN_NO_SOLUTION) throw NoSolution(fmt::format("algorithm '{}' found no plan", name));
    if (status != ARENAPLAN_OK)
      throw std::runtime_error(fmt::format("algorithm '{}' failed (status {})", name, static_cast<int>(status)));
    return std::move(plan->plan);  // solve() computes pool sizes and runs the checker
  };
}

}  // namespace

extern "C" {

const char* arenaplan_version(void) { return ARENAPLAN_VERSION_STRING; }

int arenaplan_c_api_version(void) { return ARENAPLAN_C_API_VERSION; }

arenaplan_status arenaplan_options_create(arenaplan_options** out) {
  return guarded([&] {
    arenaplan_options*& result = need(out, "arenaplan_options_create", "out");  // checked before allocating
    result = new arenaplan_options();
  });
}

void arenaplan_options_destroy(arenaplan_options* options) { delete options; }

arenaplan_status arenaplan_options_set_algorithm(arenaplan_options* options, const char* name) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_options_set_algorithm";
    options_at(options, fn).options.algorithm = capi::need_text(name, fn, "name");
  });
}

arenaplan_status arenaplan_options_set_time_limit(arenaplan_options* options, double seconds) {
  return guarded([&] {
    static constexpr const char* fn = "arenaplan_options_set_time_limit";
    if (!(seconds >= 0.0)) throw InputError(fmt::format("{}: the time limit must be >= 0 seconds", fn));
    options_at(options, fn).options.time_limit_seconds = seconds;
  });
}

arenaplan_status arenaplan_options_set_seed(arenaplan_options* options, uint64_t seed) {
  return guarded([&] { options_at(options, "arenaplan_options_set_seed").options.seed = seed; });
}

arenaplan_status arenaplan_options_set_capacity(arenaplan_options* options, int64_t bytes) {
  return guarded([&] {
    arenaplan_options& o = options_at(options, "arenaplan_options_set_capacity");
    o.capacity = bytes < 0 ? std::nullopt : std::optional<Bytes>(bytes);
  });
}

void arenaplan_options_request_stop(arenaplan_options* options) {
  if (options != nullptr) options->stop.store(true);
}

arenaplan_status arenaplan_solve(const arenaplan_problem* problem, const arenaplan_options* options,
                                 arenaplan_plan** out) {
  return guarded([&] {
    arenaplan_plan*& result = need(out, "arenaplan_solve", "out");
    result = nullptr;
    const Problem& base = capi::problem_of(problem);
    SolveOptions solving;
    std::optional<Problem> limited;
    if (options != nullptr) {
      solving = options->options;
      solving.stop = &options->stop;
      if (options->capacity) {
        limited = base;
        apply_capacity(*limited, *options->capacity);
      }
    }
    const Problem& target = limited ? *limited : base;
    auto plan = std::make_unique<arenaplan_plan>();
    plan->plan = solve(target, solving);
    for (const Buffer& b : target.buffers) plan->buffer_sizes.push_back(b.size);
    result = plan.release();
  });
}

arenaplan_status arenaplan_register_algorithm(const char* name, const char* summary, arenaplan_algorithm_fn fn,
                                              void* user_data) {
  return guarded([&] {
    static constexpr const char* where = "arenaplan_register_algorithm";
    std::string text = capi::need_text(name, where, "name");
    if (text.empty()) throw InputError(fmt::format("{}: the name is empty", where));
    need(fn, where, "fn");
    register_algorithm({text, summary != nullptr ? summary : "", c_algorithm(text, fn, user_data)});
  });
}

int32_t arenaplan_algorithm_count(void) {
  return capi::guarded_value<std::int32_t>(0, [] { return static_cast<std::int32_t>(registered_algorithms().size()); });
}

const char* arenaplan_algorithm_name(int32_t i) {
  return capi::guarded_value<const char*>(nullptr, [&]() -> const char* {
    const auto algorithms = registered_algorithms();
    if (i < 0 || static_cast<std::size_t>(i) >= algorithms.size()) return nullptr;
    return algorithms[static_cast<std::size_t>(i)]->name.c_str();
  });
}

}  // extern "C"
