#pragma once
// Translation for a full-system hart (Privileged Spec 1.12): M-mode and satp=Bare map
// virtual to physical directly; Sv39/Sv48/Sv57 walk the page tables (page_walk.h) behind an
// ASID-tagged cache of walk results (translation_cache.h). PMP (pmp.h) checks every
// physical access, the walk's own PTE accesses included.
//
// One SystemMmu serves exactly one hart: the cache is that hart's TLB. A/D bits follow
// HartConfig::hardware_ad: true = Svadu (the walker sets them atomically; menvcfg.ADUE reads
// 1), false = Svade (an access with A=0 or a store with D=0 is a page fault).
//
// PMP is implemented (64 entries), so with every entry OFF, S and U reach no memory at all,
// as the spec requires. A machine that starts a hart below M-mode without firmware must
// program an entry first, as firmware would: pmpaddr0 = ~0 (NAPOT, everything), pmpcfg0 = 0x1f.
//
// PMP writes empty the soft TLB; walk results already in the cache keep the PMP verdict of
// their PTE reads until sfence.vma, which the spec asks M-mode to run after changing PMP.
//
// The soft TLB gets a translation (cacheable=true) only when the whole 4 KiB page is RAM and
// PMP allows this access type on all of it, and only after the walk set the A (and for a
// store D) bit, so a soft-TLB hit never needs a check the walk would make.
#include <array>
#include <atomic>

#include "cpu/mmu/translation_cache.h"
#include "cpu/tlb.h"
#include "cpu/translator.h"

namespace strata {

class Bus;

class SystemMmu final : public Translator {
 public:
  explicit SystemMmu(Bus& bus) : bus_(bus) {}
  Translation translate(Hart& hart, uint64_t va, Access access) override;
  Translation translate_bytes(Hart& hart, uint64_t va, Access access, unsigned size) override;
  void fence(Hart& hart, bool has_va, uint64_t va, bool has_asid, uint64_t asid) override;
  void context_changed(Hart& hart) override;

  // A remote sfence.vma (SBI RFENCE) from another thread: forgets every cached translation
  // before the hart's next walk. The requester also sets hart.tlb_flush_request.
  void request_flush() { flush_requested_ = true; }

  const TranslationCache& cache() const { return cache_; }  // for tests

 private:
  Translation physical(Hart& hart, uint64_t pa, unsigned size, Access access, Priv priv);
  void note_superpage(Hart& hart, uint64_t va, Access access, unsigned level);
  void flush_soft_superpages(Hart& hart, uint64_t va);

  Bus& bus_;
  const Hart* owner_ = nullptr;
  TranslationCache cache_;
  std::atomic<bool> flush_requested_{false};
  // Per soft-TLB slot, the largest page level a translation handed out for it may have come
  // from (0: 4 KiB only). sfence.vma of one address must drop every soft-TLB page that a
  // superpage covering it filled, not just the page of that address.
  std::array<std::array<uint8_t, 1u << Tlb::kBits>, 4> soft_level_{};
  bool soft_superpages_ = false;
  // The virtual range those superpages span: an sfence.vma outside it (Linux's fixmap and
  // vmalloc pages, next to a linear map of superpages) needs no scan of the slots.
  uint64_t superpages_low_ = UINT64_MAX, superpages_high_ = 0;
  uint64_t last_satp_ = 0;
};

}  // namespace strata
