#pragma once
// The hart's ASID-tagged cache of page-walk results, behind the soft TLB. It keeps leaf PTEs
// (never host pointers): a hit still has its permissions and A/D bits checked, and PMP is
// checked on every translation. Entries are tagged by satp.MODE, ASID and root page table,
// so changing satp needs no flush; global mappings match in every address space of their
// MODE. sfence.vma removes exactly what the spec says (see the fence functions).
#include <array>
#include <cstdint>

namespace strata {

struct CachedLeaf {
  uint64_t vpn = 0;   // va >> page_shift(level)
  uint64_t root = 0;  // satp.PPN the walk started from (ignored for global entries)
  uint64_t pte = 0;   // the leaf as last read or written by the walker
  uint16_t asid = 0;
  uint8_t level = 0;  // 0: 4 KiB page, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB, 4: 256 TiB
  uint8_t mode = 0;   // satp.MODE of the walk; 0 marks a free slot
  bool global = false;
};

// What identifies an address space: the satp fields a lookup matches against.
struct AddressSpace {
  uint8_t mode;
  uint16_t asid;
  uint64_t root;
  unsigned levels;
};

class TranslationCache {
 public:
  static constexpr unsigned kSets = 256, kWays = 4;

  // The entry mapping `va` in `space`, smallest page first, or null.
  const CachedLeaf* find(const AddressSpace& space, uint64_t va) const;
  // Stores a walk result, replacing an entry for the same page of the same space.
  void insert(const CachedLeaf& leaf);

  // sfence.vma: rs1=x0,rs2=x0 / rs1 only (every ASID, global too) / rs2 only (that ASID's
  // non-global entries) / both (that va in that ASID, non-global).
  void flush_all();
  void flush_va(uint64_t va);
  void flush_asid(uint16_t asid);
  void flush_va_asid(uint64_t va, uint16_t asid);

  unsigned size() const;  // valid entries, for tests

 private:
  static unsigned set_of(uint64_t vpn, unsigned level);
  template <typename Pred>
  void remove_for_va(uint64_t va, Pred pred);

  std::array<std::array<CachedLeaf, kWays>, kSets> sets_{};
  std::array<uint8_t, kSets> next_victim_{};
};

}  // namespace strata
