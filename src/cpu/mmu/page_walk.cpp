#include "cpu/mmu/page_walk.h"

#include <atomic>

#include "cpu/mmu/pmp.h"
#include "mem/bus.h"

namespace strata {

void (*walk_before_ad_update)(uint64_t pte_pa) = nullptr;

namespace {

// A walk that keeps losing its A/D update to other harts gives up with a page fault (the
// guest retries the access); this bounds the time one access can take.
constexpr unsigned kMaxAttempts = 64;

WalkResult fail(uint64_t cause) {
  WalkResult r;
  r.cause = cause;
  return r;
}

// The PTE at `pa` as an atomic word of guest RAM, or null when the implicit S-mode access
// to it is not allowed (outside RAM, or refused by PMP).
uint64_t* pte_slot(const Bus& bus, const CsrState& csr, uint64_t pa, Access access) {
  if (!pmp_allows(csr, pa, pa + 7, access, Priv::S)) return nullptr;
  return reinterpret_cast<uint64_t*>(bus.ram_ptr(pa, 8));
}

}  // namespace

WalkResult walk_page_table(const Bus& bus, const CsrState& csr, const WalkRequest& req) {
  const Access access = req.check.access;
  const unsigned levels = satp::levels(satp::mode(req.satp));
  for (unsigned attempt = 0; attempt < kMaxAttempts; attempt++) {
    uint64_t table = satp::root_ppn(req.satp) << 12;
    bool global = false;
    for (int level = int(levels) - 1; level >= 0; level--) {
      const uint64_t index = (req.va >> page_shift(unsigned(level))) & 511;
      const uint64_t pte_pa = table + index * 8;
      uint64_t* slot = pte_slot(bus, csr, pte_pa, Access::Read);
      if (!slot) return fail(access_fault(access));
      std::atomic_ref<uint64_t> word(*slot);
      uint64_t e = word.load(std::memory_order_acquire);

      if (!(e & pte::kV) || ((e & pte::kW) && !(e & pte::kR)) || (e & pte::kUpperReserved))
        return fail(page_fault(access));
      global = global || (e & pte::kG);
      if (!pte::is_leaf(e)) {
        // D, A and U are reserved in non-leaf PTEs; a pointer below level 0 is invalid.
        if ((e & (pte::kD | pte::kA | pte::kU)) || level == 0) return fail(page_fault(access));
        table = pte::ppn(e) << 12;
        continue;
      }
      if (!leaf_permits(e, req.check)) return fail(page_fault(access));
      const uint64_t low_ppn = (1ull << (9 * level)) - 1;
      if (pte::ppn(e) & low_ppn) return fail(page_fault(access));  // misaligned superpage

      const uint64_t needed = needed_ad(access);
      if ((e & needed) != needed) {
        if (!req.hardware_ad) return fail(page_fault(access));
        if (!pte_slot(bus, csr, pte_pa, Access::Write)) return fail(access_fault(access));
        if (walk_before_ad_update) walk_before_ad_update(pte_pa);
        uint64_t expected = e;
        if (!word.compare_exchange_strong(expected, e | needed, std::memory_order_acq_rel)) break;
        e |= needed;
      }
      WalkResult r;
      r.ok = true;
      r.pte = e;
      r.level = unsigned(level);
      r.global = global;
      return r;
    }
    // Only a lost compare-and-swap leaves the loop: walk again from the root.
  }
  return fail(page_fault(access));
}

}  // namespace strata
