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
  // The notice that [pa, pa+size) was written, within a page the engine holds in the
  // hart's CodePages (mem/code_pages.h: which pages hold code is tracked there, for every
  // engine and hart alike). Returns true when derived code was dropped, so the writer must
  // leave to the dispatcher.
  virtual bool code_written(Hart& hart, uint64_t pa, unsigned size) = 0;
};

}  // namespace strata
