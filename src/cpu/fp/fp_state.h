#pragma once
// The hart's floating-point state as mstatus.FS tracks it: F and D instructions and the
// fflags/frm/fcsr CSRs are illegal while FS is Off, and anything that changes f registers
// or fcsr makes FS Dirty (SD follows FS: mstatus reads derive it).
#include "cpu/hart.h"
#include "cpu/trap.h"

namespace strata::fp {

inline bool fp_enabled(const Hart& h) { return (h.csr.mstatus & mstatus::kFS) != 0; }

// FS has no effect on translation or interrupts, so it is set directly rather than through
// set_mstatus.
// Written only when it changes: a store on every FP instruction would chain them all
// through one memory location.
inline void mark_dirty(Hart& h) {
  if ((h.csr.mstatus & mstatus::kFS) != mstatus::kFS) [[unlikely]]
    h.csr.mstatus |= mstatus::kFS;
}

// Accrues exception flags; new flags are a change of fcsr.
inline void raise_flags(Hart& h, uint32_t flags) {
  if (flags) {
    h.csr.fflags |= flags;
    mark_dirty(h);
  }
}

}  // namespace strata::fp
