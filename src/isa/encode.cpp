#include "isa/encode.h"

#include "isa/table.h"

namespace strata {

uint32_t encode(Op op, const Operands& o) {
  const InstrSpec& s = spec_of(op);
  const uint32_t imm = uint32_t(o.imm);
  auto bits = [imm](int hi, int lo) { return (imm >> lo) & ((1u << (hi - lo + 1)) - 1); };
  const uint32_t rd = (o.rd & 31) << 7, rs1 = (o.rs1 & 31) << 15, rs2 = (o.rs2 & 31) << 20;
  const uint32_t rs3 = (o.rs3 & 31) << 27, rm = (o.rm & 7) << 12;
  uint32_t w = 0;
  switch (s.format) {
    case Format::R: w = rd | rs1 | rs2; break;
    case Format::R1: w = rd | rs1; break;
    case Format::RRm: w = rd | rs1 | rs2 | rm; break;
    case Format::R1Rm: w = rd | rs1 | rm; break;
    case Format::R4: w = rd | rs1 | rs2 | rs3 | rm; break;
    case Format::I:
    case Format::Load:
    case Format::Jalr: w = rd | rs1 | bits(11, 0) << 20; break;
    case Format::IShift: w = rd | rs1 | bits(5, 0) << 20; break;
    case Format::IShiftW: w = rd | rs1 | bits(4, 0) << 20; break;
    case Format::Store: w = rs1 | rs2 | bits(11, 5) << 25 | bits(4, 0) << 7; break;
    case Format::Branch:
      w = rs1 | rs2 | bits(12, 12) << 31 | bits(10, 5) << 25 | bits(4, 1) << 8 | bits(11, 11) << 7;
      break;
    case Format::U: w = rd | (imm & 0xfffff000u); break;
    case Format::J:
      w = rd | bits(20, 20) << 31 | bits(10, 1) << 21 | bits(11, 11) << 20 | bits(19, 12) << 12;
      break;
    case Format::Amo: w = rd | rs1 | rs2 | (o.rm & 3) << 25; break;
    case Format::Lr: w = rd | rs1 | (o.rm & 3) << 25; break;
    case Format::Csr: w = rd | rs1 | bits(11, 0) << 20; break;
    case Format::CsrI: w = rd | rs1 | bits(11, 0) << 20; break;
    case Format::Fence: w = bits(11, 0) << 20; break;
    case Format::SfenceVma: w = rs1 | rs2; break;
    default: break;
  }
  return (w & ~s.mask) | s.match;
}

}  // namespace strata
