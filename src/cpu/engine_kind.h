#pragma once
// Which engine runs a hart's instructions, and the one place that knows every engine (so
// Hart includes none of them). The interpreter is the reference; a translator joins here and
// must agree with it instruction for instruction.
#include <memory>

#include "cpu/engine.h"

namespace strata {

enum class EngineKind : uint8_t { Interp };

std::unique_ptr<Engine> make_engine(EngineKind kind);

}  // namespace strata
