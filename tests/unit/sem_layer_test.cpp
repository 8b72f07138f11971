// The engine-neutral semantic layer (cpu/sem/): which operations it covers, checked against
// the instruction table's columns, and its functions called directly, with no engine, to
// show they report what happened (continue, leave the block, trapped) on their own.
#include <cstring>

#include "cpu/sem/table.h"
#include "cpu/trap.h"
#include "hart_fixture.h"
#include "isa/decoder.h"
#include "isa/table.h"
#include "mem/code_pages.h"

namespace strata::testing {
namespace {

// Operations each engine implements itself: one ALU line (cpu/alu.h) or control flow whose
// target the engine resolves. The table says which those are: no trap, no memory, no FP.
bool engine_implements(const InstrSpec& s) {
  return !s.may_trap && s.mem.kind == MemKind::None && s.fp == kFpNone && s.op != Op::Fence &&
         s.op != Op::FenceI;
}

TEST(SemTable, EveryOperationIsEitherEngineOwnOrHasASemanticFunction) {
  for (const InstrSpec& s : instruction_table()) {
    const bool has_sem = sem::semantic_function(s.op) != nullptr;
    if (engine_implements(s))
      EXPECT_FALSE(has_sem) << s.name << ": one-line ALU or control flow belongs to the engines";
    else
      EXPECT_TRUE(has_sem) << s.name << ": may trap, touches memory or FP, but has no semantic function";
  }
  EXPECT_NE(sem::semantic_function(Op::Illegal), nullptr);
}

class SemDirect : public HartFixture {
 protected:
  sem::Flow call(uint32_t word, uint64_t pc) {
    const sem::Operands o = sem::operands_of(decode(word));
    return sem::semantic_function(o.op)(hart(), o, pc);
  }
};

TEST_F(SemDirect, FpWithFsOffTrapsAtTheGivenPc) {
  hart().csr.mstatus &= ~mstatus::kFS;
  hart().csr.mtvec = kRamBase + 0x400;
  const uint32_t word = encode(Op::FdivD, Operands{.rd = 1, .rs1 = 2, .rs2 = 3});
  EXPECT_EQ(call(word, kRamBase + 0x40), sem::Flow::Trapped);
  EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
  EXPECT_EQ(hart().csr.mepc, kRamBase + 0x40);
  EXPECT_EQ(hart().csr.mtval, word);
  EXPECT_EQ(hart().pc, kRamBase + 0x400);
}

TEST_F(SemDirect, FpDivideContinuesAndRaisesDivideByZero) {
  hart().csr.mstatus |= mstatus::kFS;
  const double one = 1.0, zero = 0.0;
  std::memcpy(&hart().f[2], &one, 8);
  std::memcpy(&hart().f[3], &zero, 8);
  EXPECT_EQ(call(encode(Op::FdivD, Operands{.rd = 1, .rs1 = 2, .rs2 = 3}), kRamBase), sem::Flow::Continue);
  EXPECT_EQ(hart().f[1], 0x7ff0000000000000ull);  // +inf
  EXPECT_EQ(hart().csr.fflags, 0x08u);            // DZ
}

TEST_F(SemDirect, LoadFaultIsPreciseWithoutAnyDecodedSlot) {
  hart().csr.mtvec = kRamBase + 0x400;
  x(5) = 0x1000;  // nothing there
  const uint32_t word = encode(Op::Ld, Operands{.rd = 6, .rs1 = 5, .imm = 8});
  EXPECT_EQ(call(word, kRamBase + 0x80), sem::Flow::Trapped);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(hart().csr.mepc, kRamBase + 0x80);
  EXPECT_EQ(hart().csr.mtval, 0x1008u);
}

TEST_F(SemDirect, CsrWriteLeavesTheBlockWithPcAfterTheInstruction) {
  x(5) = 0x1234;
  const uint32_t word = encode(Op::Csrrw, Operands{.rd = 6, .rs1 = 5, .imm = 0x340});  // mscratch
  EXPECT_EQ(call(word, kRamBase + 0x20), sem::Flow::LeaveBlock);
  EXPECT_EQ(hart().pc, kRamBase + 0x24);
  const uint32_t read = encode(Op::Csrrs, Operands{.rd = 7, .rs1 = 0, .imm = 0x340});
  EXPECT_EQ(call(read, kRamBase + 0x24), sem::Flow::Continue);
  EXPECT_EQ(x(7), 0x1234u);
}

TEST_F(SemDirect, StoreIntoCodeLeavesTheBlockAndIsCounted) {
  load({enc_i(Op::Addi, 1, 1, 1), enc(Op::Jal, 0, 0, 0, -4)});
  step(4);  // the page is now decoded code
  ASSERT_TRUE(hart().code_pages->held(kRamBase));
  x(5) = kRamBase;
  x(6) = enc_i(Op::Addi, 1, 1, 2);
  const uint32_t word = encode(Op::Sw, Operands{.rs1 = 5, .rs2 = 6});
  EXPECT_EQ(call(word, kRamBase + 0x100), sem::Flow::LeaveBlock);
  EXPECT_EQ(hart().pc, kRamBase + 0x104);
  hart().pc = kRamBase;
  const uint64_t before = x(1);
  step(2);  // the rewritten addi runs, then the jal
  EXPECT_EQ(x(1), before + 2);
}

// Writes that no hart's store made (another hart's stale fast path, a device's DMA, the
// firmware) are seen when reported to the tracker, with no fence.i.
TEST_F(SemDirect, ReportedWritesReachDecodedCodeWithoutAFence) {
  load({enc_i(Op::Addi, 1, 1, 1), enc(Op::Jal, 0, 0, 0, -4)});
  step(4);
  write32(kRamBase, enc_i(Op::Addi, 1, 1, 100));
  bus_.code_pages().written(kRamBase, 4);
  const uint64_t before = x(1);
  step(2);
  EXPECT_EQ(x(1), before + 100);
}

TEST(CodePages, CountsHoldersAndWrites) {
  CodePages pages;
  EXPECT_FALSE(pages.held(0x80000000));
  EXPECT_FALSE(pages.written(0x80000000, 8));
  const uint64_t epoch = pages.epoch();
  const std::atomic<uint64_t>& writes = pages.hold(0x80000123);
  EXPECT_NE(pages.epoch(), epoch);
  pages.hold(0x80000000);
  EXPECT_TRUE(pages.held(0x80000fff));
  EXPECT_FALSE(pages.written(0x80001000, 16));
  EXPECT_TRUE(pages.written(0x7ffffffc, 8));  // straddles into the held page
  EXPECT_EQ(writes.load(), 1u);
  EXPECT_TRUE(pages.written(0, ~0ull));  // a huge range visits what is held
  EXPECT_EQ(writes.load(), 2u);
  pages.release(0x80000000);
  EXPECT_TRUE(pages.held(0x80000000));  // one holder left
  pages.release(0x80000000);
  EXPECT_FALSE(pages.held(0x80000000));
}

}  // namespace
}  // namespace strata::testing
