#pragma once
// --engine, --jit-cache-size, --jit-stats and --jit-perf-map: the same four options on every
// command that runs guest code, parsed into one EngineOptions.
#include <CLI/CLI.hpp>
#include <string>

#include "cpu/engine_kind.h"

namespace strata {

struct EngineOptions {
  std::string engine;      // as typed; empty: the default engine
  std::string cache_size;  // as typed; empty: 64M
  bool stats = false;
  bool perf_map = false;

  // Checks the values (strata::Error on a bad one) and gives the hart configuration.
  EngineConfig config() const;
};

void add_engine_options(CLI::App* cmd, EngineOptions& options);

}  // namespace strata
