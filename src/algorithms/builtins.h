// The algorithms that ship with arenaplan. Each file registers its own; registry.cpp calls these
// once, before the first lookup.
#pragma once

namespace arenaplan::detail {

void register_gap_fill_algorithms();  // first_fit_by_*, best_fit_by_*
void register_tvm_algorithms();       // greedy_by_size, greedy_by_conflicts
void register_tvm_hill_climb();       // hill_climb
void register_local_search();         // local_search
void register_window_search();        // window_search
void register_portfolio();            // auto
void register_exact();                // exact
void register_tflm_algorithm();       // tflm

}  // namespace arenaplan::detail
