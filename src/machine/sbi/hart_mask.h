#pragma once
// The two ways an SBI call names a set of harts, both hostile input:
//  - v0.2 and later: (hart_mask, hart_mask_base), hart_mask_base = -1 meaning every hart;
//  - legacy: a guest virtual pointer to a bit vector of unsigned longs, read through the
//    calling hart's MMU as an S-mode load would.
#include <cstdint>
#include <vector>

#include "machine/sbi/sbi_call.h"

namespace strata::sbi {

// Fills `harts` (ascending ids) and returns kSuccess, or kErrInvalidParam when the base or
// any hart the mask names does not exist (nothing is filled then).
int64_t decode_hart_mask(SbiPlatform& platform, uint64_t mask, uint64_t base, std::vector<uint64_t>& harts);

// A load the firmware made for the guest that faulted: the exception an S-mode load at that
// address takes (page fault or access fault) and its tval.
struct GuestFault {
  uint64_t cause = 0;
  uint64_t tval = 0;
};

// Reads `len` bytes at guest virtual `va` with the caller's current translation (satp,
// SUM, MXR, PMP as for an S-mode load). False, with `fault` set, when any byte faults or
// is not RAM; nothing is written to the guest either way.
bool read_guest_virtual(Hart& hart, uint64_t va, void* out, uint64_t len, GuestFault& fault);

// The legacy mask at `pointer`: ceil(hart_count / XLEN) unsigned longs; a null pointer
// means every hart (as OpenSBI does), bits for harts that do not exist are ignored.
bool read_legacy_hart_mask(const Call& call, uint64_t pointer, std::vector<uint64_t>& harts,
                           GuestFault& fault);

}  // namespace strata::sbi
