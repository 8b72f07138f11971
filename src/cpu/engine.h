#pragma once
// Engines behind one door: the interpreter (the reference) and, later, the JIT.
#include <cstdint>

#include "cpu/exit.h"

namespace strata {

class Hart;

class Engine {
 public:
  virtual ~Engine() = default;
  virtual Exit run(Hart& hart, uint64_t budget) = 0;  // never throws
  // Forget everything derived from guest code (fence.i, code modified, reset).
  virtual void flush_code(Hart& hart) = 0;
};

}  // namespace strata
