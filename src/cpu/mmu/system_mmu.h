#pragma once
// Translation for a full-system hart: M-mode and satp=Bare map virtual to physical
// directly; Sv39/Sv48/Sv57 walk the page tables. PMP checks every physical access.
#include "cpu/translator.h"

namespace strata {

class Bus;

class SystemMmu final : public Translator {
 public:
  explicit SystemMmu(Bus& bus) : bus_(bus) {}
  Translation translate(Hart& hart, uint64_t va, Access access) override;
  void fence(Hart& hart, bool has_va, uint64_t va, bool has_asid, uint64_t asid) override;

 private:
  Translation physical(Hart& hart, uint64_t pa, Access access, Priv priv);
  Bus& bus_;
};

}  // namespace strata
