#pragma once
// The interpreter's pre-decoded form: one slot per 2-byte position of a code page, each
// holding the handler to call and the operands. Handlers return the next slot to run, or
// nullptr when the dispatcher must look up hart.pc again (taken off-page branch, trap,
// anything that changed translation or interrupt state).
#include <array>
#include <cstddef>
#include <cstdint>

#include "isa/op.h"

namespace strata {

class Hart;
struct Insn;
// What one instruction does: returns its successor slot (next(i) for the one that follows),
// or nullptr to leave to the dispatcher.
using Step = const Insn* (*)(Hart&, const Insn*);
// What a slot calls: a Step wrapped so that it runs on into the next slot itself while the
// dispatcher's chain lasts (`chain_left` instructions, this one included).
using Handler = const Insn* (*)(Hart&, const Insn*, uint32_t chain_left);

// x0 as a destination is redirected to this register, so handlers never test rd == 0.
constexpr uint8_t kZeroSink = 32;

struct Insn {
  Handler fn;
  int32_t imm;
  uint8_t rd, rs1, rs2, rs3;
  uint8_t rm;   // rounding mode, or aq/rl for atomics
  uint8_t len;  // 2 or 4 bytes
  Op op;
  uint32_t raw;

  unsigned step() const { return len >> 1; }  // slots to the next instruction
};
static_assert(sizeof(Insn) == 24);

constexpr unsigned kSlotsPerPage = 2048;

// ~48 KiB each. They come straight from mmap and go back with munmap, so a dropped cache
// returns its memory to the host at once instead of lingering in malloc's free lists (an
// idle VM's footprint is what many-VM hosts pay for).
struct DecodedPage {
  static void* operator new(size_t size);
  static void operator delete(void* p, size_t size);

  std::array<Insn, kSlotsPerPage + 1> slots;  // the last one ends the page
  uint64_t vbase = 0;           // virtual address of the page these slots were decoded for
  uint64_t pbase = 0;           // physical address they were read from
  const uint8_t* host = nullptr;  // host view of the physical page (RAM never moves)
  // The page's bytes when they were last known to match the slots, and the fence.i count
  // then: a fence.i re-checks a page against memory before it runs again.
  std::array<uint8_t, kSlotsPerPage * 2> image;
  uint64_t synced_at = 0;
};

}  // namespace strata
