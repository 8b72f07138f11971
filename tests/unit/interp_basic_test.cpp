// The interpreter on small programs: integer operations, control flow, memory, atomics,
// compressed code, traps and self-modifying code.
#include "cpu/alu.h"
#include "cpu/trap.h"
#include "hart_fixture.h"

namespace strata::testing {
namespace {

class Interp : public HartFixture {};

constexpr uint64_t kData = HartFixture::kRamBase + 0x10000;

TEST_F(Interp, AddiAndX0StaysZero) {
  load({enc_i(Op::Addi, 1, 0, 5), enc_i(Op::Addi, 0, 1, 7), enc(Op::Add, 2, 1, 1)});
  EXPECT_EQ(step(3).reason, ExitReason::BudgetSpent);
  EXPECT_EQ(x(1), 5u);
  EXPECT_EQ(x(0), 0u);
  EXPECT_EQ(x(2), 10u);
  EXPECT_EQ(hart().pc, kRamBase + 12);
  EXPECT_EQ(hart().csr.minstret, 3u);
}

TEST_F(Interp, CountingLoopWithBackwardBranch) {
  load({enc_i(Op::Addi, 1, 0, 100),   // x1 = 100
        enc_i(Op::Addi, 2, 2, 3),     // loop: x2 += 3
        enc_i(Op::Addi, 1, 1, -1),    //       x1 -= 1
        enc(Op::Bne, 0, 1, 0, -8)});  //       bnez x1, loop
  step(1 + 3 * 100);
  EXPECT_EQ(x(1), 0u);
  EXPECT_EQ(x(2), 300u);
  EXPECT_EQ(hart().pc, kRamBase + 16);
}

TEST_F(Interp, JalAndJalrLink) {
  load({enc(Op::Jal, 1, 0, 0, 12), 0, 0, enc_i(Op::Jalr, 5, 1, 4)});
  step(2);
  EXPECT_EQ(x(1), kRamBase + 4);
  EXPECT_EQ(x(5), kRamBase + 16);
  EXPECT_EQ(hart().pc, kRamBase + 8);
}

TEST_F(Interp, JalrClearsBitZeroAndReadsRs1BeforeWritingRd) {
  x(3) = kRamBase + 9;
  load({enc_i(Op::Jalr, 3, 3, 0)});
  step(1);
  EXPECT_EQ(hart().pc, kRamBase + 8);
  EXPECT_EQ(x(3), kRamBase + 4);
}

TEST_F(Interp, LoadsSignAndZeroExtend) {
  write64(kData, 0x8081828384858687ull);
  x(5) = kData;
  load({enc_i(Op::Lb, 1, 5, 0), enc_i(Op::Lbu, 2, 5, 0), enc_i(Op::Lh, 3, 5, 6), enc_i(Op::Lhu, 4, 5, 6),
        enc_i(Op::Lw, 6, 5, 4), enc_i(Op::Lwu, 7, 5, 4), enc_i(Op::Ld, 8, 5, 0)});
  step(7);
  EXPECT_EQ(x(1), 0xffffffffffffff87ull);
  EXPECT_EQ(x(2), 0x87u);
  EXPECT_EQ(x(3), 0xffffffffffff8081ull);
  EXPECT_EQ(x(4), 0x8081u);
  EXPECT_EQ(x(6), 0xffffffff80818283ull);
  EXPECT_EQ(x(7), 0x80818283u);
  EXPECT_EQ(x(8), 0x8081828384858687ull);
}

TEST_F(Interp, StoresAndMisalignedAccessesAcrossAPage) {
  const uint64_t edge = kData + 4096 - 3;  // an 8-byte access spanning two pages
  x(5) = edge;
  x(6) = 0x1122334455667788ull;
  load({encode(Op::Sd, {.rs1 = 5, .rs2 = 6, .imm = 0}), enc_i(Op::Ld, 7, 5, 0), enc_i(Op::Lw, 8, 5, 1)});
  step(3);
  EXPECT_EQ(x(7), 0x1122334455667788ull);
  EXPECT_EQ(x(8), 0x44556677ull);
  EXPECT_EQ(read32(kData + 4096 - 3 + 4), 0x11223344u);
}

TEST_F(Interp, MisalignedAccessTrapsWhenSelected) {
  hart().config.trap_misaligned = true;
  hart().csr.mtvec = kRamBase + 0x100;
  x(5) = kData + 2;
  load({enc_i(Op::Lw, 1, 5, 0)});
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadMisaligned);
  EXPECT_EQ(hart().csr.mtval, kData + 2);
  EXPECT_EQ(hart().csr.mepc, kRamBase);
  EXPECT_EQ(hart().pc, kRamBase + 0x100);
  EXPECT_EQ(hart().csr.minstret, 0u);
}

TEST_F(Interp, AccessOutsideRamIsAnAccessFault) {
  hart().csr.mtvec = kRamBase + 0x100;
  x(5) = 0x40000000;
  load({encode(Op::Sw, {.rs1 = 5, .rs2 = 1})});
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kStoreAccess);
  EXPECT_EQ(hart().csr.mtval, 0x40000000u);
}

TEST_F(Interp, EcallTrapsAndMretReturns) {
  hart().csr.mtvec = kRamBase + 0x100;
  load({encode(Op::Ecall, {}), enc_i(Op::Addi, 1, 0, 1)});
  load({enc(Op::Csrrs, 2, 0, 0, 0x341),   // csrr x2, mepc
        enc_i(Op::Addi, 2, 2, 4),         // skip the ecall
        enc(Op::Csrrw, 0, 2, 0, 0x341),   // csrw mepc, x2
        encode(Op::Mret, {})},
       kRamBase + 0x100);
  step(6);
  EXPECT_EQ(hart().csr.mcause, cause::kEcallM);
  EXPECT_EQ(x(1), 1u);
  EXPECT_EQ(hart().pc, kRamBase + 8);
  EXPECT_EQ(hart().priv, Priv::M);  // MPP was M
}

TEST_F(Interp, IllegalInstructionReportsItsBits) {
  hart().csr.mtvec = kRamBase + 0x100;
  load({0xffffffff});
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
  EXPECT_EQ(hart().csr.mtval, 0xffffffffu);
}

TEST_F(Interp, UnknownCsrIsIllegal) {
  hart().csr.mtvec = kRamBase + 0x100;
  load({enc(Op::Csrrs, 1, 0, 0, 0x7ff)});
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
}

TEST_F(Interp, CompressedCode) {
  write16(kRamBase + 0, 0x4505);  // c.li a0, 1
  write16(kRamBase + 2, 0x0505);  // c.addi a0, 1
  write16(kRamBase + 4, 0x852a);  // c.mv a0, a0 -> mv a0,a0 ; then c.add a0, a0
  write16(kRamBase + 6, 0x952a);  // c.add a0, a0
  step(4);
  EXPECT_EQ(x(10), 4u);
  EXPECT_EQ(hart().pc, kRamBase + 8);
}

TEST_F(Interp, AmoAndLrSc) {
  write64(kData, 10);
  x(5) = kData;
  x(6) = 5;
  load({encode(Op::AmoaddD, {.rd = 1, .rs1 = 5, .rs2 = 6}),  // x1 = 10, mem = 15
        encode(Op::LrD, {.rd = 2, .rs1 = 5}),                // x2 = 15
        encode(Op::ScD, {.rd = 3, .rs1 = 5, .rs2 = 6}),      // mem = 5, x3 = 0
        encode(Op::ScD, {.rd = 4, .rs1 = 5, .rs2 = 1})});    // no reservation: x4 = 1
  step(4);
  EXPECT_EQ(x(1), 10u);
  EXPECT_EQ(x(2), 15u);
  EXPECT_EQ(x(3), 0u);
  EXPECT_EQ(x(4), 1u);
  EXPECT_EQ(read64(kData), 5u);
}

TEST_F(Interp, AmoWordResultsAreSignExtended) {
  write64(kData, 0x80000000u);
  x(5) = kData;
  x(6) = 1;
  load({encode(Op::AmomaxuW, {.rd = 1, .rs1 = 5, .rs2 = 6}), encode(Op::AmominW, {.rd = 2, .rs1 = 5, .rs2 = 6})});
  step(2);
  EXPECT_EQ(x(1), 0xffffffff80000000ull);
  EXPECT_EQ(x(2), 0xffffffff80000000ull);  // min(0x80000000 as signed, 1) keeps memory
  EXPECT_EQ(read32(kData), 0x80000000u);
}

// A store over an instruction that already ran is seen by the next execution.
TEST_F(Interp, StoreIntoDecodedCodeTakesEffect) {
  const uint32_t addi_10 = enc_i(Op::Addi, 1, 0, 10), addi_20 = enc_i(Op::Addi, 1, 0, 20);
  // 0: x1 = 10 ; 4: store x6 -> [x5] (patches 0) ; 8: jal x0, -8 back to 0
  x(5) = kRamBase;
  x(6) = addi_20;
  load({addi_10, encode(Op::Sw, {.rs1 = 5, .rs2 = 6}), enc(Op::Jal, 0, 0, 0, -8)});
  step(3);
  EXPECT_EQ(x(1), 10u);
  step(1);
  EXPECT_EQ(x(1), 20u);
}

TEST_F(Interp, FallingOffAPageContinuesInTheNext) {
  const uint64_t start = kRamBase + 4096 - 4;
  hart().pc = start;
  load({enc_i(Op::Addi, 1, 0, 1), enc_i(Op::Addi, 2, 0, 2)}, start);
  step(2);
  EXPECT_EQ(x(1), 1u);
  EXPECT_EQ(x(2), 2u);
  EXPECT_EQ(hart().pc, start + 8);
  EXPECT_EQ(hart().csr.minstret, 2u);
}

TEST_F(Interp, InstructionStraddlingTwoPages) {
  const uint64_t start = kRamBase + 4096 - 2;
  hart().pc = start;
  const uint32_t w = enc_i(Op::Addi, 7, 0, 42);
  write16(start, uint16_t(w));
  write16(start + 2, uint16_t(w >> 16));
  step(1);
  EXPECT_EQ(x(7), 42u);
  EXPECT_EQ(hart().pc, start + 4);
}

TEST_F(Interp, WfiWithNothingPendingLeavesRun) {
  load({encode(Op::Wfi, {})});
  Exit e = step(10);
  EXPECT_EQ(e.reason, ExitReason::WaitForInterrupt);
  EXPECT_EQ(hart().pc, kRamBase + 4);
}

TEST(Alu, DivisionCornerCases) {
  using namespace alu;
  EXPECT_EQ(div(5, 0), ~0ull);
  EXPECT_EQ(divu(5, 0), ~0ull);
  EXPECT_EQ(rem(5, 0), 5u);
  EXPECT_EQ(remu(5, 0), 5u);
  EXPECT_EQ(div(uint64_t(INT64_MIN), uint64_t(-1)), uint64_t(INT64_MIN));
  EXPECT_EQ(rem(uint64_t(INT64_MIN), uint64_t(-1)), 0u);
  EXPECT_EQ(divw(0x80000000u, uint64_t(-1)), 0xffffffff80000000ull);
  EXPECT_EQ(remw(0x80000000u, uint64_t(-1)), 0u);
  EXPECT_EQ(divw(7, 0), ~0ull);
  EXPECT_EQ(remw(0xfffffff9u, 0), uint64_t(-7));
  EXPECT_EQ(divuw(0xffffffffu, 1), ~0ull);  // sign-extended 32-bit result
  EXPECT_EQ(remuw(0x80000000u, 0), 0xffffffff80000000ull);
  EXPECT_EQ(div(uint64_t(-7), 2), uint64_t(-3));  // rounds toward zero
  EXPECT_EQ(rem(uint64_t(-7), 2), uint64_t(-1));
}

TEST(Alu, MultiplyHighHalves) {
  using namespace alu;
  EXPECT_EQ(mulh(uint64_t(-1), uint64_t(-1)), 0u);
  EXPECT_EQ(mulhu(~0ull, ~0ull), ~0ull - 1);
  EXPECT_EQ(mulhsu(uint64_t(-1), ~0ull), ~0ull);
  EXPECT_EQ(mulhsu(2, 1ull << 63), 1u);
  EXPECT_EQ(mulw(0x7fffffff, 2), 0xfffffffffffffffeull);
}

TEST(Alu, BitManipulation) {
  using namespace alu;
  EXPECT_EQ(clz(0), 64u);
  EXPECT_EQ(clzw(0), 32u);
  EXPECT_EQ(clzw(0xffffffff00000001ull), 31u);
  EXPECT_EQ(ctz(0), 64u);
  EXPECT_EQ(ctzw(0x100000000ull), 32u);
  EXPECT_EQ(cpopw(0xffffffff00000003ull), 2u);
  EXPECT_EQ(orc_b(0x0001000000ff0000ull), 0x00ff000000ff0000ull);
  EXPECT_EQ(rev8(0x0102030405060708ull), 0x0807060504030201ull);
  EXPECT_EQ(rolw(0x80000001u, 1), 3u);
  EXPECT_EQ(rorw(1, 1), 0xffffffff80000000ull);
  EXPECT_EQ(sext_b(0x80), 0xffffffffffffff80ull);
  EXPECT_EQ(zext_h(0xffff1234), 0x1234u);
  EXPECT_EQ(add_uw(0xffffffff80000000ull, 1), 0x80000001u);
  EXPECT_EQ(sh3add_uw(0xffffffff00000001ull, 1), 9u);
  EXPECT_EQ(slli_uw(0xffffffff80000000ull, 4), 0x800000000ull);
  EXPECT_EQ(bext(0x10, 4), 1u);
  EXPECT_EQ(bset(0, 65), 2u);  // shift amount taken mod 64
  EXPECT_EQ(min(uint64_t(-1), 1), uint64_t(-1));
  EXPECT_EQ(minu(uint64_t(-1), 1), 1u);
  EXPECT_EQ(czero_eqz(5, 0), 0u);
  EXPECT_EQ(czero_nez(5, 0), 5u);
}

}  // namespace
}  // namespace strata::testing
