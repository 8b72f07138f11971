#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "cpu/engine.h"

namespace strata::jit {

struct JitOptions {
  size_t cache_size = size_t(64) << 20;  // --jit-cache-size: flushed whole when full
  bool perf_map = false;                 // --jit-perf-map: /tmp/perf-PID.map
  bool count_lookups = false;            // --jit-stats: jump-cache hits and misses (a cost)
};

// The translator: runs guest blocks as x86-64 code and leaves what it does not translate
// (a block longer than the budget left, an instruction straddling two pages, a fetch that
// faults or is not from RAM) to the interpreter it embeds, one instruction at a time, so
// budgets, traps and counters stay exactly the interpreter's.
std::unique_ptr<Engine> make_jit(const JitOptions& options = {});

// The --jit-stats report of a hart's engine, or empty when it is not the JIT.
std::string jit_report(Engine& engine);

}  // namespace strata::jit
