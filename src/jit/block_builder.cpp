#include "jit/block_builder.h"

#include <cstring>

#include "isa/decoder.h"
#include "isa/properties.h"

namespace strata::jit {

GuestBlock build_block(const uint8_t* page, uint64_t vbase, uint64_t pc) {
  GuestBlock b;
  b.pc = pc;
  uint64_t offset = pc - vbase;
  while (b.insns.size() < kMaxBlockInsns && offset + 2 <= 4096) {
    uint16_t low;
    std::memcpy(&low, page + offset, 2);
    uint32_t raw = low;
    if (instruction_length(low) == 4) {
      if (offset + 4 > 4096) break;  // straddles: left to the interpreter
      std::memcpy(&raw, page + offset, 4);
    }
    const Decoded d = decode(raw);
    b.insns.push_back(d);
    b.pcs.push_back(vbase + offset);
    offset += d.len;
    const BlockEnd end = block_end_of(d);
    if (end != BlockEnd::None) {
      b.ends_with_control = end == BlockEnd::Branch || end == BlockEnd::Jump || end == BlockEnd::IndirectJump;
      break;
    }
  }
  b.end_pc = vbase + offset;
  return b;
}

}  // namespace strata::jit
