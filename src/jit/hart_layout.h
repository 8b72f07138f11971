#pragma once
// Where generated code finds the hart's fields: byte offsets from the Hart pointer that
// blocks keep in rbx. Hart is not standard-layout, so they are measured on a real hart
// (every Hart has the same layout) rather than with offsetof.
#include <cstdint>

#include "cpu/hart.h"

namespace strata::jit {

struct HartLayout {
  int32_t x = 0, f = 0, pc = 0, chain_left = 0, irq_check = 0, dtlb = 0, itlb = 0, mstatus = 0;
  int32_t fflags = 0, frm = 0;  // uint32_t each (CsrState)

  static HartLayout of(const Hart& h) {
    const auto at = [&](const void* field) {
      return int32_t(reinterpret_cast<const char*>(field) - reinterpret_cast<const char*>(&h));
    };
    HartLayout l;
    l.x = at(&h.x[0]);
    l.f = at(&h.f[0]);
    l.mstatus = at(&h.csr.mstatus);
    l.fflags = at(&h.csr.fflags);
    l.frm = at(&h.csr.frm);
    l.pc = at(&h.pc);
    l.chain_left = at(&h.chain_left);
    l.irq_check = at(&h.irq_check);
    l.dtlb = at(&h.dtlb);
    l.itlb = at(&h.itlb);
    return l;
  }
  int32_t xr(unsigned r) const { return x + int32_t(8 * r); }
  int32_t fr(unsigned r) const { return f + int32_t(8 * r); }
};

}  // namespace strata::jit
