#pragma once
// The per-hart software TLB the engines consult on every access: direct-mapped, one set
// per privilege context, tags are page-aligned virtual addresses. A hit gives the host
// address directly (va + addend). Only RAM pages enter it; MMIO always takes the slow path.
// Behind it sits the MMU (with its ASID-tagged translation cache) that fills it on a miss.
#include <array>
#include <cstdint>

namespace strata {

constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kPageMask = ~(kPageSize - 1);
constexpr uint64_t kTlbInvalid = 1;  // never equal to a page-aligned address

// One cache line each: generated code finds an entry with a shift and a mask, not a multiply.
struct alignas(64) TlbEntry {
  uint64_t tag_read = kTlbInvalid;
  uint64_t tag_write = kTlbInvalid;
  uint64_t tag_exec = kTlbInvalid;
  uintptr_t addend = 0;  // host address = va + addend
  uint64_t pa_page = 0;  // physical page, for invalidation by physical address
  // What the engine derived from this page's code once fetched from (its own type; the TLB
  // only keeps it so a fetch that stays in a known page costs one tag compare, and drops it
  // with the entry).
  void* code = nullptr;
};

static_assert(sizeof(TlbEntry) == 64);

struct Tlb {
  static constexpr unsigned kBits = 10;
  // The byte offset of va's entry: ((va >> 12) & mask) * 64, in two operations.
  static constexpr unsigned kEntryShift = 12 - 6;
  static constexpr uint32_t kEntryOffsetMask = ((1u << kBits) - 1) << 6;
  std::array<TlbEntry, 1u << kBits> entries;

  TlbEntry& slot(uint64_t va) { return entries[(va >> 12) & ((1u << kBits) - 1)]; }
  void flush() { entries.fill(TlbEntry{}); }
  // An instruction fetch's translation of page `vbase` to physical `pbase` (host view
  // `host_page`), with the engine's handle for the code derived from it. Data tags for the
  // same mapping are kept.
  void fill_exec(uint64_t vbase, uint64_t pbase, const uint8_t* host_page, void* code) {
    TlbEntry& e = slot(vbase);
    if (!(e.pa_page == pbase && (e.tag_read == vbase || e.tag_write == vbase))) e = TlbEntry{};
    e.pa_page = pbase;
    e.addend = reinterpret_cast<uintptr_t>(host_page) - vbase;
    e.tag_exec = vbase;
    e.code = code;
  }
  void flush_page(uint64_t va) {
    TlbEntry& e = slot(va);
    if (((e.tag_read | e.tag_write | e.tag_exec) & kPageMask) != 0 || e.code) {
      const uint64_t page = va & kPageMask;
      if (e.tag_read == page || e.tag_write == page || e.tag_exec == page) e = TlbEntry{};
    }
  }
};

}  // namespace strata
