#pragma once
// Where generated code looks up a block by guest pc without the dispatcher: the exits whose
// target is known only at run time (jalr, returns) or lies in another page. An entry holds
// the physical page it was translated from; the code compares that with the instruction
// TLB's entry for the target, so a changed mapping misses. The engine forgets the entry of a
// block it drops, and clears the cache when it flushes or a fence.i asks for a check of code
// against memory.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::jit {

struct JumpEntry {
  uint64_t pc = 1;  // odd: never a guest pc, so an empty slot never matches
  uint64_t pa_page = 0;
  const uint8_t* entry = nullptr;  // the block's chain entry
  uint64_t unused = 0;             // 32-byte entries: the slot is an index shifted by 5
};
static_assert(sizeof(JumpEntry) == 32);

struct JumpCache {
  static constexpr size_t kSlots = 4096;
  static size_t slot(uint64_t pc) { return (pc >> 1) % kSlots; }

  std::array<JumpEntry, kSlots> entries{};
  // The slots filled since the last clear: a fence.i clears the cache, and Linux boots with
  // tens of thousands of them (ftrace), so clearing touches only what was filled.
  std::vector<uint16_t> filled;

  void clear() {
    if (filled.size() >= kSlots / 4) {
      entries.fill(JumpEntry{});
    } else {
      for (uint16_t s : filled) entries[s] = JumpEntry{};
    }
    filled.clear();
  }
  // A dropped block's entry (its slot stays in `filled`: clear() does not mind twice).
  void forget(uint64_t pc, const uint8_t* entry) {
    JumpEntry& e = entries[slot(pc)];
    if (e.pc == pc && e.entry == entry) e = JumpEntry{};
  }
  void put(uint64_t pc, uint64_t pa_page, const uint8_t* entry) {
    JumpEntry& e = entries[slot(pc)];
    if (e.pc == pc && e.pa_page == pa_page && e.entry == entry) return;  // the dispatcher's usual case
    if (e.pc == 1) filled.push_back(uint16_t(slot(pc)));
    e = {pc, pa_page, entry, 0};
  }
};

}  // namespace strata::jit
