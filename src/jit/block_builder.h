#pragma once
// Which guest instructions one translated block holds: from its first pc to the first
// instruction that ends a block (the table's block_end column), the end of the page, or
// kMaxBlockInsns. A 4-byte instruction that straddles the page end is never in a block
// (its halves may map to different places): the block stops before it.
#include <cstdint>
#include <vector>

#include "isa/decoded.h"

namespace strata::jit {

constexpr unsigned kMaxBlockInsns = 64;

struct GuestBlock {
  uint64_t pc = 0;                 // guest virtual pc of the first instruction
  std::vector<Decoded> insns;      // in order
  std::vector<uint64_t> pcs;       // pc of each
  uint64_t end_pc = 0;             // pc after the last instruction
  bool ends_with_control = false;  // the last instruction decides the next pc itself
};

// Decodes from `page` (the host view of the 4 KiB code page mapped at `vbase`) starting at
// `pc`. Empty when the first instruction straddles the page end.
GuestBlock build_block(const uint8_t* page, uint64_t vbase, uint64_t pc);

}  // namespace strata::jit
