#pragma once
// The Sv39/Sv48/Sv57 page-table walk of Privileged Spec 1.12, 4.3.2, for one access.
#include <cstdint>

#include "cpu/csr_state.h"
#include "cpu/mmu/pte.h"

namespace strata {

class Bus;

struct WalkRequest {
  uint64_t satp;
  uint64_t va;  // already checked to be canonical for satp's MODE
  AccessCheck check;
  bool hardware_ad;  // set A/D in the PTE (Svadu) rather than fault (Svade)
};

struct WalkResult {
  bool ok = false;
  uint64_t cause = 0;  // page fault (12/13/15) or access fault (1/5/7) when !ok
  uint64_t pte = 0;    // the leaf, with the A/D bits the access needed
  unsigned level = 0;
  bool global = false;  // G set in the leaf or in any PTE above it
};

// Reads PTEs from RAM (a PTE outside RAM, or one PMP refuses to S-mode, is an access
// fault of the original access type). With hardware_ad, A/D are set with a compare-and-swap
// on the PTE, as other harts may walk or change it at the same time; a lost race walks again.
WalkResult walk_page_table(const Bus& bus, const CsrState& csr, const WalkRequest& request);

// Tests only: called between reading a leaf whose A/D bits need setting and the
// compare-and-swap, so a test can play another hart changing the PTE in that window.
extern void (*walk_before_ad_update)(uint64_t pte_pa);

}  // namespace strata
