// Tests on the execution columns of the instruction table (block end, may_trap, memory access,
// FP use) and on the operand properties derived from them in isa/properties.h.
#include <gtest/gtest.h>

#include "isa/decoder.h"
#include "isa/encode.h"
#include "isa/properties.h"
#include "isa/table.h"

namespace strata {
namespace {

// The derivations are constexpr, for use when translating.
static_assert(register_fields(Format::CLi) == (kFieldRd | kFieldRs1));
static_assert(register_fields(Format::CsrI) == kFieldRd);
static_assert(expanded_format(Format::CJalr) == Format::Jalr);

const InstrSpec& row_named(std::string_view name) {
  for (const InstrSpec& s : instruction_table())
    if (s.name == name) return s;
  ADD_FAILURE() << "no row " << name;
  return spec_of(Op::Add);
}

// A compressed row is only another encoding of its 32-bit instruction: an engine must be able
// to read either row and do the same thing.
TEST(IsaTableColumns, CompressedRowsMatchTheirExpansion) {
  int compressed = 0;
  for (const InstrSpec& c : instruction_table()) {
    if (!c.compressed()) continue;
    compressed++;
    const InstrSpec& w = spec_of(c.op);
    SCOPED_TRACE(std::string(c.name) + " vs " + std::string(w.name));
    EXPECT_EQ(c.block_end, w.block_end);
    EXPECT_EQ(c.may_trap, w.may_trap);
    EXPECT_EQ(c.mem.kind, w.mem.kind);
    EXPECT_EQ(c.mem.size, w.mem.size);
    EXPECT_EQ(c.mem.sign_extend, w.mem.sign_extend);
    EXPECT_EQ(c.mem.f_data, w.mem.f_data);
    EXPECT_EQ(c.fp, w.fp);
    EXPECT_EQ(c.fregs, w.fregs);
    EXPECT_EQ(register_fields(c.format), register_fields(w.format));
    EXPECT_EQ(reads_rs1(c), reads_rs1(w));
    EXPECT_EQ(reads_rs2(c), reads_rs2(w));
    EXPECT_EQ(writes_rd(c), writes_rd(w));
    EXPECT_EQ(f_fields(c), f_fields(w));
  }
  EXPECT_GT(compressed, 30);
}

// The columns agree with each other on every row.
TEST(IsaTableColumns, RowsAreConsistent) {
  for (const InstrSpec& s : instruction_table()) {
    SCOPED_TRACE(s.name);
    const bool has_access = s.mem.kind != MemKind::None;
    EXPECT_EQ(has_access, s.mem.size != 0);
    if (has_access) {
      EXPECT_TRUE(s.mem.size == 1 || s.mem.size == 2 || s.mem.size == 4 || s.mem.size == 8);
      EXPECT_TRUE(s.may_trap) << "every access can fault";
    }
    EXPECT_EQ(s.fp != kFpNone, s.fregs != kXAll) << "FP use is exactly having an f register";
    if (s.fp != kFpNone) {
      EXPECT_TRUE(s.may_trap) << "FP is illegal while FS is Off";
    }
    // The operand fields of every f register are real operands of the format.
    EXPECT_EQ(f_fields(s), s.fregs);
    const bool jumps = s.block_end == BlockEnd::Jump || s.block_end == BlockEnd::IndirectJump ||
                       s.block_end == BlockEnd::Branch;
    if (jumps) {
      EXPECT_FALSE(s.may_trap) << "C is always on, so no target is misaligned";
    }
  }
}

TEST(IsaTableColumns, Loads) {
  const InstrSpec& lw = spec_of(Op::Lw);
  EXPECT_EQ(lw.mem.kind, MemKind::Load);
  EXPECT_EQ(lw.mem.size, 4);
  EXPECT_TRUE(lw.mem.sign_extend);
  EXPECT_FALSE(lw.mem.f_data);
  EXPECT_TRUE(lw.may_trap);
  EXPECT_EQ(lw.block_end, BlockEnd::None);
  EXPECT_TRUE(reads_rs1(lw));
  EXPECT_FALSE(reads_rs2(lw));
  EXPECT_TRUE(writes_rd(lw));

  EXPECT_EQ(spec_of(Op::Lb).mem.size, 1);
  EXPECT_TRUE(spec_of(Op::Lb).mem.sign_extend);
  EXPECT_EQ(spec_of(Op::Lhu).mem.size, 2);
  EXPECT_FALSE(spec_of(Op::Lhu).mem.sign_extend);
  EXPECT_EQ(spec_of(Op::Lwu).mem.size, 4);
  EXPECT_FALSE(spec_of(Op::Lwu).mem.sign_extend);
  EXPECT_EQ(spec_of(Op::Ld).mem.size, 8);

  const InstrSpec& ldsp = row_named("c.ldsp");
  EXPECT_EQ(ldsp.mem.kind, MemKind::Load);
  EXPECT_EQ(ldsp.mem.size, 8);
  EXPECT_TRUE(ldsp.may_trap);

  const InstrSpec& flw = spec_of(Op::Flw);
  EXPECT_EQ(flw.mem.kind, MemKind::Load);
  EXPECT_EQ(flw.mem.size, 4);
  EXPECT_TRUE(flw.mem.f_data);
  EXPECT_FALSE(flw.mem.sign_extend);  // NaN-boxed, not extended
  EXPECT_FALSE(writes_rd(flw));
  EXPECT_TRUE(writes_frd(flw));
  EXPECT_TRUE(reads_rs1(flw));  // the address is still an x register
  EXPECT_TRUE(writes_fp_state(flw));

  const InstrSpec& cfld = row_named("c.fld");
  EXPECT_EQ(cfld.mem.size, 8);
  EXPECT_TRUE(cfld.mem.f_data);
}

TEST(IsaTableColumns, Stores) {
  const InstrSpec& fsd = spec_of(Op::Fsd);
  EXPECT_EQ(fsd.mem.kind, MemKind::Store);
  EXPECT_EQ(fsd.mem.size, 8);
  EXPECT_TRUE(fsd.mem.f_data);
  EXPECT_TRUE(fsd.may_trap);
  EXPECT_TRUE(reads_rs1(fsd));
  EXPECT_FALSE(reads_rs2(fsd));
  EXPECT_TRUE(reads_frs2(fsd));
  EXPECT_FALSE(writes_rd(fsd));
  EXPECT_TRUE(reads_fp_state(fsd));
  EXPECT_FALSE(writes_fp_state(fsd));

  const InstrSpec& fsdsp = row_named("c.fsdsp");
  EXPECT_EQ(fsdsp.mem.kind, MemKind::Store);
  EXPECT_EQ(fsdsp.mem.size, 8);
  EXPECT_TRUE(fsdsp.mem.f_data);

  const InstrSpec& sh = spec_of(Op::Sh);
  EXPECT_EQ(sh.mem.kind, MemKind::Store);
  EXPECT_EQ(sh.mem.size, 2);
  EXPECT_FALSE(sh.mem.f_data);
  EXPECT_TRUE(reads_rs1(sh));
  EXPECT_TRUE(reads_rs2(sh));
  EXPECT_FALSE(writes_rd(sh));
}

TEST(IsaTableColumns, Atomics) {
  const InstrSpec& amoadd = spec_of(Op::AmoaddW);
  EXPECT_EQ(amoadd.mem.kind, MemKind::Amo);
  EXPECT_EQ(amoadd.mem.size, 4);
  EXPECT_TRUE(amoadd.mem.sign_extend);
  EXPECT_TRUE(amoadd.may_trap);
  EXPECT_TRUE(is_atomic(amoadd.mem.kind));
  EXPECT_TRUE(reads_rs1(amoadd) && reads_rs2(amoadd) && writes_rd(amoadd));

  EXPECT_EQ(spec_of(Op::AmomaxuD).mem.size, 8);
  EXPECT_EQ(spec_of(Op::LrW).mem.kind, MemKind::Lr);
  EXPECT_EQ(spec_of(Op::LrD).mem.size, 8);
  EXPECT_FALSE(reads_rs2(spec_of(Op::LrD)));
  EXPECT_EQ(spec_of(Op::ScD).mem.kind, MemKind::Sc);
  EXPECT_EQ(spec_of(Op::ScW).mem.size, 4);
  EXPECT_TRUE(reads_rs2(spec_of(Op::ScW)));
}

TEST(IsaTableColumns, ControlFlow) {
  const InstrSpec& jal = spec_of(Op::Jal);
  EXPECT_EQ(jal.block_end, BlockEnd::Jump);
  EXPECT_FALSE(jal.may_trap);
  EXPECT_TRUE(writes_rd(jal));
  EXPECT_FALSE(reads_rs1(jal));
  EXPECT_EQ(row_named("c.j").block_end, BlockEnd::Jump);

  const InstrSpec& beq = spec_of(Op::Beq);
  EXPECT_EQ(beq.block_end, BlockEnd::Branch);
  EXPECT_FALSE(beq.may_trap);
  EXPECT_TRUE(reads_rs1(beq) && reads_rs2(beq));
  EXPECT_FALSE(writes_rd(beq));
  EXPECT_EQ(row_named("c.bnez").block_end, BlockEnd::Branch);

  EXPECT_EQ(spec_of(Op::Jalr).block_end, BlockEnd::IndirectJump);
  EXPECT_EQ(row_named("c.jr").block_end, BlockEnd::IndirectJump);
  EXPECT_EQ(row_named("c.jalr").block_end, BlockEnd::IndirectJump);

  for (Op op : {Op::Ecall, Op::Ebreak, Op::Mret, Op::Sret, Op::Wfi, Op::FenceI, Op::SfenceVma})
    EXPECT_EQ(spec_of(op).block_end, BlockEnd::System) << spec_of(op).name;
  EXPECT_EQ(row_named("c.ebreak").block_end, BlockEnd::System);
  EXPECT_TRUE(spec_of(Op::Ecall).may_trap);
  EXPECT_TRUE(spec_of(Op::Ebreak).may_trap);
  EXPECT_FALSE(spec_of(Op::FenceI).may_trap);
  EXPECT_EQ(spec_of(Op::Fence).block_end, BlockEnd::None);
  EXPECT_TRUE(reads_rs1(spec_of(Op::SfenceVma)) && reads_rs2(spec_of(Op::SfenceVma)));
}

TEST(IsaTableColumns, PlainIntegerOps) {
  for (Op op : {Op::Add, Op::Addi, Op::Lui, Op::Auipc, Op::Div, Op::Remuw, Op::Sh1add, Op::Rev8, Op::Bseti,
                Op::CzeroEqz, Op::Fence}) {
    const InstrSpec& s = spec_of(op);
    EXPECT_EQ(s.block_end, BlockEnd::None) << s.name;
    EXPECT_FALSE(s.may_trap) << s.name;
    EXPECT_EQ(s.mem.kind, MemKind::None) << s.name;
    EXPECT_EQ(s.fp, kFpNone) << s.name;
  }
  const InstrSpec& add = spec_of(Op::Add);
  EXPECT_TRUE(reads_rs1(add) && reads_rs2(add) && writes_rd(add));
  EXPECT_FALSE(reads_rs2(spec_of(Op::Addi)));
  EXPECT_FALSE(reads_rs1(spec_of(Op::Lui)));
  EXPECT_FALSE(reads_rs2(spec_of(Op::Clz)));
  EXPECT_FALSE(reads_rs1(spec_of(Op::Fence)) || writes_rd(spec_of(Op::Fence)));
  // c.li is addi rd, x0, imm: it names rs1 (x0) like its expansion.
  EXPECT_TRUE(reads_rs1(row_named("c.li")));
  EXPECT_TRUE(reads_rs1(row_named("c.mv")) && reads_rs2(row_named("c.mv")));
}

TEST(IsaTableColumns, Csr) {
  const InstrSpec& csrrw = spec_of(Op::Csrrw);
  EXPECT_TRUE(csrrw.may_trap);
  EXPECT_EQ(csrrw.block_end, BlockEnd::IfCsrWrites);
  EXPECT_TRUE(reads_rs1(csrrw) && writes_rd(csrrw));
  const InstrSpec& csrrsi = spec_of(Op::Csrrsi);
  EXPECT_EQ(csrrsi.block_end, BlockEnd::IfCsrWrites);
  EXPECT_FALSE(reads_rs1(csrrsi));  // rs1 holds the uimm
  EXPECT_TRUE(writes_rd(csrrsi));

  // csrr a0, mstatus only reads; csrw mstatus, a0 and csrsi mstatus, 8 write.
  EXPECT_EQ(block_end_of(decode(encode(Op::Csrrs, {.rd = 10, .rs1 = 0, .imm = 0x300}))), BlockEnd::None);
  EXPECT_EQ(block_end_of(decode(encode(Op::Csrrw, {.rd = 0, .rs1 = 10, .imm = 0x300}))), BlockEnd::System);
  EXPECT_EQ(block_end_of(decode(encode(Op::Csrrw, {.rd = 10, .rs1 = 0, .imm = 0x300}))), BlockEnd::System);
  EXPECT_EQ(block_end_of(decode(encode(Op::Csrrsi, {.rd = 0, .rs1 = 8, .imm = 0x300}))), BlockEnd::System);
  EXPECT_EQ(block_end_of(decode(encode(Op::Csrrci, {.rd = 10, .rs1 = 0, .imm = 0x300}))), BlockEnd::None);
  EXPECT_EQ(block_end_of(decode(0x00a50533)), BlockEnd::None);    // add
  EXPECT_EQ(block_end_of(decode(0xffffffff)), BlockEnd::System);  // illegal: traps
}

TEST(IsaTableColumns, FloatingPoint) {
  const InstrSpec& fdiv = spec_of(Op::FdivD);
  EXPECT_TRUE(fdiv.may_trap);
  EXPECT_TRUE(fdiv.fp & kFpRoundingMode);
  EXPECT_TRUE(fdiv.fp & kFpSetsFlags);
  EXPECT_TRUE(fdiv.fp & kFpWritesF);
  EXPECT_TRUE(fdiv.fp & kFpReadsF);
  EXPECT_TRUE(writes_frd(fdiv) && reads_frs1(fdiv) && reads_frs2(fdiv));
  EXPECT_FALSE(writes_rd(fdiv) || reads_rs1(fdiv) || reads_rs2(fdiv));
  EXPECT_TRUE(reads_fp_state(fdiv) && writes_fp_state(fdiv));
  EXPECT_EQ(fdiv.block_end, BlockEnd::None);
  EXPECT_EQ(fdiv.mem.kind, MemKind::None);
  EXPECT_TRUE(reads_frs3(spec_of(Op::FmaddS)));

  // Sign injection and moves neither round nor raise flags, but still need FS on.
  const InstrSpec& fsgnj = spec_of(Op::FsgnjD);
  EXPECT_TRUE(fsgnj.may_trap);
  EXPECT_FALSE(fsgnj.fp & (kFpRoundingMode | kFpSetsFlags));
  const InstrSpec& fmvxd = spec_of(Op::FmvXD);
  EXPECT_TRUE(writes_rd(fmvxd));
  EXPECT_TRUE(reads_frs1(fmvxd));
  EXPECT_FALSE(writes_fp_state(fmvxd));
  const InstrSpec& fmvdx = spec_of(Op::FmvDX);
  EXPECT_TRUE(reads_rs1(fmvdx));
  EXPECT_TRUE(writes_frd(fmvdx));
  EXPECT_FALSE(fmvdx.fp & kFpSetsFlags);

  // Compares write x but signal invalid on NaNs; conversions to x round.
  const InstrSpec& feq = spec_of(Op::FeqS);
  EXPECT_TRUE(writes_rd(feq));
  EXPECT_TRUE(feq.fp & kFpSetsFlags);
  EXPECT_FALSE(feq.fp & kFpRoundingMode);
  const InstrSpec& fcvtws = spec_of(Op::FcvtWS);
  EXPECT_TRUE(fcvtws.fp & kFpRoundingMode);
  EXPECT_TRUE(writes_rd(fcvtws));
  // int32 to double is exact: it has an rm field but raises nothing.
  const InstrSpec& fcvtdw = spec_of(Op::FcvtDW);
  EXPECT_TRUE(fcvtdw.fp & kFpRoundingMode);
  EXPECT_FALSE(fcvtdw.fp & kFpSetsFlags);
  EXPECT_TRUE(spec_of(Op::FcvtSW).fp & kFpSetsFlags);

  // frm is read only through a DYN rm field.
  EXPECT_TRUE(reads_frm(decode(encode(Op::FaddD, {.rd = 10, .rs1 = 10, .rs2 = 11, .rm = kRmDynamic}))));
  EXPECT_FALSE(reads_frm(decode(encode(Op::FaddD, {.rd = 10, .rs1 = 10, .rs2 = 11, .rm = 0}))));  // rne
  EXPECT_FALSE(reads_frm(decode(encode(Op::Fld, {.rd = 10, .rs1 = 10}))));
}

}  // namespace
}  // namespace strata
