// Permission checks of a leaf (U/SUM/MXR and R/W/X), the A/D bits in both modes, MPRV, and
// page faults as the guest sees them: cause, tval and epc, delegated or not.
#include "cpu/mmu/page_walk.h"
#include "mmu_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kData = HartFixture::kRamBase + 0x100000;
constexpr uint64_t kVa = 0x40000000;

class MmuAccess : public MmuFixture {
 protected:
  void SetUp() override { use_mode(satp::kSv39); }
};

// The U/SUM/MXR matrix: every privilege, page kind and modifier against every access.
TEST_F(MmuAccess, PermissionMatrix) {
  struct Page {
    uint64_t flags;
    const char* name;
  };
  const Page pages[] = {{kR, "R"}, {kR | kW, "RW"}, {kX, "X"}, {kR | kX, "RX"}, {kR | kW | kX, "RWX"}};
  int checked = 0;
  for (Priv priv : {Priv::S, Priv::U}) {
    for (bool user_page : {false, true}) {
      for (const Page& page : pages) {
        for (bool sum : {false, true}) {
          for (bool mxr : {false, true}) {
            for (Access a : {Access::Read, Access::Write, Access::Exec}) {
              const uint64_t flags = page.flags | kA | kD | (user_page ? kU : 0);
              map(kVa, kData, flags);
              enter(Priv::M);
              set_status(mstatus::kSUM, sum);
              set_status(mstatus::kMXR, mxr);
              mmu_.request_flush();
              enter(priv);
              // The rules, written out independently of the MMU's code.
              bool allowed;
              if (priv == Priv::U && !user_page)
                allowed = false;
              else if (priv == Priv::S && user_page && (a == Access::Exec || !sum))
                allowed = false;
              else if (a == Access::Read)
                allowed = (page.flags & kR) || (mxr && (page.flags & kX));
              else if (a == Access::Write)
                allowed = page.flags & kW;
              else
                allowed = page.flags & kX;
              const Translation t = tr(kVa + 0x10, a);
              EXPECT_EQ(t.ok, allowed)
                  << "priv " << int(priv) << " page " << page.name << (user_page ? "+U" : "") << " sum "
                  << sum << " mxr " << mxr << " access " << int(a);
              if (!allowed) {
                EXPECT_EQ(t.cause, page_fault(a));
              }
              checked++;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 2 * 5 * 2 * 2 * 3);
}

TEST_F(MmuAccess, HardwareSetsAccessedOnReadAndFetch) {
  ASSERT_TRUE(hart().config.hardware_ad);
  EXPECT_EQ(csr_get(csrnum::kMenvcfg) >> 61 & 1, 1u);  // ADUE reads 1
  enter(Priv::S);
  const uint64_t at = map(kVa, kData, kR | kW | kX);
  ASSERT_TRUE(tr(kVa, Access::Read).ok);
  EXPECT_EQ(read64(at) & (kA | kD), kA);
  const uint64_t code = map(kVa + kPageSize, kData, kR | kX);
  ASSERT_TRUE(tr(kVa + kPageSize, Access::Exec).ok);
  EXPECT_EQ(read64(code) & (kA | kD), kA);
}

TEST_F(MmuAccess, HardwareSetsDirtyOnStoreEvenAfterACachedRead) {
  enter(Priv::S);
  const uint64_t at = map(kVa, kData, kR | kW);
  ASSERT_TRUE(tr(kVa, Access::Read).ok);  // cached with A=1, D=0
  EXPECT_EQ(read64(at) & kD, 0u);
  ASSERT_TRUE(tr(kVa, Access::Write).ok);
  EXPECT_EQ(read64(at) & (kA | kD), kA | kD);
  // The rest of the PTE is untouched.
  EXPECT_EQ(read64(at) & ~(kA | kD), ((kData >> 12) << 10) | kR | kW | pte::kV);
}

// Through instructions: the soft TLB holds a read-only translation; the first store still
// reaches the walker and sets D.
TEST_F(MmuAccess, StoreAfterLoadThroughTheSoftTlbSetsDirty) {
  map(kRamBase, kRamBase, kR | kX | kA);  // the program, identity-mapped
  const uint64_t at = map(kVa, kData, kR | kW | kA);
  x(5) = kVa;
  x(6) = 77;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Ld, 2, 5, 8), encode(Op::Sd, {.rs1 = 5, .rs2 = 6, .imm = 16})});
  enter(Priv::S);
  step(2);
  EXPECT_EQ(read64(at) & kD, 0u);
  step(1);
  EXPECT_EQ(hart().pc, kRamBase + 12);
  EXPECT_EQ(read64(at) & kD, kD);
  EXPECT_EQ(read64(kData + 16), 77u);
}

TEST_F(MmuAccess, WithoutHardwareUpdatesMissingAOrDFaults) {
  hart().config.hardware_ad = false;
  EXPECT_EQ(csr_get(csrnum::kMenvcfg) >> 61 & 1, 0u);  // ADUE reads 0
  enter(Priv::S);
  const uint64_t no_a = map(kVa, kData, kR | kW | kX);
  EXPECT_EQ(tr(kVa, Access::Read).cause, cause::kLoadPageFault);
  EXPECT_EQ(tr(kVa, Access::Write).cause, cause::kStorePageFault);
  EXPECT_EQ(tr(kVa, Access::Exec).cause, cause::kInsnPageFault);
  EXPECT_EQ(read64(no_a) & (kA | kD), 0u);
  const uint64_t clean = map(kVa + kPageSize, kData, kR | kW | kA);
  EXPECT_TRUE(tr(kVa + kPageSize, Access::Read).ok);
  EXPECT_EQ(tr(kVa + kPageSize, Access::Write).cause, cause::kStorePageFault);
  EXPECT_EQ(read64(clean) & kD, 0u);
  // Once the guest sets D itself the store goes through (the cached clean entry is re-checked).
  write64(clean, read64(clean) | kD);
  EXPECT_TRUE(tr(kVa + kPageSize, Access::Write).ok);
}

// Another hart changed the PTE since it was cached: the walk for the A/D update sees the
// change instead of writing back the old entry.
TEST_F(MmuAccess, DirtyUpdateRereadsTheEntry) {
  enter(Priv::S);
  const uint64_t at = map(kVa, kData, kR | kW);
  ASSERT_TRUE(tr(kVa, Access::Read).ok);  // cached: R W A, D clear
  write64(at, read64(at) & ~kW);          // now read-only, no fence yet
  EXPECT_EQ(tr(kVa, Access::Write).cause, cause::kStorePageFault);
  EXPECT_EQ(read64(at) & kD, 0u);
  EXPECT_EQ(read64(at) & kW, 0u);
}

// Another hart changes the PTE between this walk's read and its A/D update: the update must
// not write the stale entry back, and the walk starts over on what is there now.
class MmuRace : public MmuAccess {
 protected:
  void TearDown() override { walk_before_ad_update = nullptr; }
  static inline MmuRace* self = nullptr;
  static inline uint64_t replacement = 0;
  static inline int calls = 0;
  static void other_hart(uint64_t pte_pa) {
    if (calls++ == 0) self->write64(pte_pa, replacement);
  }
  void race_with(uint64_t pte) {
    self = this;
    replacement = pte;
    calls = 0;
    walk_before_ad_update = other_hart;
  }
};

TEST_F(MmuRace, LostUpdateWalksAgainAndSeesTheNewMapping) {
  const uint64_t at = map(kVa, kData, kR | kW);
  race_with(((kData + kPageSize) >> 12 << 10) | pte::kV | kR | kW);
  enter(Priv::S);
  const Translation t = tr(kVa + 8, Access::Write);
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.pa, kData + kPageSize + 8);
  EXPECT_EQ(calls, 2);  // the first update lost its race, the second went through
  EXPECT_EQ(read64(at), ((kData + kPageSize) >> 12 << 10) | pte::kV | kR | kW | kA | kD);
}

TEST_F(MmuRace, LostUpdateOnAPageMadeReadOnlyFaults) {
  const uint64_t at = map(kVa, kData, kR | kW);
  race_with((kData >> 12 << 10) | pte::kV | kR);
  enter(Priv::S);
  EXPECT_EQ(tr(kVa, Access::Write).cause, cause::kStorePageFault);
  EXPECT_EQ(read64(at), (kData >> 12 << 10) | pte::kV | kR);  // neither A nor D appeared
}

// --- Page faults through instructions --------------------------------------------------

class MmuTraps : public MmuAccess {
 protected:
  void SetUp() override {
    MmuAccess::SetUp();
    map(kRamBase, kRamBase, kR | kX | kA);                               // program page, S-mode
    map(kRamBase + kPageSize, kRamBase + kPageSize, kR | kX | kA | kU);  // program page, U-mode
  }
};

TEST_F(MmuTraps, LoadStoreAndFetchFaultsReportTheVirtualAddress) {
  x(5) = kVa + 0x123;
  load({enc_i(Op::Lb, 1, 5, 0)});
  enter(Priv::S);
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadPageFault);
  EXPECT_EQ(hart().csr.mtval, kVa + 0x123);
  EXPECT_EQ(hart().csr.mepc, kRamBase);
  EXPECT_EQ(hart().pc, kTrapVector);
  EXPECT_EQ(hart().priv, Priv::M);
  EXPECT_EQ((hart().csr.mstatus & mstatus::kMPP) >> mstatus::kMPPShift, unsigned(Priv::S));

  hart().pc = kRamBase + 4;
  load({encode(Op::Sw, {.rs1 = 5, .rs2 = 1, .imm = 8})}, kRamBase + 4);
  enter(Priv::S);
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kStorePageFault);
  EXPECT_EQ(hart().csr.mtval, kVa + 0x12b);
  EXPECT_EQ(hart().csr.mepc, kRamBase + 4);

  hart().pc = kRamBase + 8;
  load({enc_i(Op::Jalr, 0, 5, 0)}, kRamBase + 8);
  enter(Priv::S);
  step(2);
  EXPECT_EQ(hart().csr.mcause, cause::kInsnPageFault);
  EXPECT_EQ(hart().csr.mtval, kVa + 0x122);  // jalr clears bit 0
  EXPECT_EQ(hart().csr.mepc, kVa + 0x122);
}

TEST_F(MmuTraps, MisalignedAccessFaultingInItsSecondPageReportsThatPage) {
  map(kVa, kData, kR | kW | kA | kD);  // kVa + 4096 stays unmapped
  x(5) = kVa + kPageSize - 4;
  x(6) = 0x1122334455667788;
  load({encode(Op::Sd, {.rs1 = 5, .rs2 = 6})});
  enter(Priv::S);
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kStorePageFault);
  EXPECT_EQ(hart().csr.mtval, kVa + kPageSize);
  EXPECT_EQ(read64(kData + kPageSize - 8), 0u);  // the first half was not written
}

TEST_F(MmuTraps, SupervisorNeverExecutesUserPages) {
  map(kVa, kRamBase + 0x2000, kR | kX | kA | kU);
  write32(kRamBase + 0x2000, enc_i(Op::Addi, 1, 0, 1));
  x(5) = kVa;
  load({enc_i(Op::Jalr, 0, 5, 0)});
  enter(Priv::M);
  set_status(mstatus::kSUM, true);
  enter(Priv::S);
  step(2);
  EXPECT_EQ(hart().csr.mcause, cause::kInsnPageFault);
  EXPECT_EQ(hart().csr.mtval, kVa);
  EXPECT_EQ(x(1), 0u);
}

TEST_F(MmuTraps, DelegatedPageFaultGoesToSupervisor) {
  csr_set(csrnum::kMedeleg, bit(cause::kLoadPageFault));
  csr_set(csrnum::kStvec, kRamBase + 0x800);
  hart().pc = kRamBase + kPageSize;  // U-mode code
  x(5) = kVa + 0x40;
  load({enc_i(Op::Ld, 1, 5, 0)}, kRamBase + kPageSize);
  enter(Priv::U);
  step(1);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().csr.scause, cause::kLoadPageFault);
  EXPECT_EQ(hart().csr.stval, kVa + 0x40);
  EXPECT_EQ(hart().csr.sepc, kRamBase + kPageSize);
  EXPECT_EQ(hart().pc, kRamBase + 0x800);
  EXPECT_EQ(hart().csr.mcause, 0u);
}

// --- MPRV ----------------------------------------------------------------------------

class MmuMprv : public MmuAccess {
 protected:
  void SetUp() override {
    MmuAccess::SetUp();
    write64(kData, 0x5555);
    write64(kData + kPageSize, 0x7777);
    map(kVa, kData, kR | kW | kA | kD);                               // supervisor page
    map(kVa + kPageSize, kData + kPageSize, kR | kW | kA | kD | kU);  // user page
  }
  void mprv(Priv mpp) {
    uint64_t st = csr_get(csrnum::kMstatus);
    st = (st & ~mstatus::kMPP) | (uint64_t(mpp) << mstatus::kMPPShift) | mstatus::kMPRV;
    csr_set(csrnum::kMstatus, st);
  }
};

TEST_F(MmuMprv, MachineLoadsTranslateAsSupervisor) {
  mprv(Priv::S);
  x(5) = kVa;
  x(6) = kVa + kPageSize;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Ld, 2, 6, 0)});
  step(1);  // the program itself runs untranslated in M
  EXPECT_EQ(x(1), 0x5555u);
  step(1);  // a user page without SUM
  EXPECT_EQ(hart().csr.mcause, cause::kLoadPageFault);
  EXPECT_EQ(hart().csr.mtval, kVa + kPageSize);
}

TEST_F(MmuMprv, SumAppliesWithMppSupervisor) {
  mprv(Priv::S);
  set_status(mstatus::kSUM, true);
  x(6) = kVa + kPageSize;
  load({enc_i(Op::Ld, 2, 6, 0)});
  step(1);
  EXPECT_EQ(x(2), 0x7777u);
}

TEST_F(MmuMprv, MppUserReachesOnlyUserPages) {
  mprv(Priv::U);
  x(5) = kVa;
  x(6) = kVa + kPageSize;
  load({enc_i(Op::Ld, 2, 6, 0), enc_i(Op::Ld, 1, 5, 0)});
  step(1);
  EXPECT_EQ(x(2), 0x7777u);
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadPageFault);
  EXPECT_EQ(hart().csr.mtval, kVa);
}

// The trap into M makes MPP=M: the handler's loads are physical again, not the old context's.
TEST_F(MmuMprv, TrapIntoMachineEndsTheTranslatedView) {
  mprv(Priv::S);
  x(5) = kVa;
  x(7) = kVa + kPageSize;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Ld, 2, 7, 0)});
  load({enc_i(Op::Ld, 3, 5, 0)}, kTrapVector);  // kVa as a physical address: not RAM
  step(1);
  EXPECT_EQ(x(1), 0x5555u);
  step(1);  // faults (user page), MPP becomes M
  ASSERT_EQ(hart().csr.mcause, cause::kLoadPageFault);
  EXPECT_EQ((hart().csr.mstatus & mstatus::kMPP) >> mstatus::kMPPShift, unsigned(Priv::M));
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(x(3), 0u);
}

// The walk's own reads are S-mode accesses: an unlocked PMP entry that M-mode ignores still
// stops them, even when the access comes from M-mode through MPRV.
TEST_F(MmuMprv, WalkIsCheckedAsSupervisorAccess) {
  mprv(Priv::S);
  csr_set(csrnum::kPmpaddr0, (kTablePool >> 2) | ((0x800000 >> 3) - 1));  // the tables, 8 MiB
  csr_set(csrnum::kPmpaddr0 + 1, ~0ull);
  csr_set(csrnum::kPmpcfg0, (0x1full << 8) | 0x18);  // entry 0: no rights, not locked
  x(5) = kVa;
  x(6) = kTablePool + 8;  // the root table's pointer for kVa
  load({enc_i(Op::Ld, 1, 6, 0), enc_i(Op::Ld, 2, 5, 0)});
  // Without MPRV, M reads the table pool directly: entry 0 is not locked.
  set_status(mstatus::kMPRV, false);
  step(1);
  EXPECT_NE(read64(kTablePool + 8), 0u);
  EXPECT_EQ(x(1), read64(kTablePool + 8));
  EXPECT_EQ(hart().pc, kRamBase + 4);
  set_status(mstatus::kMPRV, true);
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(hart().csr.mtval, kVa);
}

TEST_F(MmuMprv, FetchesAreNeverAffected) {
  mprv(Priv::U);
  // The program at kRamBase is not mapped at all in the page tables; M fetches it anyway.
  load({enc_i(Op::Addi, 1, 0, 9), enc_i(Op::Addi, 2, 0, 8)});
  step(2);
  EXPECT_EQ(x(1), 9u);
  EXPECT_EQ(x(2), 8u);
  EXPECT_EQ(hart().pc, kRamBase + 8);
}

TEST_F(MmuMprv, MretToALowerModeClearsMprv) {
  mprv(Priv::S);
  hart().csr.mepc = kRamBase + 0x40;
  load({encode(Op::Mret, {})});
  step(1);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().csr.mstatus & mstatus::kMPRV, 0u);
}

}  // namespace
}  // namespace strata::testing
