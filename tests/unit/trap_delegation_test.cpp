// Trap entry and return: exception delegation, interrupt enables and delegation, vectored
// mode, the priority of simultaneous interrupts, xRET, and WFI's wake-up condition.
#include "csr_fixture.h"

namespace strata::testing {
namespace {

using namespace mstatus;
constexpr uint64_t kStvec = HartFixture::kRamBase + 0x6000;

class TrapTest : public CsrFixture {
 protected:
  void SetUp() override {
    csr_set(csrnum::kStvec, kStvec);
    // Harmless code everywhere the hart might run: the program, both vectors and their
    // vectored entries.
    for (uint64_t base : {kRamBase, kStvec, kTrapVector})
      for (uint64_t off = 0; off < 0x100; off += 4) write32(base + off, enc_i(Op::Addi, 0, 0, 0));
  }
  uint64_t status() { return csr_get(csrnum::kMstatus); }
  // Runs one step from kRamBase at `priv` with an interrupt check first.
  void run_one(Priv priv) {
    hart().pc = kRamBase;
    enter(priv);
    hart().irq_check = true;
    step(1);
  }
};

// --- Exceptions ----------------------------------------------------------------------

TEST_F(TrapTest, UserEcallDelegatedToSupervisor) {
  csr_set(csrnum::kMedeleg, bit(cause::kEcallU));
  csr_set(csrnum::kStvec, kStvec | 1);  // vectored: exceptions still use the base
  set_status(kSIE, true);
  load({encode(Op::Ecall, {})});
  enter(Priv::U);
  step(1);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().pc, kStvec);
  EXPECT_EQ(hart().csr.scause, cause::kEcallU);
  EXPECT_EQ(hart().csr.sepc, kRamBase);
  EXPECT_EQ(hart().csr.stval, 0u);
  EXPECT_EQ(status() & (kSPP | kSIE | kSPIE), kSPIE);  // came from U, SIE saved and cleared
  EXPECT_EQ(hart().csr.mcause, 0u);
}

TEST_F(TrapTest, SupervisorEcallDelegatedRecordsSpp) {
  csr_set(csrnum::kMedeleg, bit(cause::kEcallS));
  load({encode(Op::Ecall, {})});
  enter(Priv::S);
  step(1);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().csr.scause, cause::kEcallS);
  EXPECT_EQ(status() & (kSPP | kSPIE), kSPP);
}

TEST_F(TrapTest, MachineModeExceptionsAreNeverDelegated) {
  csr_set(csrnum::kMedeleg, 0xb3ff);
  set_status(kMIE, true);
  load({0xffffffff});
  enter(Priv::M);
  step(1);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
  EXPECT_EQ(hart().csr.scause, 0u);
  EXPECT_EQ(status() & (kMPP | kMIE | kMPIE), kMPP | kMPIE);  // MPP=M
}

TEST_F(TrapTest, UndelegatedUserExceptionGoesToMachine) {
  load({encode(Op::Ebreak, {})});
  enter(Priv::U);
  step(1);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ(hart().csr.mcause, cause::kBreakpoint);
  EXPECT_EQ(hart().csr.mtval, kRamBase);
  EXPECT_EQ(status() & kMPP, 0u);  // MPP=U
}

TEST_F(TrapTest, MretAndSretRestoreTheirStacks) {
  csr_set(csrnum::kMstatus, kMPIE | (1ull << kMPPShift) | kSPIE | kSPP);
  hart().csr.mepc = kRamBase + 0x20;
  load({encode(Op::Mret, {})});
  step(1);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().pc, kRamBase + 0x20);
  EXPECT_EQ(status() & (kMIE | kMPIE | kMPP), kMIE | kMPIE);  // MIE=MPIE, MPIE=1, MPP=U
  hart().csr.sepc = kRamBase + 0x40;
  write32(kRamBase + 0x20, encode(Op::Sret, {}));
  step(1);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().pc, kRamBase + 0x40);
  EXPECT_EQ(status() & (kSIE | kSPIE | kSPP), kSIE | kSPIE);  // SIE=SPIE, SPIE=1, SPP=U
}

// --- Interrupts ------------------------------------------------------------------------

TEST_F(TrapTest, MachineInterruptNeedsMieOnlyInMachineMode) {
  csr_set(csrnum::kMie, bit(irq::kMTI));
  hart().set_pending(irq::kMTI, true);
  run_one(Priv::M);
  EXPECT_EQ(hart().csr.mcause, 0u);  // MIE clear
  EXPECT_EQ(hart().pc, kRamBase + 4);
  run_one(Priv::S);  // below M: always enabled
  EXPECT_EQ(hart().csr.mcause, cause::kInterrupt | irq::kMTI);
  EXPECT_EQ(hart().csr.mepc, kRamBase);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ(status() & kMPP, 1ull << kMPPShift);
  hart().csr.mcause = 0;
  set_status(kMIE, true);
  run_one(Priv::M);
  EXPECT_EQ(hart().csr.mcause, cause::kInterrupt | irq::kMTI);
  EXPECT_EQ(status() & (kMIE | kMPIE), kMPIE);
}

TEST_F(TrapTest, DelegatedInterruptFollowsSie) {
  csr_set(csrnum::kMideleg, bit(irq::kSTI));
  csr_set(csrnum::kMie, bit(irq::kSTI));
  csr_set(csrnum::kMip, bit(irq::kSTI));
  set_status(kMIE, true);
  run_one(Priv::M);  // never taken in M, whatever MIE says
  EXPECT_EQ(hart().csr.mcause, 0u);
  EXPECT_EQ(hart().csr.scause, 0u);
  run_one(Priv::S);  // SIE clear
  EXPECT_EQ(hart().csr.scause, 0u);
  EXPECT_EQ(hart().pc, kRamBase + 4);
  run_one(Priv::U);  // below S: always enabled
  EXPECT_EQ(hart().csr.scause, cause::kInterrupt | irq::kSTI);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().csr.sepc, kRamBase);
  hart().csr.scause = 0;
  set_status(kSIE, true);
  run_one(Priv::S);
  EXPECT_EQ(hart().csr.scause, cause::kInterrupt | irq::kSTI);
  EXPECT_EQ(status() & (kSPP | kSIE | kSPIE), kSPP | kSPIE);
  EXPECT_EQ(hart().csr.mcause, 0u);
}

TEST_F(TrapTest, VectoredModeOffsetsInterruptsByCause) {
  csr_set(csrnum::kMtvec, kTrapVector | 1);
  csr_set(csrnum::kStvec, kStvec | 1);
  csr_set(csrnum::kMideleg, bit(irq::kSSI));
  csr_set(csrnum::kMie, bit(irq::kMEI) | bit(irq::kSSI));
  hart().set_pending(irq::kMEI, true);
  run_one(Priv::U);
  EXPECT_EQ(hart().csr.mcause, cause::kInterrupt | irq::kMEI);
  EXPECT_EQ(hart().pc, kTrapVector + 4 * irq::kMEI + 4);  // entered the vector, ran one nop
  hart().set_pending(irq::kMEI, false);
  csr_set(csrnum::kMip, bit(irq::kSSI));
  run_one(Priv::U);
  EXPECT_EQ(hart().csr.scause, cause::kInterrupt | irq::kSSI);
  EXPECT_EQ(hart().pc, kStvec + 4 * irq::kSSI + 4);
}

// All six pending for M: taken MEI, MSI, MTI, SEI, SSI, STI, each clearing its source.
TEST_F(TrapTest, SimultaneousInterruptsInPriorityOrder) {
  const unsigned all[] = {irq::kSSI, irq::kSTI, irq::kSEI, irq::kMSI, irq::kMTI, irq::kMEI};
  uint64_t mask = 0;
  for (unsigned b : all) mask |= bit(b);
  csr_set(csrnum::kMie, mask);
  for (unsigned b : all) hart().set_pending(b, true);
  std::vector<uint64_t> order;
  for (int n = 0; n < 6; n++) {
    run_one(Priv::U);
    order.push_back(hart().csr.mcause & ~cause::kInterrupt);
    hart().set_pending(unsigned(order.back()), false);
  }
  EXPECT_EQ(order, (std::vector<uint64_t>{irq::kMEI, irq::kMSI, irq::kMTI, irq::kSEI, irq::kSSI, irq::kSTI}));
}

// Interrupts for M go before those for S, even a lower-priority one.
TEST_F(TrapTest, MachineDestinedBeforeSupervisorDestined) {
  csr_set(csrnum::kMideleg, bit(irq::kSEI));
  csr_set(csrnum::kMie, bit(irq::kSEI) | bit(irq::kSTI));
  hart().set_pending(irq::kSEI, true);
  csr_set(csrnum::kMip, bit(irq::kSTI));  // STI not delegated: for M
  run_one(Priv::U);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ(hart().csr.mcause, cause::kInterrupt | irq::kSTI);
  EXPECT_EQ(hart().csr.scause, 0u);
}

TEST_F(TrapTest, SoftwareSeipRaisesTheInterrupt) {
  csr_set(csrnum::kMideleg, bit(irq::kSEI));
  csr_set(csrnum::kMie, bit(irq::kSEI));
  csr_set(csrnum::kMip, bit(irq::kSEI));
  EXPECT_EQ(hart().csr.mip.load() & bit(irq::kSEI), 0u);  // the line itself is low
  run_one(Priv::U);
  EXPECT_EQ(hart().csr.scause, cause::kInterrupt | irq::kSEI);
}

// WFI wakes for an interrupt pending and enabled in mie, whatever the global enables.
TEST_F(TrapTest, WfiWakeConditionIgnoresGlobalEnables) {
  load({encode(Op::Wfi, {})});
  EXPECT_EQ(step(1).reason, ExitReason::WaitForInterrupt);
  hart().pc = kRamBase;
  hart().set_pending(irq::kMTI, true);
  EXPECT_EQ(step(1).reason, ExitReason::WaitForInterrupt);  // pending but not enabled in mie
  csr_set(csrnum::kMie, bit(irq::kMTI));
  hart().pc = kRamBase;
  EXPECT_EQ(step(1).reason, ExitReason::BudgetSpent);  // MIE is clear: wakes, takes nothing
  EXPECT_EQ(hart().pc, kRamBase + 4);
  EXPECT_EQ(hart().csr.mcause, 0u);
}

}  // namespace
}  // namespace strata::testing
