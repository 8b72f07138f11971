#pragma once
// Which engine runs a hart's instructions, and the one place that knows every engine (so
// Hart includes none of them). The interpreter is the reference; the JIT agrees with it
// instruction for instruction.
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "cpu/engine.h"

namespace strata {

enum class EngineKind : uint8_t { Interp, Jit };

struct EngineConfig {
  EngineKind kind = EngineKind::Interp;
  size_t jit_cache_size = size_t(64) << 20;  // bytes of host code before a flush
  bool jit_perf_map = false;                 // write /tmp/perf-PID.map for Linux perf
  bool jit_stats = false;                    // --jit-stats: also count jump-cache lookups
};

std::unique_ptr<Engine> make_engine(const EngineConfig& config);

// The engine a command line gets when it names none: the JIT on x86-64 hosts.
EngineKind default_engine();

// "interp" / "jit", for command lines and messages.
std::string_view engine_name(EngineKind kind);
std::optional<EngineKind> parse_engine(std::string_view name);

}  // namespace strata
