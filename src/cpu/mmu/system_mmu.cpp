#include "cpu/mmu/system_mmu.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cpu/hart.h"
#include "cpu/mmu/page_walk.h"
#include "cpu/mmu/pmp.h"
#include "cpu/mmu/pte.h"
#include "cpu/trap.h"
#include "mem/bus.h"

namespace strata {

Translation SystemMmu::physical(Hart& h, uint64_t pa, unsigned size, Access access, Priv priv) {
  Translation t;
  t.pa = pa;
  if (!pmp_allows(h.csr, pa, pa + (size - 1), access, priv)) {
    t.cause = access_fault(access);
    return t;
  }
  if (uint8_t* host = bus_.ram_ptr(pa, size)) {
    const uint64_t page = pa & kPageMask;
    t.ok = true;
    t.host = host;
    t.cacheable =
        bus_.ram_ptr(page, kPageSize) && pmp_allows(h.csr, page, page + (kPageSize - 1), access, priv);
    return t;
  }
  // Not RAM: a device region (the bus decides at access time) or nothing at all.
  for (const MmioRegion& r : bus_.regions())
    if (pa >= r.base && pa - r.base < r.size) {
      t.ok = true;
      return t;
    }
  t.cause = access_fault(access);
  return t;
}

Translation SystemMmu::translate(Hart& h, uint64_t va, Access access) {
  return translate_bytes(h, va, access, 1);
}

Translation SystemMmu::translate_bytes(Hart& h, uint64_t va, Access access, unsigned size) {
  if (owner_ != &h) {
    if (owner_) {
      std::fprintf(stderr, "SystemMmu: one instance serves one hart\n");
      std::abort();
    }
    owner_ = &h;
  }
  if (flush_requested_.exchange(false)) cache_.flush_all();

  const Priv priv = access == Access::Exec ? h.priv : h.data_priv();
  const uint64_t satp_value = h.csr.satp;
  const unsigned levels = satp::levels(satp::mode(satp_value));
  if (priv == Priv::M || levels == 0) return physical(h, va, size, access, priv);

  Translation t;
  if (!canonical(va, levels)) {
    t.cause = page_fault(access);
    return t;
  }
  const uint64_t st = h.csr.mstatus;
  const AccessCheck check{access, priv, bool(st & mstatus::kSUM), bool(st & mstatus::kMXR)};
  const AddressSpace space{uint8_t(satp::mode(satp_value)), satp::asid(satp_value),
                           satp::root_ppn(satp_value), levels};

  uint64_t leaf = 0;
  unsigned level = 0;
  const CachedLeaf* hit = cache_.find(space, va);
  const uint64_t needed = needed_ad(access);
  if (hit && leaf_permits(hit->pte, check) && (hit->pte & needed) == needed) {
    leaf = hit->pte;
    level = hit->level;
  } else {
    // A miss, or a hit this access cannot use as it is (a permission it lacks may have been
    // granted since, A/D may need setting): walk the tables in memory.
    const WalkResult w = walk_page_table(bus_, h.csr, {satp_value, va, check, h.config.hardware_ad});
    if (!w.ok) {
      t.cause = w.cause;
      return t;
    }
    leaf = w.pte;
    level = w.level;
    cache_.insert(CachedLeaf{va >> page_shift(level), space.root, leaf, space.asid, uint8_t(level),
                             space.mode, w.global});
  }
  t = physical(h, leaf_pa(leaf, level, va), size, access, priv);
  if (t.cacheable && level > 0) note_superpage(h, va, access, level);
  return t;
}

void SystemMmu::note_superpage(Hart& h, uint64_t va, Access access, unsigned level) {
  const Tlb* tlb = access == Access::Exec ? h.itlb : h.dtlb;
  const size_t context = size_t(tlb - h.tlbs.data());
  uint8_t& slot = soft_level_[context][(va >> 12) & ((1u << Tlb::kBits) - 1)];
  slot = std::max(slot, uint8_t(level));
  soft_superpages_ = true;
  const uint64_t base = va & ~((uint64_t(1) << page_shift(level)) - 1);
  superpages_low_ = std::min(superpages_low_, base);
  superpages_high_ = std::max(superpages_high_, base + ((uint64_t(1) << page_shift(level)) - 1));
}

// Drops the soft-TLB pages that may have come from a superpage covering `va`.
void SystemMmu::flush_soft_superpages(Hart& h, uint64_t va) {
  if (!soft_superpages_ || va < superpages_low_ || va > superpages_high_) return;
  for (size_t context = 0; context < h.tlbs.size(); context++) {
    for (size_t slot = 0; slot < soft_level_[context].size(); slot++) {
      const unsigned level = soft_level_[context][slot];
      if (!level) continue;
      TlbEntry& e = h.tlbs[context].entries[slot];
      for (uint64_t tag : {e.tag_read, e.tag_write, e.tag_exec}) {
        if ((tag & ~kPageMask) == 0 && ((tag ^ va) >> page_shift(level)) == 0) {
          e = TlbEntry{};
          break;
        }
      }
    }
  }
}

void SystemMmu::fence(Hart& h, bool has_va, uint64_t va, bool has_asid, uint64_t asid_value) {
  const uint16_t asid = uint16_t(asid_value);  // bits above ASIDLEN (16) are ignored
  if (!has_va) {
    if (has_asid)
      cache_.flush_asid(asid);
    else
      cache_.flush_all();
    // The caller empties the whole soft TLB.
    for (auto& levels : soft_level_) levels.fill(0);
    soft_superpages_ = false;
    superpages_low_ = UINT64_MAX;
    superpages_high_ = 0;
    return;
  }
  if (has_asid)
    cache_.flush_va_asid(va, asid);
  else
    cache_.flush_va(va);
  // The caller drops the soft-TLB page of `va`; pages filled from a superpage around it go here.
  flush_soft_superpages(h, va);
}

void SystemMmu::context_changed(Hart& h) {
  // A satp write empties the soft-TLB contexts that translate (U, S, MPRV).
  if (h.csr.satp != last_satp_) {
    last_satp_ = h.csr.satp;
    for (unsigned context = 0; context < 3; context++) soft_level_[context].fill(0);
    // Going Bare (also what a reset does) is a good moment to forget old address spaces.
    if (satp::mode(last_satp_) == satp::kBare) cache_.flush_all();
  }
}

}  // namespace strata
