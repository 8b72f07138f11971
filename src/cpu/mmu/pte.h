#pragma once
// Page-table entries and satp fields of Sv39/Sv48/Sv57 (Privileged Spec 1.12, 4.3-4.5).
#include <cstdint>

#include "cpu/priv.h"

namespace strata {

namespace pte {
constexpr uint64_t kV = 1 << 0, kR = 1 << 1, kW = 1 << 2, kX = 1 << 3, kU = 1 << 4, kG = 1 << 5, kA = 1 << 6,
                   kD = 1 << 7;
// Bits 63:54 hold N (Svnapot), PBMT (Svpbmt) and reserved bits. We implement neither
// extension, so any of them set makes the PTE invalid (page fault).
constexpr uint64_t kUpperReserved = ~0ull << 54;
constexpr unsigned kPpnShift = 10;
constexpr uint64_t kPpnMask = (1ull << 44) - 1;

inline uint64_t ppn(uint64_t e) { return (e >> kPpnShift) & kPpnMask; }
inline bool is_leaf(uint64_t e) { return e & (kR | kX); }
}  // namespace pte

namespace satp {
constexpr uint64_t kBare = 0, kSv39 = 8, kSv48 = 9, kSv57 = 10;
inline uint64_t mode(uint64_t satp) { return satp >> 60; }
inline uint16_t asid(uint64_t satp) { return uint16_t(satp >> 44); }
inline uint64_t root_ppn(uint64_t satp) { return satp & ((1ull << 44) - 1); }
// Levels of the page table for a MODE, 0 for Bare and for modes we do not implement.
inline unsigned levels(uint64_t mode) {
  return mode == kSv39 ? 3 : mode == kSv48 ? 4 : mode == kSv57 ? 5 : 0;
}
}  // namespace satp

// Bits of the virtual address that a leaf at `level` maps as its offset (12 for 4 KiB).
inline unsigned page_shift(unsigned level) { return 12 + 9 * level; }

// A virtual address is valid for a scheme of `levels` levels when all bits above the
// highest translated bit equal that bit (a sign extension).
inline bool canonical(uint64_t va, unsigned levels) {
  const unsigned bits = 12 + 9 * levels;
  const int64_t top = int64_t(va) >> (bits - 1);
  return top == 0 || top == -1;
}

inline uint64_t page_fault(Access a) {
  return a == Access::Exec   ? cause::kInsnPageFault
         : a == Access::Read ? cause::kLoadPageFault
                             : cause::kStorePageFault;
}
inline uint64_t access_fault(Access a) {
  return a == Access::Exec   ? cause::kInsnAccess
         : a == Access::Read ? cause::kLoadAccess
                             : cause::kStoreAccess;
}

// Who accesses, and with which mstatus modifiers: what a leaf's permissions are checked against.
struct AccessCheck {
  Access access;
  Priv priv;  // the effective privilege (MPRV applied for data accesses); S or U
  bool sum;   // mstatus.SUM: S-mode may read and write U pages
  bool mxr;   // mstatus.MXR: executable pages are readable
};

// Step 5 of the walk: the leaf's R/W/X and U bits against the access.
inline bool leaf_permits(uint64_t e, const AccessCheck& c) {
  if (c.priv == Priv::U && !(e & pte::kU)) return false;
  if (c.priv == Priv::S && (e & pte::kU)) {
    // S-mode never executes user pages, and reaches their data only with SUM.
    if (c.access == Access::Exec || !c.sum) return false;
  }
  switch (c.access) {
    case Access::Read:
      return (e & pte::kR) || (c.mxr && (e & pte::kX));
    case Access::Write:
      return e & pte::kW;
    case Access::Exec:
      return e & pte::kX;
  }
  return false;
}

// The A (and for stores D) bits an access needs set in its leaf.
inline uint64_t needed_ad(Access a) { return a == Access::Write ? pte::kA | pte::kD : pte::kA; }

// Physical address of `va` through a leaf at `level`: a superpage keeps the low VPN bits.
inline uint64_t leaf_pa(uint64_t e, unsigned level, uint64_t va) {
  const uint64_t offset_mask = (1ull << page_shift(level)) - 1;
  return ((pte::ppn(e) << 12) & ~offset_mask) | (va & offset_mask);
}

}  // namespace strata
