// Jumps and conditional branches. A target inside the current page continues directly in
// its slot; anything else goes through the dispatcher.
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"

namespace strata {
namespace {

// Continues `offset` bytes from this instruction.
inline const Insn* relative(Hart& h, const Insn* i, int64_t offset) {
  DecodedPage& page = page_of(i);
  const uint64_t in_page = (uint64_t(i - page.slots.data()) << 1) + uint64_t(offset);
  if (in_page < kPageSize) return page.slots.data() + (in_page >> 1);
  h.pc = page.vbase + in_page;
  return nullptr;
}

const Insn* jal(Hart& h, const Insn* i) {
  h.x[i->rd] = pc_of(i) + i->len;
  return relative(h, i, i->imm);
}

const Insn* jalr(Hart& h, const Insn* i) {
  const uint64_t target = (h.x[i->rs1] + uint64_t(int64_t(i->imm))) & ~1ull;  // read before rd
  h.x[i->rd] = pc_of(i) + i->len;
  return jump_to(h, i, target);
}

template <bool (*Taken)(uint64_t, uint64_t)>
const Insn* branch(Hart& h, const Insn* i) {
  if (Taken(h.x[i->rs1], h.x[i->rs2])) return relative(h, i, i->imm);
  return next(i);
}

bool eq(uint64_t a, uint64_t b) { return a == b; }
bool ne(uint64_t a, uint64_t b) { return a != b; }
bool lt(uint64_t a, uint64_t b) { return int64_t(a) < int64_t(b); }
bool ge(uint64_t a, uint64_t b) { return int64_t(a) >= int64_t(b); }
bool ltu(uint64_t a, uint64_t b) { return a < b; }
bool geu(uint64_t a, uint64_t b) { return a >= b; }

}  // namespace

void add_control_handlers(HandlerTable& t) {
  t.set<jal>(Op::Jal);
  t.set<jalr>(Op::Jalr);
  t.set<branch<eq>>(Op::Beq);
  t.set<branch<ne>>(Op::Bne);
  t.set<branch<lt>>(Op::Blt);
  t.set<branch<ge>>(Op::Bge);
  t.set<branch<ltu>>(Op::Bltu);
  t.set<branch<geu>>(Op::Bgeu);
}

}  // namespace strata
