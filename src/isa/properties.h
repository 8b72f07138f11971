#pragma once
// Properties derived from a table row (its Format, register files and execution columns), so
// that engines learn register liveness, FP-state effects and block ends from the ISA layer
// instead of keeping switches of their own. All constexpr: a JIT can use them when translating.
#include "isa/decoded.h"
#include "isa/spec.h"

namespace strata {

// The 32-bit format a compressed format expands to (32-bit formats map to themselves). The
// decoder fills a compressed instruction's rd/rs1/rs2 as its expansion names them (c.li is
// addi rd, x0, imm), so operand questions are answered on the expanded format.
constexpr Format expanded_format(Format f) {
  switch (f) {
    case Format::CAddi4spn:
    case Format::CAddi:
    case Format::CLi:
    case Format::CAddi16sp:
    case Format::CAndi:
      return Format::I;
    case Format::CLw:
    case Format::CLd:
    case Format::CLwsp:
    case Format::CLdsp:
      return Format::Load;
    case Format::CSw:
    case Format::CSd:
    case Format::CSwsp:
    case Format::CSdsp:
      return Format::Store;
    case Format::CLui:
      return Format::U;
    case Format::CShiftR:
    case Format::CSlli:
      return Format::IShift;
    case Format::CA:
    case Format::CMv:
    case Format::CAdd:
      return Format::R;
    case Format::CJ:
      return Format::J;
    case Format::CB:
      return Format::Branch;
    case Format::CJr:
    case Format::CJalr:
      return Format::Jalr;
    case Format::CNone:
      return Format::None;
    default:
      return f;
  }
}

// Register fields, at the same bit positions as the RegFile bits (kFRd...), so that
// `register_fields(f) & ~fregs` leaves the x-register operands.
enum RegField : uint8_t { kFieldRd = 1, kFieldRs1 = 2, kFieldRs2 = 4, kFieldRs3 = 8 };

// Which of rd/rs1/rs2/rs3 name registers (of either file) in this format. Fields a format
// uses for something else (the uimm of CsrI, fence bits) are not registers.
constexpr uint8_t register_fields(Format f) {
  switch (expanded_format(f)) {
    case Format::R:
    case Format::RRm:
    case Format::Amo:
      return kFieldRd | kFieldRs1 | kFieldRs2;
    case Format::R4:
      return kFieldRd | kFieldRs1 | kFieldRs2 | kFieldRs3;
    case Format::R1:
    case Format::R1Rm:
    case Format::I:
    case Format::IShift:
    case Format::IShiftW:
    case Format::Load:
    case Format::Jalr:
    case Format::Lr:
    case Format::Csr:
      return kFieldRd | kFieldRs1;
    case Format::Store:
    case Format::Branch:
    case Format::SfenceVma:
      return kFieldRs1 | kFieldRs2;
    case Format::U:
    case Format::J:
    case Format::CsrI:
      return kFieldRd;
    default:  // Fence, None
      return 0;
  }
}

// The x registers an instruction reads and writes, for liveness. These say which fields are
// operands, not their values: x0 is named like any register (reads give 0, writes are dropped).
// System rows (ecall...) go back to the dispatcher, which sees the whole register file.
constexpr uint8_t x_fields(const InstrSpec& s) { return register_fields(s.format) & ~s.fregs; }
constexpr bool reads_rs1(const InstrSpec& s) { return x_fields(s) & kFieldRs1; }
constexpr bool reads_rs2(const InstrSpec& s) { return x_fields(s) & kFieldRs2; }
constexpr bool writes_rd(const InstrSpec& s) { return x_fields(s) & kFieldRd; }

// The same for f registers.
constexpr uint8_t f_fields(const InstrSpec& s) { return register_fields(s.format) & s.fregs; }
constexpr bool reads_frs1(const InstrSpec& s) { return f_fields(s) & kFieldRs1; }
constexpr bool reads_frs2(const InstrSpec& s) { return f_fields(s) & kFieldRs2; }
constexpr bool reads_frs3(const InstrSpec& s) { return f_fields(s) & kFieldRs3; }
constexpr bool writes_frd(const InstrSpec& s) { return f_fields(s) & kFieldRd; }

// FP state: any use needs mstatus.FS on; reading means f registers or frm (through an rm field),
// writing means f registers or fflags, after which FS must become Dirty.
constexpr bool uses_fp(const InstrSpec& s) { return s.fp != kFpNone; }
constexpr bool reads_fp_state(const InstrSpec& s) { return s.fp & (kFpReadsF | kFpRoundingMode); }
constexpr bool writes_fp_state(const InstrSpec& s) { return s.fp & (kFpWritesF | kFpSetsFlags); }
constexpr uint8_t kRmDynamic = 7;
// Whether this instance reads frm: it has an rm field and the field says DYN.
constexpr bool reads_frm(const Decoded& d) {
  return d.spec && (d.spec->fp & kFpRoundingMode) && d.rm == kRmDynamic;
}

constexpr bool is_atomic(MemKind k) { return k == MemKind::Lr || k == MemKind::Sc || k == MemKind::Amo; }

// Whether a Zicsr instruction writes its CSR: csrrw/csrrwi always, the set/clear forms only
// with a non-zero rs1 or uimm (both held in rs1), as the privileged spec defines.
constexpr bool csr_writes(const Decoded& d) { return d.op == Op::Csrrw || d.op == Op::Csrrwi || d.rs1 != 0; }

// The block end of one decoded instruction, IfCsrWrites resolved. An illegal word always
// traps, so it ends the block like a system instruction.
constexpr BlockEnd block_end_of(const Decoded& d) {
  if (!d.spec) return BlockEnd::System;
  if (d.spec->block_end != BlockEnd::IfCsrWrites) return d.spec->block_end;
  return csr_writes(d) ? BlockEnd::System : BlockEnd::None;
}

}  // namespace strata
