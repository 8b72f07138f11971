#pragma once
// The interpreter's pre-decoded form: one slot per 2-byte position of a code page, each
// holding the handler to call and the instruction's operands. Handlers return the next
// slot to run, or nullptr when the dispatcher must look up hart.pc again (taken off-page
// branch, trap, anything that changed translation or interrupt state).
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "cpu/code_image.h"
#include "cpu/sem/operands.h"

namespace strata {

class Hart;
struct Insn;
// What one instruction does: returns its successor slot (next(i) for the one that follows),
// or nullptr to leave to the dispatcher.
using Step = const Insn* (*)(Hart&, const Insn*);
// What a slot calls: a Step wrapped so that it runs on into the next slot itself while the
// dispatcher's chain lasts (`chain_left` instructions, this one included).
using Handler = const Insn* (*)(Hart&, const Insn*, uint32_t chain_left);

using sem::kZeroSink;

// The operands come first, so a slot is passed to semantic functions as it is.
struct Insn : sem::Operands {
  Handler fn = nullptr;

  unsigned step() const { return len >> 1; }  // slots to the next instruction
};
static_assert(sizeof(Insn) == 24);

constexpr unsigned kSlotsPerPage = 2048;

// Decoded pages are aligned to this, so a slot finds its page (and so its guest pc) from its
// own address: nothing of the page being run has to live in the Hart.
constexpr uintptr_t kDecodedPageAlign = 64 * 1024;

// ~53 KiB each. They come straight from mmap and go back with munmap, so a dropped cache
// returns its memory to the host at once instead of lingering in malloc's free lists (an
// idle VM's footprint is what many-VM hosts pay for).
struct DecodedPage {
  static void* operator new(size_t size);
  static void operator delete(void* p, size_t size);

  std::array<Insn, kSlotsPerPage + 1> slots;  // the last one ends the page
  uint64_t vbase = 0;                         // virtual address of the page these slots were decoded for
  uint64_t pbase = 0;                         // physical address they were read from
  const uint8_t* host = nullptr;              // host view of the physical page (RAM never moves)
  // The page's bytes the slots were decoded from, and when they were last compared with
  // memory (a write counted by the tracker or a fence.i since makes the page stale).
  CodeImage image;
};
static_assert(sizeof(DecodedPage) <= kDecodedPageAlign);

// The page a slot belongs to (slots start at the page's first byte), and the slot's pc.
inline DecodedPage& page_of(const Insn* i) {
  return *reinterpret_cast<DecodedPage*>(reinterpret_cast<uintptr_t>(i) & ~(kDecodedPageAlign - 1));
}
inline uint64_t pc_of(const Insn* i) {
  const DecodedPage& page = page_of(i);
  return page.vbase + (uint64_t(i - page.slots.data()) << 1);
}

}  // namespace strata
