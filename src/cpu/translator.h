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

// Guest memory that generated code may address directly: guest `va` lives at host
// `base + va` for every va below `size` (a power of two), and the host's protections fault
// exactly where a guest load or store of that page would (the region ends in a guard). A host
// fault in generated code is then a guest fault, which the engine replays through
// translate() to raise it exactly. Stores into pages that hold code still need the engine's
// own check.
struct FlatView {
  uint8_t* base = nullptr;  // null: no flat view, every access goes through the soft TLB
  uint64_t size = 0;
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
  // The flat view of guest memory, if this address space has one now (see FlatView).
  virtual FlatView flat_view() const { return {}; }
};

}  // namespace strata
