#pragma once
// Virtual-to-physical translation behind the soft TLB. The system MMU (Sv39/48/57 + PMP)
// and the user-mode flat address space both implement it.
#include <cstdint>

#include "cpu/priv.h"

namespace strata {

class Hart;

struct Translation {
  bool ok = false;
  uint64_t cause = 0;      // exception cause when !ok (page fault or access fault)
  uint64_t pa = 0;         // physical address of the access
  uint8_t* host = nullptr;  // host address of `pa` when it is ordinary RAM, else null (MMIO)
  bool cacheable = false;  // the page may enter the soft TLB for this access type
};

class Translator {
 public:
  virtual ~Translator() = default;
  // Translates one access of the hart's current effective privilege for that access type.
  virtual Translation translate(Hart& hart, uint64_t va, Access access) = 0;
  // The same for an access of `size` bytes lying within one page: PMP fails an access that
  // a region matches only in part, which needs the size. Translators without that check
  // need not override it.
  virtual Translation translate_bytes(Hart& hart, uint64_t va, Access access, unsigned size) {
    return translate(hart, va, access);
  }
  // sfence.vma semantics: va/asid are optional (all when absent).
  virtual void fence(Hart& hart, bool has_va, uint64_t va, bool has_asid, uint64_t asid) = 0;
  // satp or privilege-relevant state changed; the translator may keep ASID-tagged entries.
  virtual void context_changed(Hart& hart) {}
};

}  // namespace strata
