#include "cpu/engine_kind.h"

#include "cpu/interp/interpreter.h"
#include "jit/jit_engine.h"

namespace strata {

std::unique_ptr<Engine> make_engine(const EngineConfig& config) {
  switch (config.kind) {
    case EngineKind::Interp:
      break;
    case EngineKind::Jit:
      return jit::make_jit({config.jit_cache_size, config.jit_perf_map, config.jit_stats});
  }
  return make_interpreter();
}

EngineKind default_engine() {
#if defined(__x86_64__)
  return EngineKind::Jit;
#else
  return EngineKind::Interp;
#endif
}

std::string_view engine_name(EngineKind kind) { return kind == EngineKind::Jit ? "jit" : "interp"; }

std::optional<EngineKind> parse_engine(std::string_view name) {
  if (name == "interp") return EngineKind::Interp;
  if (name == "jit") return EngineKind::Jit;
  return std::nullopt;
}

}  // namespace strata
