// Physical memory protection: address matching (TOR, NA4, NAPOT), priority, partial matches,
// locking and M-mode, the CSRs' legal values, and faults through instructions with the soft
// TLB in the way.
#include "cpu/mmu/pmp.h"
#include "mmu_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kData = HartFixture::kRamBase + 0x100000;
constexpr uint8_t kTOR = 1 << 3, kNA4 = 2 << 3, kNAPOT = 3 << 3, kL = 0x80;
constexpr uint8_t kPR = 1, kPW = 2, kPX = 4;

uint64_t napot(uint64_t base, uint64_t size) { return (base >> 2) | ((size >> 3) - 1); }

// --- Matching, on a CSR state set by hand ---------------------------------------------

class PmpMatch : public ::testing::Test {
 protected:
  void entry(unsigned n, uint8_t cfg, uint64_t addr) {
    csr.pmpcfg[n] = cfg;
    csr.pmpaddr[n] = addr;
  }
  bool allows(uint64_t first, uint64_t size, Access a, Priv p) {
    return pmp_allows(csr, first, first + size - 1, a, p);
  }
  CsrState csr;
};

TEST_F(PmpMatch, NoActiveEntryAllowsOnlyMachineMode) {
  entry(3, kPR | kPW | kPX, 0x1000);  // A=OFF: not active
  EXPECT_TRUE(allows(0x1000, 4, Access::Read, Priv::M));
  EXPECT_FALSE(allows(0x1000, 4, Access::Read, Priv::S));
  EXPECT_FALSE(allows(0x1000, 4, Access::Exec, Priv::U));
}

TEST_F(PmpMatch, TopOfRange) {
  entry(0, kTOR | kPR, 0x2000 >> 2);  // entry 0: [0, 0x2000)
  EXPECT_TRUE(allows(0, 8, Access::Read, Priv::S));
  EXPECT_TRUE(allows(0x1ff8, 8, Access::Read, Priv::S));
  EXPECT_FALSE(allows(0x2000, 1, Access::Read, Priv::S));
  entry(2, kTOR | kPW, 0x3000 >> 2);  // entry 2 starts at pmpaddr1 (0 so far)
  csr.pmpaddr[1] = 0x2800 >> 2;       // pmpaddr1 is only a bound: entry 1 is OFF
  EXPECT_FALSE(allows(0x2000, 4, Access::Write, Priv::S));
  EXPECT_TRUE(allows(0x2800, 4, Access::Write, Priv::S));
  EXPECT_TRUE(allows(0x2ffc, 4, Access::Write, Priv::S));
  EXPECT_FALSE(allows(0x3000, 4, Access::Write, Priv::S));
  // A bottom at or above the top matches nothing.
  csr.pmpaddr[1] = 0x3000 >> 2;
  EXPECT_FALSE(allows(0x2ffc, 4, Access::Write, Priv::S));
  EXPECT_TRUE(allows(0x2ffc, 4, Access::Write, Priv::M));
}

TEST_F(PmpMatch, NaturallyAlignedFourBytes) {
  entry(0, kNA4 | kPR, 0x1004 >> 2);
  EXPECT_TRUE(allows(0x1004, 4, Access::Read, Priv::U));
  EXPECT_TRUE(allows(0x1007, 1, Access::Read, Priv::U));
  EXPECT_FALSE(allows(0x1000, 4, Access::Read, Priv::U));
  EXPECT_FALSE(allows(0x1008, 1, Access::Read, Priv::U));
}

TEST_F(PmpMatch, NaturallyAlignedPowerOfTwo) {
  entry(0, kNAPOT | kPX, napot(0x1000, 8));
  EXPECT_EQ(csr.pmpaddr[0], 0x400u);  // 8 bytes: no trailing ones
  EXPECT_TRUE(allows(0x1000, 8, Access::Exec, Priv::S));
  EXPECT_FALSE(allows(0x1008, 2, Access::Exec, Priv::S));
  entry(0, kNAPOT | kPX, napot(0x40000, 0x10000));
  EXPECT_TRUE(allows(0x40000, 4, Access::Exec, Priv::S));
  EXPECT_TRUE(allows(0x4fffc, 4, Access::Exec, Priv::S));
  EXPECT_FALSE(allows(0x3fffc, 4, Access::Exec, Priv::S));
  EXPECT_FALSE(allows(0x50000, 4, Access::Exec, Priv::S));
  entry(0, kNAPOT | kPX, (1ull << 54) - 1);  // all ones: everything
  EXPECT_TRUE(allows(0, 4, Access::Exec, Priv::S));
  EXPECT_TRUE(allows((1ull << 56) - 4, 4, Access::Exec, Priv::S));
}

TEST_F(PmpMatch, LowestNumberedMatchDecides) {
  entry(0, kNAPOT, napot(0x2000, 0x1000));           // no permissions
  entry(1, kNAPOT | kPR | kPW, napot(0, 0x100000));  // everything below 1 MiB
  EXPECT_FALSE(allows(0x2000, 8, Access::Read, Priv::S));
  EXPECT_TRUE(allows(0x3000, 8, Access::Read, Priv::S));
  EXPECT_TRUE(allows(0x1ff8, 8, Access::Write, Priv::S));
  // Swapped priorities: the big region now wins everywhere.
  entry(0, kNAPOT | kPR | kPW, napot(0, 0x100000));
  entry(1, kNAPOT, napot(0x2000, 0x1000));
  EXPECT_TRUE(allows(0x2000, 8, Access::Read, Priv::S));
}

TEST_F(PmpMatch, PartialMatchFailsWhateverTheBits) {
  entry(0, kNA4 | kPR | kPW | kPX, 0x1000 >> 2);
  entry(1, kNAPOT | kPR | kPW | kPX, napot(0, 0x100000));
  EXPECT_TRUE(allows(0x1000, 4, Access::Read, Priv::S));
  EXPECT_FALSE(allows(0x1000, 8, Access::Read, Priv::S));  // bytes 4..7 are outside entry 0
  EXPECT_FALSE(allows(0xffe, 4, Access::Read, Priv::S));
  EXPECT_FALSE(allows(0x1000, 8, Access::Read, Priv::M));  // even M, with no lock
  EXPECT_TRUE(allows(0x1008, 8, Access::Read, Priv::S));
}

TEST_F(PmpMatch, MachineModeObeysOnlyLockedEntries) {
  entry(0, kNAPOT, napot(0x1000, 0x1000));
  EXPECT_TRUE(allows(0x1000, 8, Access::Write, Priv::M));
  EXPECT_FALSE(allows(0x1000, 8, Access::Write, Priv::S));
  entry(0, kNAPOT | kL | kPR, napot(0x1000, 0x1000));
  EXPECT_TRUE(allows(0x1000, 8, Access::Read, Priv::M));
  EXPECT_FALSE(allows(0x1000, 8, Access::Write, Priv::M));
  EXPECT_FALSE(allows(0x1000, 8, Access::Exec, Priv::M));
  EXPECT_TRUE(allows(0x3000, 8, Access::Write, Priv::M));  // no match: M succeeds
}

TEST_F(PmpMatch, EachPermissionBitGuardsItsAccess) {
  for (uint8_t bits = 0; bits < 8; bits++) {
    entry(0, kNAPOT | bits, napot(0x1000, 0x1000));
    EXPECT_EQ(allows(0x1000, 4, Access::Read, Priv::U), bool(bits & kPR)) << int(bits);
    EXPECT_EQ(allows(0x1000, 4, Access::Write, Priv::U), bool(bits & kPW)) << int(bits);
    EXPECT_EQ(allows(0x1000, 4, Access::Exec, Priv::U), bool(bits & kPX)) << int(bits);
  }
}

// --- The CSRs ----------------------------------------------------------------------------

class PmpCsrs : public MmuFixture {
 protected:
  void cfg(unsigned n, uint8_t value) {
    const uint16_t reg = csrnum::kPmpcfg0 + 2 * (n / 8);
    const unsigned shift = 8 * (n % 8);
    csr_set(reg, (csr_get(reg) & ~(0xffull << shift)) | (uint64_t(value) << shift));
  }
  uint8_t cfg_of(unsigned n) { return uint8_t(csr_get(csrnum::kPmpcfg0 + 2 * (n / 8)) >> (8 * (n % 8))); }
  void addr(unsigned n, uint64_t value) { csr_set(csrnum::kPmpaddr0 + n, value); }
  uint64_t addr_of(unsigned n) { return csr_get(csrnum::kPmpaddr0 + n); }
};

TEST_F(PmpCsrs, ConfigurationFieldsAreLegalised) {
  cfg(9, 0x60 | kNAPOT | kPR);  // bits 6:5 are reserved
  EXPECT_EQ(cfg_of(9), kNAPOT | kPR);
  cfg(9, kNAPOT | kPW | kPX);  // W without R is reserved: no R/W
  EXPECT_EQ(cfg_of(9), kNAPOT | kPX);
  cfg(9, kNA4 | kPR | kPW);
  EXPECT_EQ(cfg_of(9), kNA4 | kPR | kPW);
  addr(9, ~0ull);
  EXPECT_EQ(addr_of(9), (1ull << 54) - 1);  // 56-bit physical addresses
  cfg(63, kTOR | kPR);
  EXPECT_EQ(csr_get(0x3ae) >> 56, uint64_t(kTOR | kPR));  // pmpcfg14 holds entries 56..63
  addr(63, 0x1234);
  EXPECT_EQ(csr_get(0x3ef), 0x1234u);
}

TEST_F(PmpCsrs, LockedEntriesIgnoreWrites) {
  addr(4, 0x100);
  addr(5, 0x200);
  addr(6, 0x300);
  cfg(5, kTOR | kL | kPR);
  cfg(5, kNAPOT | kPR | kPW);  // ignored, lock included
  EXPECT_EQ(cfg_of(5), kTOR | kL | kPR);
  addr(5, 0x999);
  EXPECT_EQ(addr_of(5), 0x200u);
  addr(4, 0x999);  // the bottom of a locked TOR entry is locked too
  EXPECT_EQ(addr_of(4), 0x100u);
  addr(6, 0x999);  // the entry above is not
  EXPECT_EQ(addr_of(6), 0x999u);
  // A locked NAPOT entry does not lock the address below it.
  cfg(7, kNAPOT | kL);
  addr(6, 0x777);
  EXPECT_EQ(addr_of(6), 0x777u);
  // Neighbours in the same pmpcfg register stay writable.
  cfg(4, kNA4 | kPX);
  EXPECT_EQ(cfg_of(4), kNA4 | kPX);
}

TEST_F(PmpCsrs, OddConfigRegistersDoNotExistOnRv64) {
  x(1) = 0;
  load({enc(Op::Csrrs, 1, 0, 0, 0x3a1), enc(Op::Csrrs, 1, 0, 0, 0x3a2)});
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
  hart().pc = kRamBase + 4;
  hart().csr.mcause = 0;
  step(1);
  EXPECT_EQ(hart().csr.mcause, 0u);
  EXPECT_EQ(hart().pc, kRamBase + 8);
}

// --- Through instructions ----------------------------------------------------------------

class PmpAccess : public PmpCsrs {
 protected:
  void SetUp() override {
    // Entry 15 grants everything at the lowest priority; tests add entries below it.
    cfg(0, 0);
    addr(15, (1ull << 54) - 1);
    cfg(15, kNAPOT | kPR | kPW | kPX);
    write64(kData, 0x1111);
    write64(kData + 8, 0x2222);
  }
};

TEST_F(PmpAccess, FaultCausesForEachAccessType) {
  addr(0, napot(kData, 0x1000));
  cfg(0, kNAPOT);  // nothing allowed
  write32(kData, enc_i(Op::Addi, 1, 0, 1));
  x(5) = kData + 8;
  x(6) = kData;
  load({enc_i(Op::Ld, 1, 5, 0), encode(Op::Sd, {.rs1 = 5, .rs2 = 5}), enc_i(Op::Jalr, 0, 6, 0)});
  struct Expect {
    uint64_t cause, tval, epc;
  };
  for (const Expect& e :
       {Expect{cause::kLoadAccess, kData + 8, kRamBase}, Expect{cause::kStoreAccess, kData + 8, kRamBase + 4},
        Expect{cause::kInsnAccess, kData, kData}}) {
    hart().pc = e.epc == kData ? kRamBase + 8 : e.epc;
    enter(Priv::S);
    step(e.epc == kData ? 2 : 1);
    EXPECT_EQ(hart().csr.mcause, e.cause);
    EXPECT_EQ(hart().csr.mtval, e.tval);
    EXPECT_EQ(hart().csr.mepc, e.epc);
  }
  EXPECT_EQ(x(1), 0u);
  EXPECT_EQ(read64(kData + 8), 0x2222u);
}

TEST_F(PmpAccess, MachineModeOnlyFaultsOnLockedEntries) {
  addr(0, napot(kData, 0x1000));
  cfg(0, kNAPOT | kPR);
  x(5) = kData;
  x(6) = 0x77;
  load({encode(Op::Sd, {.rs1 = 5, .rs2 = 6}), enc_i(Op::Ld, 1, 5, 0), encode(Op::Sd, {.rs1 = 5, .rs2 = 6})});
  step(1);
  EXPECT_EQ(read64(kData), 0x77u);  // unlocked: M ignores it
  cfg(0, kNAPOT | kPR | kL);
  step(2);
  EXPECT_EQ(x(1), 0x77u);
  EXPECT_EQ(hart().csr.mcause, cause::kStoreAccess);
  EXPECT_EQ(hart().csr.mtval, kData);
}

// A page the soft TLB holds loses its rights when PMP changes.
TEST_F(PmpAccess, PmpWritesReachTheSoftTlb) {
  x(5) = kData;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Ld, 2, 5, 0)});
  enter(Priv::S);
  step(1);
  EXPECT_EQ(x(1), 0x1111u);
  addr(0, napot(kData, 0x1000));
  cfg(0, kNAPOT | kPW);
  step(1);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(x(2), 0u);
}

// Part of a page is denied: an allowed access there must not let the page into the soft
// TLB, or the next access to the denied part would hit it.
TEST_F(PmpAccess, PageWithMixedRightsStaysOutOfTheSoftTlb) {
  addr(0, (kData + 8) >> 2);
  cfg(0, kNA4 | kPW);  // kData+8..11 is write-only
  write64(kData + 8, 0x0000333300002222);
  x(5) = kData;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Lw, 2, 5, 8), enc_i(Op::Lw, 3, 5, 12)});
  enter(Priv::S);
  step(2);
  EXPECT_EQ(x(1), 0x1111u);
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(hart().csr.mtval, kData + 8);
  hart().pc = kRamBase + 8;
  enter(Priv::S);
  step(1);
  EXPECT_EQ(x(3), 0x3333u);  // kData+12 is allowed
  EXPECT_EQ(hart().pc, kRamBase + 12);
}

TEST_F(PmpAccess, AccessStraddlingARegionBoundaryFails) {
  addr(0, kData >> 2);
  cfg(0, kNA4 | kPR | kPW);
  x(5) = kData;
  load({enc_i(Op::Ld, 1, 5, 0), enc_i(Op::Lw, 2, 5, 0)});
  cfg(0, kNA4 | kPR | kPW | kL);  // M-mode, bound by the entry once it is locked
  step(1);                        // 8 bytes, only 4 of them in the entry
  EXPECT_EQ(hart().csr.mcause, cause::kLoadAccess);
  EXPECT_EQ(x(1), 0u);
  hart().pc = kRamBase + 4;
  step(1);
  EXPECT_EQ(x(2), 0x1111u);
}

}  // namespace
}  // namespace strata::testing
