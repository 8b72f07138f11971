#pragma once
#include <memory>

#include "cpu/engine.h"

namespace strata {

// The reference engine: runs pre-decoded instructions through one handler per operation.
std::unique_ptr<Engine> make_interpreter();

}  // namespace strata
