#include "isa/random_program.h"

#include "isa/decoder.h"
#include "isa/encode.h"
#include "isa/table.h"

namespace strata {

namespace {

// Jumps and branches, which the generator places itself so that every target is in the program.
bool is_control(const InstrSpec& s) {
  return s.block_end == BlockEnd::Branch || s.block_end == BlockEnd::Jump ||
         s.block_end == BlockEnd::IndirectJump;
}

// Operations whose effect depends on machine state outside the registers and memory the
// generator controls (CSRs, traps, privilege).
bool is_system(Op op) {
  switch (op) {
    case Op::Ecall: case Op::Ebreak: case Op::Mret: case Op::Sret: case Op::Wfi: case Op::SfenceVma:
    case Op::Csrrw: case Op::Csrrs: case Op::Csrrc: case Op::Csrrwi: case Op::Csrrsi: case Op::Csrrci:
      return true;
    default:
      return false;
  }
}

bool wanted(const InstrSpec& s, const RandomProgramOptions& o) {
  if (is_system(s.op) || s.op == Op::Illegal || o.excluded.count(s.op)) return false;
  if (s.compressed() && (is_control(s) || s.op == Op::Ebreak)) return false;  // c.j/c.b*/c.jr/c.jalr
  if (s.op == Op::ScW || s.op == Op::ScD) return false;  // emitted only right after an LR of its width
  switch (s.ext) {
    case Ext::C: return o.compressed && (o.floating_point || s.fregs == kXAll);
    case Ext::A: return o.atomics;
    case Ext::F: case Ext::D: return o.floating_point;
    case Ext::Zba: case Ext::Zbb: case Ext::Zbs: case Ext::Zicond: return o.bitmanip;
    case Ext::Priv: case Ext::Zicsr: return false;
    default: return true;
  }
}

}  // namespace

// One element of a block: a finished word, or a forward jump to another item.
struct RandomProgram::Item {
  uint32_t word = 0;
  unsigned length = 4;
  Op jump = Op::Illegal;  // a control-flow op to encode once addresses are known
  unsigned rd = 0, rs1 = 0, rs2 = 0;
  size_t target = 0;  // index of the item jumped to (may be one past the last)
  bool follows_prefix = false;  // needs the item before it (addi base / auipc): never a target
};

RandomProgram::RandomProgram(uint64_t seed, RandomProgramOptions options) : rng_(seed) {
  for (const InstrSpec& s : instruction_table())
    if (wanted(s, options)) rows_.push_back(&s);
}

uint32_t RandomProgram::random_word(const InstrSpec& s) {
  for (;;) {
    uint32_t w = (uint32_t(rng_()) & ~s.mask) | s.match;
    if (s.compressed()) w &= 0xffff;
    if (!row_matches(s, w)) continue;
    // Rounding modes 5 and 6 are reserved (illegal); keep to the legal ones.
    if (s.format == Format::RRm || s.format == Format::R1Rm || s.format == Format::R4) {
      const uint32_t rm = (w >> 12) & 7;
      if (rm == 5 || rm == 6) continue;
    }
    return w;
  }
}

std::vector<uint8_t> RandomProgram::block(uint64_t pc, unsigned count) {
  std::vector<Item> items;
  std::uniform_int_distribution<unsigned> reg(1, 30);
  while (items.size() < count) {
    const InstrSpec& s = *rows_[rng_() % rows_.size()];
    if (is_control(s)) {
      Item j;
      j.jump = s.op;
      j.rd = reg(rng_);
      j.rs1 = reg(rng_);
      j.rs2 = reg(rng_);
      j.target = items.size() + 1 + rng_() % 6;  // forward, may land past the end
      if (s.op == Op::Jalr) {  // auipc rs1, 0 then jalr rd, offset(rs1)
        Item auipc;
        auipc.word = encode(Op::Auipc, {.rd = j.rs1});
        items.push_back(auipc);
        j.target++;
        j.follows_prefix = true;
      }
      items.push_back(j);
      continue;
    }
    uint32_t w = random_word(s);
    Decoded d = decode(w);
    const bool writes_x = !(s.fregs & kFRd);
    if (writes_x && d.rd == kDataBaseReg) continue;
    int64_t r = 0;
    if (s.mem.kind != MemKind::None) {
      if (d.rs1 == 0 || d.rs1 == kDataBaseReg) continue;
      // Choose where the access lands: an aligned offset r from x31.
      const int64_t size = s.mem.size;
      int64_t imm = d.imm;
      if (!s.compressed() && s.format != Format::Amo && s.format != Format::Lr) {
        imm = (int64_t(rng_() % 2048) - 1024) & ~(size - 1);
        Operands o{.rd = d.rd, .rs1 = d.rs1, .rs2 = d.rs2, .imm = imm};
        w = encode(s.op, o);
      }
      r = (int64_t(rng_() % 2048) - 1024) & ~int64_t(7);
      const int64_t adjust = r - imm;
      if (adjust < -2048 || adjust > 2047) continue;
      Item base;
      base.word = encode(Op::Addi, {.rd = d.rs1, .rs1 = kDataBaseReg, .imm = adjust});
      items.push_back(base);
    }
    Item it;
    it.word = w;
    it.length = s.length();
    it.follows_prefix = s.mem.kind != MemKind::None;
    items.push_back(it);
    if (s.op == Op::LrW || s.op == Op::LrD) {
      // The matching SC, usually to the same address: an SC always follows an LR of its own
      // width, so engines that differ on mixed-width pairs (allowed to) are not compared there.
      const unsigned base = reg(rng_);
      const int64_t r2 = rng_() % 8 ? r : r + 8;
      Item prefix;
      prefix.word = encode(Op::Addi, {.rd = base, .rs1 = kDataBaseReg, .imm = r2});
      prefix.follows_prefix = true;
      items.push_back(prefix);
      Item sc;
      sc.word = encode(s.op == Op::LrW ? Op::ScW : Op::ScD,
                       {.rd = reg(rng_), .rs1 = base, .rs2 = reg(rng_), .rm = unsigned(rng_() % 4)});
      sc.follows_prefix = true;
      items.push_back(sc);
    }
  }
  // Lay out, then encode the jumps now that every item has an address.
  std::vector<uint64_t> address(items.size() + 64);
  uint64_t a = pc;
  for (size_t k = 0; k < items.size(); k++) {
    address[k] = a;
    a += items[k].length;
  }
  for (size_t k = items.size(); k < address.size(); k++) address[k] = a;  // past the end: the end
  std::vector<uint8_t> code;
  for (size_t k = 0; k < items.size(); k++) {
    Item& it = items[k];
    if (it.jump != Op::Illegal) {
      const int64_t from = int64_t(it.jump == Op::Jalr ? address[k - 1] : address[k]);
      size_t target = std::min(it.target, items.size());
      while (target < items.size() && items[target].follows_prefix) target++;
      const int64_t offset = int64_t(address[target]) - from;
      it.word = encode(it.jump, {.rd = it.rd, .rs1 = it.rs1, .rs2 = it.rs2, .imm = offset});
    }
    for (unsigned b = 0; b < it.length; b++) code.push_back(uint8_t(it.word >> (8 * b)));
  }
  return code;
}

}  // namespace strata
