#pragma once
// Small pieces every handler file uses.
#include "cpu/hart.h"
#include "cpu/interp/insn.h"
#include "cpu/priv.h"
#include "cpu/sem/semantic.h"
#include "cpu/trap.h"

namespace strata {

// What a handler returns to continue with the instruction after this one. The chain knows
// the instruction's length from its handler, so the next slot's address never waits for a
// load of `len`: that load sat on the critical path of every instruction.
inline const Insn* next(const Insn*) { return reinterpret_cast<const Insn*>(uintptr_t{1}); }
inline bool is_next(const Insn* n) { return n == reinterpret_cast<const Insn*>(uintptr_t{1}); }

// Raises illegal-instruction for this slot and leaves to the dispatcher.
inline const Insn* illegal(Hart& h, const Insn* i) {
  sem::illegal(h, *i, pc_of(i));
  return nullptr;
}

// Continues at `target` (already computed): inside the current page directly, otherwise
// through the dispatcher. Targets must be 2-byte aligned (C is always present).
inline const Insn* jump_to(Hart& h, const Insn* i, uint64_t target) {
  DecodedPage& page = page_of(i);
  const uint64_t offset = target - page.vbase;
  if (offset < kPageSize) return page.slots.data() + (offset >> 1);
  h.pc = target;
  return nullptr;
}

// Runs an engine-neutral semantic function as a step: its slot is its operands. Forced
// inline so that hot semantics (loads, stores, FP arithmetic) inline into their chain
// handlers, with the pc computed only on the paths that need it.
template <sem::SemFn F>
[[gnu::always_inline]] inline const Insn* via_sem(Hart& h, const Insn* i) {
  return F(h, *i, pc_of(i)) == sem::Flow::Continue ? next(i) : nullptr;
}

}  // namespace strata
