#pragma once
// Pieces shared by the CSR files: legalisation rules used by more than one CSR.
#include <cstdint>

#include "cpu/hart.h"
#include "cpu/trap.h"

namespace strata {

// A CSR (or field) whose only legal value is 0: reads 0, writes are ignored (WARL).
inline bool read_zero(Hart&, uint64_t& v) {
  v = 0;
  return true;
}
// A write to a CSR whose only legal value is the one it already holds (WARL).
inline bool ignore_write(Hart&, uint64_t) { return true; }

// SD summarises FS (the only extension state we have): set when FS is Dirty.
inline uint64_t with_sd(uint64_t status) {
  return ((status & mstatus::kFS) == mstatus::kFS) ? status | mstatus::kSD : status & ~mstatus::kSD;
}

// xtvec: MODE 0 (direct) or 1 (vectored); other modes keep the previous value's mode.
inline uint64_t legal_tvec(uint64_t v, uint64_t old) {
  const uint64_t mode = v & 3;
  return (v & ~3ull) | (mode <= 1 ? mode : (old & 3));
}

// The one place mstatus changes after reset: refreshes the translation contexts and the
// interrupt check when a field they depend on moved.
inline void set_mstatus(Hart& h, uint64_t value) {
  using namespace mstatus;
  const uint64_t old = h.csr.mstatus;
  h.csr.mstatus = value;
  const uint64_t changed = old ^ value;
  if (changed & (kMPRV | kMPP | kSUM | kMXR)) {
    for (unsigned ctx = 0; ctx < 3; ctx++) h.tlbs[ctx].flush();
    h.update_contexts();
  }
  if (changed & (kMIE | kSIE)) h.irq_check = true;
}

}  // namespace strata
