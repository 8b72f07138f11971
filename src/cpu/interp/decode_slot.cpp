// Lazy decoding: every slot starts as decode_here, which decodes the instruction at its
// position, rewrites itself with the real handler and runs it.
#include "cpu/interp/decode_slot.h"

#include <cstring>

#include "cpu/hart.h"
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"
#include "isa/decoder.h"

namespace strata {
namespace {

Insn make_insn(const Decoded& d) {
  Insn in;
  static_cast<sem::Operands&>(in) = sem::operands_of(d);
  in.fn = handler_table().get(d.op, d.len);
  return in;
}

const Insn* decode_here(Hart& h, const Insn* i, uint32_t chain_left);

// The last slot: falling off the end of the page continues in the next one.
const Insn* page_end(Hart& h, const Insn* i, uint32_t chain_left) {
  h.chain_left = chain_left;
  h.steps--;  // not an instruction: undo the dispatcher's count
  h.pc = page_of(i).vbase + kPageSize;
  return nullptr;
}

// A 32-bit instruction in the last two bytes of a page: its upper half lives in the next
// page, which may be mapped differently, so it is fetched and decoded on every execution.
const Insn* straddling(Hart& h, const Insn* i, uint32_t chain_left) {
  const uint64_t pc = pc_of(i);
  const uint64_t vbase = page_of(i).vbase;
  const uint64_t upper_va = vbase + kPageSize;
  const Translation t = h.translator->translate(h, upper_va, Access::Exec);
  if (!t.ok || !t.host) {
    raise_exception(h, t.ok ? cause::kInsnAccess : t.cause, upper_va, pc);
    return nullptr;
  }
  uint16_t upper;
  std::memcpy(&upper, t.host, 2);
  const uint32_t raw = (i->raw & 0xffff) | uint32_t(upper) << 16;
  // Run the instruction from the same slot of a scratch page of the same address, so
  // pc_of() still holds.
  static thread_local std::unique_ptr<DecodedPage> scratch = std::make_unique<DecodedPage>();
  scratch->vbase = vbase;
  Insn& slot = scratch->slots[kSlotsPerPage - 1];
  slot = make_insn(decode(raw));
  // A chain of one: the handler must not run on into the scratch page. The dispatcher
  // counts this instruction when straddling returns.
  const Insn* next_slot = slot.fn(h, &slot, 1);
  h.chain_left = chain_left;
  if (next_slot) h.pc = pc_of(next_slot);
  return nullptr;
}

const Insn* decode_here(Hart& h, const Insn* i, uint32_t chain_left) {
  DecodedPage& page = page_of(i);
  const size_t index = size_t(i - page.slots.data());
  const size_t offset = index * 2;
  uint16_t low;
  std::memcpy(&low, page.host + offset, 2);
  Insn& slot = page.slots[index];
  if (instruction_length(low) == 4 && offset + 4 > kPageSize) {
    slot = Insn{};
    slot.fn = straddling;
    slot.raw = low;
    slot.len = 4;
    return straddling(h, &slot, chain_left);
  }
  uint32_t raw = low;
  if (instruction_length(low) == 4) std::memcpy(&raw, page.host + offset, 4);
  slot = make_insn(decode(raw));
  return slot.fn(h, &slot, chain_left);  // not an instruction of its own: the chain is unchanged
}

}  // namespace

bool slot_decoded(const Insn& slot) { return slot.fn != decode_here; }

static Insn lazy_slot() {
  Insn lazy{};
  lazy.fn = decode_here;
  lazy.len = 2;
  return lazy;
}

void init_decoded_page(DecodedPage& page) {
  page.slots.fill(lazy_slot());
  page.slots[kSlotsPerPage].fn = page_end;
}

void forget_decoded(DecodedPage& page, const std::vector<ByteRange>& changed) {
  for (const ByteRange& r : changed) {
    // A 4-byte instruction starting 2 bytes before the range covers its first byte too.
    const size_t first = r.begin >= 2 ? (r.begin - 2) / 2 : 0;
    for (size_t slot = first; slot <= (r.end - 1) / 2; slot++) page.slots[slot] = lazy_slot();
  }
}

}  // namespace strata
