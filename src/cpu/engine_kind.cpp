#include "cpu/engine_kind.h"

#include "cpu/interp/interpreter.h"

namespace strata {

std::unique_ptr<Engine> make_engine(EngineKind kind) {
  switch (kind) {
    case EngineKind::Interp:
      break;
  }
  return make_interpreter();
}

}  // namespace strata
