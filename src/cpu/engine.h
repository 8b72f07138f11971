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
  // Forget everything derived from guest code (reset, changed mappings, a dropped cache).
  virtual void flush_code(Hart& hart) = 0;
  // fence.i: code derived from memory must agree with it again, whoever wrote it (another
  // hart, a device). Unlike flush_code, what still matches memory may be kept.
  virtual void sync_code(Hart& hart) = 0;
  // Whether this engine holds code derived from the physical page `pa_page` (stores to such
  // pages take the slow path), and the notice that [pa, pa+size) was written. Returns true
  // when derived code was dropped, so the writer must leave to the dispatcher.
  virtual bool holds_code(uint64_t pa_page) const = 0;
  virtual bool code_written(Hart& hart, uint64_t pa, unsigned size) = 0;
};

}  // namespace strata
