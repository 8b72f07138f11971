#include "cli/engine_options.h"

#include "util/error.h"
#include "util/size_arg.h"

namespace strata {

EngineConfig EngineOptions::config() const {
  EngineConfig c;
  c.kind = default_engine();
  if (!engine.empty()) {
    const auto kind = parse_engine(engine);
    if (!kind) fail("--engine: '{}' is not an engine (jit or interp)", engine);
    c.kind = *kind;
  }
  if (!cache_size.empty()) {
    c.jit_cache_size = parse_size(cache_size, "--jit-cache-size");
    if (c.jit_cache_size < (256u << 10) || c.jit_cache_size > (1ull << 30))
      fail("--jit-cache-size: {} is outside 256K..1G", cache_size);
  }
  if ((stats || perf_map || !cache_size.empty()) && c.kind != EngineKind::Jit)
    fail("--jit-stats, --jit-perf-map and --jit-cache-size need --engine jit");
  c.jit_perf_map = perf_map;
  c.jit_stats = stats;
  return c;
}

void add_engine_options(CLI::App* cmd, EngineOptions& o) {
  const std::string group = "Execution engine";
  cmd->add_option("--engine", o.engine,
                  std::string("jit (translate to x86-64) or interp (the reference interpreter); default: ") +
                      std::string(engine_name(default_engine())))
      ->group(group);
  cmd->add_option("--jit-cache-size", o.cache_size,
                  "Host code the JIT keeps before it flushes and retranslates, 256K to 1G (default: 64M)")
      ->group(group);
  cmd->add_flag("--jit-stats", o.stats,
                "At exit, print blocks translated, cache use, chain and jump-cache hit rates, exits and runs "
                "left to "
                "the interpreter (stderr; counting jump-cache lookups costs a little)")
      ->group(group);
  cmd->add_flag("--jit-perf-map", o.perf_map, "Write /tmp/perf-PID.map so Linux perf names guest blocks")
      ->group(group);
}

}  // namespace strata
