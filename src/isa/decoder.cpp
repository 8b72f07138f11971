#include "isa/decoder.h"

#include <array>
#include <vector>

#include "isa/table.h"

namespace strata {
namespace {

constexpr uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }
constexpr int64_t sext(uint64_t v, int width) { return int64_t(v << (64 - width)) >> (64 - width); }
constexpr uint8_t creg(uint32_t v, int lo) { return uint8_t(8 + bits(v, lo + 2, lo)); }  // x8..x15

Decoded extract32(const InstrSpec& s, uint32_t r, Decoded d) {
  d.rd = uint8_t(bits(r, 11, 7));
  d.rs1 = uint8_t(bits(r, 19, 15));
  d.rs2 = uint8_t(bits(r, 24, 20));
  switch (s.format) {
    case Format::R:
      break;
    case Format::R1:
      d.rs2 = 0;
      break;
    case Format::RRm:
      d.rm = uint8_t(bits(r, 14, 12));
      break;
    case Format::R1Rm:
      d.rm = uint8_t(bits(r, 14, 12));
      d.rs2 = 0;
      break;
    case Format::R4:
      d.rm = uint8_t(bits(r, 14, 12));
      d.rs3 = uint8_t(bits(r, 31, 27));
      break;
    case Format::I:
    case Format::Load:
    case Format::Jalr:
      d.imm = sext(bits(r, 31, 20), 12);
      d.rs2 = 0;
      break;
    case Format::IShift:
      d.imm = bits(r, 25, 20);
      d.rs2 = 0;
      break;
    case Format::IShiftW:
      d.imm = bits(r, 24, 20);
      d.rs2 = 0;
      break;
    case Format::Store:
      d.imm = sext(bits(r, 31, 25) << 5 | bits(r, 11, 7), 12);
      d.rd = 0;
      break;
    case Format::Branch:
      d.imm = sext(bits(r, 31, 31) << 12 | bits(r, 7, 7) << 11 | bits(r, 30, 25) << 5 | bits(r, 11, 8) << 1, 13);
      d.rd = 0;
      break;
    case Format::U:
      d.imm = sext(r & 0xfffff000u, 32);
      d.rs1 = d.rs2 = 0;
      break;
    case Format::J:
      d.imm = sext(bits(r, 31, 31) << 20 | bits(r, 19, 12) << 12 | bits(r, 20, 20) << 11 | bits(r, 30, 21) << 1,
                   21);
      d.rs1 = d.rs2 = 0;
      break;
    case Format::Amo:
      d.rm = uint8_t(bits(r, 26, 25));
      break;
    case Format::Lr:
      d.rm = uint8_t(bits(r, 26, 25));
      d.rs2 = 0;
      break;
    case Format::Csr:
    case Format::CsrI:
      d.imm = bits(r, 31, 20);
      d.rs2 = 0;
      break;
    case Format::Fence:
      d.imm = bits(r, 31, 20);
      d.rs2 = 0;
      break;
    case Format::None:
      d.rd = d.rs1 = d.rs2 = 0;
      break;
    case Format::SfenceVma:
      d.rd = 0;
      break;
    default:
      break;
  }
  return d;
}

Decoded extract16(const InstrSpec& s, uint32_t r, Decoded d) {
  const uint8_t rd_full = uint8_t(bits(r, 11, 7)), rs2_full = uint8_t(bits(r, 6, 2));
  const int64_t imm6 = sext(bits(r, 12, 12) << 5 | bits(r, 6, 2), 6);
  switch (s.format) {
    case Format::CAddi4spn:
      d.rd = creg(r, 2);
      d.rs1 = 2;
      d.imm = bits(r, 12, 11) << 4 | bits(r, 10, 7) << 6 | bits(r, 6, 6) << 2 | bits(r, 5, 5) << 3;
      break;
    case Format::CLw:
    case Format::CSw:
      (s.format == Format::CLw ? d.rd : d.rs2) = creg(r, 2);
      d.rs1 = creg(r, 7);
      d.imm = bits(r, 12, 10) << 3 | bits(r, 6, 6) << 2 | bits(r, 5, 5) << 6;
      break;
    case Format::CLd:
    case Format::CSd:
      (s.format == Format::CLd ? d.rd : d.rs2) = creg(r, 2);
      d.rs1 = creg(r, 7);
      d.imm = bits(r, 12, 10) << 3 | bits(r, 6, 5) << 6;
      break;
    case Format::CAddi:
      d.rd = d.rs1 = rd_full;
      d.imm = imm6;
      break;
    case Format::CLi:
      d.rd = rd_full;
      d.imm = imm6;
      break;
    case Format::CLui:
      d.rd = rd_full;
      d.imm = imm6 << 12;
      break;
    case Format::CAddi16sp:
      d.rd = d.rs1 = 2;
      d.imm = sext(bits(r, 12, 12) << 9 | bits(r, 6, 6) << 4 | bits(r, 5, 5) << 6 | bits(r, 4, 3) << 7 |
                       bits(r, 2, 2) << 5,
                   10);
      break;
    case Format::CShiftR:
      d.rd = d.rs1 = creg(r, 7);
      d.imm = bits(r, 12, 12) << 5 | bits(r, 6, 2);
      break;
    case Format::CAndi:
      d.rd = d.rs1 = creg(r, 7);
      d.imm = imm6;
      break;
    case Format::CA:
      d.rd = d.rs1 = creg(r, 7);
      d.rs2 = creg(r, 2);
      break;
    case Format::CJ:
      d.imm = sext(bits(r, 12, 12) << 11 | bits(r, 11, 11) << 4 | bits(r, 10, 9) << 8 | bits(r, 8, 8) << 10 |
                       bits(r, 7, 7) << 6 | bits(r, 6, 6) << 7 | bits(r, 5, 3) << 1 | bits(r, 2, 2) << 5,
                   12);
      break;
    case Format::CB:
      d.rs1 = creg(r, 7);
      d.imm = sext(bits(r, 12, 12) << 8 | bits(r, 11, 10) << 3 | bits(r, 6, 5) << 6 | bits(r, 4, 3) << 1 |
                       bits(r, 2, 2) << 5,
                   9);
      break;
    case Format::CSlli:
      d.rd = d.rs1 = rd_full;
      d.imm = bits(r, 12, 12) << 5 | bits(r, 6, 2);
      break;
    case Format::CLwsp:
      d.rd = rd_full;
      d.rs1 = 2;
      d.imm = bits(r, 12, 12) << 5 | bits(r, 6, 4) << 2 | bits(r, 3, 2) << 6;
      break;
    case Format::CLdsp:
      d.rd = rd_full;
      d.rs1 = 2;
      d.imm = bits(r, 12, 12) << 5 | bits(r, 6, 5) << 3 | bits(r, 4, 2) << 6;
      break;
    case Format::CSwsp:
      d.rs2 = rs2_full;
      d.rs1 = 2;
      d.imm = bits(r, 12, 9) << 2 | bits(r, 8, 7) << 6;
      break;
    case Format::CSdsp:
      d.rs2 = rs2_full;
      d.rs1 = 2;
      d.imm = bits(r, 12, 10) << 3 | bits(r, 9, 7) << 6;
      break;
    case Format::CJr:
      d.rs1 = rd_full;
      break;
    case Format::CJalr:
      d.rd = 1;
      d.rs1 = rd_full;
      break;
    case Format::CMv:
      d.rd = rd_full;
      d.rs2 = rs2_full;
      break;
    case Format::CAdd:
      d.rd = d.rs1 = rd_full;
      d.rs2 = rs2_full;
      break;
    default:
      break;
  }
  // Compressed FP operations use dynamic rounding.
  d.rm = 7;
  return d;
}

bool requirements_hold(const InstrSpec& s, const Decoded& d, uint32_t raw) {
  if (s.require == kNoRequire) return true;
  // Register conditions look at the encoded fields, not the expanded operands.
  const uint32_t rd = bits(raw, 11, 7), rs2 = bits(raw, 6, 2);
  if ((s.require & kRdNonZero) && rd == 0) return false;
  if ((s.require & kRs1NonZero) && rd == 0) return false;  // c.jr/c.jalr hold rs1 in bits 11:7
  if ((s.require & kRs2NonZero) && rs2 == 0) return false;
  if ((s.require & kImmNonZero) && d.imm == 0) return false;
  if ((s.require & kRdNot2) && rd == 2) return false;
  return true;
}

// Buckets of candidate rows: 32-bit rows by opcode bits 6:2, 16-bit rows by quadrant and
// funct3. A bucket holds a handful of rows, so a linear scan is cheap; engines cache decodes.
struct Buckets {
  std::array<std::vector<const InstrSpec*>, 32> wide;
  std::array<std::vector<const InstrSpec*>, 24> narrow;
  Buckets() {
    for (const InstrSpec& s : instruction_table()) {
      if (s.compressed())
        narrow[(s.match & 3) << 3 | bits(s.match, 15, 13)].push_back(&s);
      else
        wide[bits(s.match, 6, 2)].push_back(&s);
    }
  }
};

const Buckets& buckets() {
  static const Buckets b;
  return b;
}

}  // namespace

Decoded extract(const InstrSpec& spec, uint32_t raw) {
  Decoded d;
  d.op = spec.op;
  d.spec = &spec;
  d.len = uint8_t(spec.length());
  d.raw = spec.compressed() ? raw & 0xffff : raw;
  return spec.compressed() ? extract16(spec, d.raw, d) : extract32(spec, d.raw, d);
}

bool row_matches(const InstrSpec& spec, uint32_t raw) {
  if (spec.compressed()) raw &= 0xffff;
  if ((raw & spec.mask) != spec.match) return false;
  return spec.require == kNoRequire || requirements_hold(spec, extract(spec, raw), raw);
}

Decoded decode(uint32_t raw) {
  const bool wide = (raw & 3) == 3;
  const auto& candidates = wide ? buckets().wide[bits(raw, 6, 2)]
                                : buckets().narrow[(raw & 3) << 3 | bits(raw, 15, 13)];
  for (const InstrSpec* s : candidates)
    if (row_matches(*s, raw)) return extract(*s, raw);
  Decoded illegal;
  illegal.len = wide ? 4 : 2;
  illegal.raw = wide ? raw : raw & 0xffff;
  return illegal;
}

}  // namespace strata
