#pragma once
// Row builders for the instruction table (table.cpp only): one per encoding shape, each giving
// the mask the shape fixes and the execution columns the shape implies. Columns that follow
// from the register files and the format (FP use, may_trap of FP rows) are filled for every
// row at once by finish_rows() in table.cpp.
#include <string_view>

#include "isa/spec.h"

namespace strata::table_builders {

// Major opcodes (bits 6:0).
constexpr uint32_t LOAD = 0x03, LOAD_FP = 0x07, MISC_MEM = 0x0f, OP_IMM = 0x13, AUIPC = 0x17,
                   OP_IMM_32 = 0x1b, STORE = 0x23, STORE_FP = 0x27, AMO = 0x2f, OP = 0x33, LUI = 0x37,
                   OP_32 = 0x3b, MADD = 0x43, MSUB = 0x47, NMSUB = 0x4b, NMADD = 0x4f, OP_FP = 0x53,
                   BRANCH = 0x63, JALR = 0x67, JAL = 0x6f, SYSTEM = 0x73;
constexpr uint32_t S = 0, D = 1;   // floating-point fmt field
constexpr uint32_t W = 2, DW = 3;  // AMO width in funct3

constexpr uint32_t f3(uint32_t v) { return v << 12; }
constexpr uint32_t f7(uint32_t v) { return v << 25; }

constexpr bool kMayTrap = true;
constexpr bool kExact = true;  // an FP conversion that never rounds, so raises no flag

constexpr InstrSpec op_r(std::string_view n, uint32_t opc, uint32_t fn3, uint32_t fn7, Ext e, Op o,
                         uint8_t fr = kXAll) {
  return {n, opc | f3(fn3) | f7(fn7), 0xfe00707f, Format::R, e, o, fr};
}
// Fixed rs2 field (unary operations such as clz, fclass, fmv).
constexpr InstrSpec op_r1(std::string_view n, uint32_t opc, uint32_t fn3, uint32_t fn7, uint32_t rs2, Ext e,
                          Op o, uint8_t fr = kXAll) {
  return {n, opc | f3(fn3) | f7(fn7) | rs2 << 20, 0xfff0707f, Format::R1, e, o, fr};
}
constexpr InstrSpec op_i(std::string_view n, uint32_t opc, uint32_t fn3, Format f, Ext e, Op o,
                         uint8_t fr = kXAll) {
  return {n, opc | f3(fn3), 0x0000707f, f, e, o, fr};
}
// Shifts by an immediate: funct6 (RV64, 6-bit shamt) or funct7 (W forms, 5-bit shamt).
constexpr InstrSpec op_sh(std::string_view n, uint32_t opc, uint32_t fn3, uint32_t fn6, Ext e, Op o) {
  return {n, opc | f3(fn3) | fn6 << 26, 0xfc00707f, Format::IShift, e, o};
}
constexpr InstrSpec op_shw(std::string_view n, uint32_t opc, uint32_t fn3, uint32_t fn7, Ext e, Op o) {
  return {n, opc | f3(fn3) | f7(fn7), 0xfe00707f, Format::IShiftW, e, o};
}
constexpr InstrSpec op_u(std::string_view n, uint32_t opc, Format f, Op o) {
  return {n, opc, 0x0000007f, f, Ext::I, o};
}
constexpr InstrSpec op_exact(std::string_view n, uint32_t word, Format f, Ext e, Op o) {
  return {n, word, 0xffffffff, f, e, o};
}

// Marks a row that ends a translated block (jumps, and the system rows whose shapes say nothing).
constexpr InstrSpec ends(InstrSpec s, BlockEnd how, bool may_trap = false) {
  s.block_end = how;
  s.may_trap = may_trap;
  return s;
}
// ecall, ebreak, xret, wfi: one exact word each.
constexpr InstrSpec op_sys(std::string_view n, uint32_t word, Ext e, Op o, bool may_trap) {
  return ends(op_exact(n, word, Format::None, e, o), BlockEnd::System, may_trap);
}
constexpr InstrSpec branch(std::string_view n, uint32_t fn3, Op o) {
  return ends(op_i(n, BRANCH, fn3, Format::Branch, Ext::I, o), BlockEnd::Branch);
}

// Every access can fault (page, access, misaligned atomic).
constexpr InstrSpec memory(InstrSpec s, MemKind kind, uint32_t size) {
  s.may_trap = true;
  s.mem = {kind, uint8_t(size), false, s.fregs != kXAll};
  return s;
}
// Loads and stores: funct3 bits 1:0 give the size, bit 2 zero extension (lbu, lhu, lwu). ld
// counts as sign-extending because RV128 pairs it with an ldu; FP loads NaN-box instead.
constexpr InstrSpec load(std::string_view n, uint32_t opc, uint32_t fn3, Ext e, Op o, uint8_t fr = kXAll) {
  InstrSpec s = memory(op_i(n, opc, fn3, Format::Load, e, o, fr), MemKind::Load, 1u << (fn3 & 3));
  s.mem.sign_extend = opc == LOAD && !(fn3 & 4);
  return s;
}
constexpr InstrSpec store(std::string_view n, uint32_t opc, uint32_t fn3, Ext e, Op o, uint8_t fr = kXAll) {
  return memory(op_i(n, opc, fn3, Format::Store, e, o, fr), MemKind::Store, 1u << (fn3 & 3));
}
// AMOs and LR put the loaded word sign-extended in rd; sc (funct5 3) writes a status there.
constexpr InstrSpec op_amo(std::string_view n, uint32_t width, uint32_t fn5, Op o) {
  InstrSpec s = memory({n, AMO | f3(width) | fn5 << 27, 0xf800707f, Format::Amo, Ext::A, o},
                       fn5 == 0x03 ? MemKind::Sc : MemKind::Amo, 1u << width);
  s.mem.sign_extend = s.mem.kind == MemKind::Amo;
  return s;
}
constexpr InstrSpec op_lr(std::string_view n, uint32_t width, Op o) {
  InstrSpec s =
      memory({n, AMO | f3(width) | 0x02u << 27, 0xf9f0707f, Format::Lr, Ext::A, o}, MemKind::Lr, 1u << width);
  s.mem.sign_extend = true;
  return s;
}

// Zicsr: the access may be illegal (privilege, read-only CSR, FS Off for the FP CSRs).
constexpr InstrSpec csr(std::string_view n, uint32_t fn3, Format f, Op o) {
  return ends(op_i(n, SYSTEM, fn3, f, Ext::Zicsr, o), BlockEnd::IfCsrWrites, kMayTrap);
}

// FP rows: reading/writing f registers and the rm field are filled by finish_rows; the builders
// say whether the operation can accrue fflags (arithmetic and conversions can).
constexpr InstrSpec with_flags(InstrSpec s) {
  s.fp |= kFpSetsFlags;
  return s;
}
// OP-FP with a rounding-mode field: funct7 = funct5 << 2 | fmt.
constexpr InstrSpec fp_rm(std::string_view n, uint32_t fn5, uint32_t fmt, Ext e, Op o) {
  return with_flags({n, OP_FP | f7(fn5 << 2 | fmt), 0xfe00007f, Format::RRm, e, o, kFRd | kFRs1 | kFRs2});
}
constexpr InstrSpec fp_r1rm(std::string_view n, uint32_t fn5, uint32_t fmt, uint32_t rs2, Ext e, Op o,
                            uint8_t fr, bool exact = false) {
  InstrSpec s{n, OP_FP | f7(fn5 << 2 | fmt) | rs2 << 20, 0xfff0007f, Format::R1Rm, e, o, fr};
  return exact ? s : with_flags(s);
}
// Sign injection, moves and fclass: bit operations, no flag.
constexpr InstrSpec fp_r(std::string_view n, uint32_t fn5, uint32_t fmt, uint32_t fn3, Ext e, Op o,
                         uint8_t fr) {
  return op_r(n, OP_FP, fn3, fn5 << 2 | fmt, e, o, fr);
}
constexpr InstrSpec fp_r1(std::string_view n, uint32_t fn5, uint32_t fmt, uint32_t fn3, Ext e, Op o,
                          uint8_t fr) {
  return op_r1(n, OP_FP, fn3, fn5 << 2 | fmt, 0, e, o, fr);
}
// min/max and compares: no rounding, but NaN operands raise invalid.
constexpr InstrSpec fp_cmp(std::string_view n, uint32_t fn5, uint32_t fmt, uint32_t fn3, Ext e, Op o,
                           uint8_t fr) {
  return with_flags(fp_r(n, fn5, fmt, fn3, e, o, fr));
}
constexpr InstrSpec fp_r4(std::string_view n, uint32_t opc, uint32_t fmt, Ext e, Op o) {
  return with_flags({n, opc | fmt << 25, 0x0600007f, Format::R4, e, o, kFRd | kFRs1 | kFRs2 | kFRs3});
}

// Compressed: quadrant (bits 1:0) and funct3 (bits 15:13), plus any further fixed bits. The
// execution columns come from the 32-bit row of the same op (finish_rows in table.cpp).
constexpr InstrSpec c_op(std::string_view n, uint32_t quadrant, uint32_t fn3, Format f, Op o,
                         uint32_t extra_match = 0, uint32_t extra_mask = 0, uint8_t req = kNoRequire,
                         uint8_t fr = kXAll) {
  return {n, quadrant | fn3 << 13 | extra_match, 0xe003 | extra_mask, f, Ext::C, o, fr, req};
}

constexpr uint8_t kFF = kFRd | kFRs1 | kFRs2;  // all-f register operands
constexpr uint8_t kXFF = kFRs1 | kFRs2;        // x result from two f sources (compares)

}  // namespace strata::table_builders
