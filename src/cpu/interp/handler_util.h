#pragma once
// Small pieces every handler file uses.
#include "cpu/hart.h"
#include "cpu/interp/insn.h"
#include "cpu/priv.h"
#include "cpu/trap.h"

namespace strata {

// What a handler returns to continue with the instruction after this one. The chain knows
// the instruction's length from its handler, so the next slot's address never waits for a
// load of `len`: that load sat on the critical path of every instruction.
inline const Insn* next(const Insn*) { return reinterpret_cast<const Insn*>(uintptr_t{1}); }
inline bool is_next(const Insn* n) { return n == reinterpret_cast<const Insn*>(uintptr_t{1}); }

// Raises illegal-instruction for this slot (tval = the instruction bits) and leaves to the
// dispatcher.
inline const Insn* illegal(Hart& h, const Insn* i) {
  raise_exception(h, cause::kIllegalInsn, i->raw, h.pc_of(i));
  return nullptr;
}

// Continues at `target` (already computed): inside the current page directly, otherwise
// through the dispatcher. Targets must be 2-byte aligned (C is always present).
inline const Insn* jump_to(Hart& h, const Insn* i, uint64_t target) {
  const uint64_t offset = target - h.cur_vbase;
  if (offset < kPageSize) return h.cur_slots + (offset >> 1);
  h.pc = target;
  return nullptr;
}

// Finishes an instruction that must leave to the dispatcher after completing (interrupt
// state or translation changed): pc moves to the next instruction.
inline const Insn* complete_and_dispatch(Hart& h, const Insn* i) {
  h.pc = h.pc_of(i) + i->len;
  return nullptr;
}

}  // namespace strata
