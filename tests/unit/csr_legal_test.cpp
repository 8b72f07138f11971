// What the CSRs keep of a write (their WARL fields), and the views sstatus, sie and sip.
#include "csr_fixture.h"

namespace strata::testing {
namespace {

using namespace mstatus;
constexpr uint64_t kUxlSxl64 = (2ull << 32) | (2ull << 34);
constexpr uint64_t kSSIP = bit(irq::kSSI), kSTIP = bit(irq::kSTI), kSEIP = bit(irq::kSEI),
                   kMSIP = bit(irq::kMSI), kMTIP = bit(irq::kMTI), kMEIP = bit(irq::kMEI);

class CsrLegal : public CsrFixture {};

TEST_F(CsrLegal, MstatusKeepsItsWritableFields) {
  const uint64_t all =
      kSIE | kMIE | kSPIE | kMPIE | kSPP | kMPP | kFS | kMPRV | kSUM | kMXR | kTVM | kTW | kTSR;
  EXPECT_EQ(write_read(csrnum::kMstatus, ~0ull), all | kUxlSxl64 | kSD);
  EXPECT_EQ(write_read(csrnum::kMstatus, 0), kUxlSxl64);
  // MPP=2 (no H) is not a mode: the previous MPP stays.
  write_read(csrnum::kMstatus, 1ull << kMPPShift);
  EXPECT_EQ(write_read(csrnum::kMstatus, 2ull << kMPPShift) & kMPP, 1ull << kMPPShift);
  // SD summarises FS == Dirty only.
  EXPECT_EQ(write_read(csrnum::kMstatus, 2ull << kFSShift) & kSD, 0u);
  EXPECT_EQ(write_read(csrnum::kMstatus, 3ull << kFSShift) & kSD, kSD);
}

TEST_F(CsrLegal, SstatusIsAViewOfMstatus) {
  csr_set(csrnum::kMstatus, kMIE | kMPIE | kMPP | kTVM | kTW | kTSR | kMPRV);
  EXPECT_TRUE(write_at(Priv::S, csrnum::kSstatus, ~0ull));
  uint64_t s = 0;
  EXPECT_TRUE(read_at(Priv::S, csrnum::kSstatus, &s));
  EXPECT_EQ(s, kSIE | kSPIE | kSPP | kFS | kSUM | kMXR | (2ull << 32) | kSD);
  // The machine fields were neither visible nor changed.
  EXPECT_EQ(csr_get(csrnum::kMstatus) & (kMIE | kMPIE | kMPP | kTVM | kTW | kTSR | kMPRV),
            kMIE | kMPIE | kMPP | kTVM | kTW | kTSR | kMPRV);
  EXPECT_TRUE(write_at(Priv::S, csrnum::kSstatus, 0));
  EXPECT_EQ(csr_get(csrnum::kMstatus) & (kSIE | kSPIE | kSPP | kFS | kSUM | kMXR), 0u);
}

TEST_F(CsrLegal, MisaIsFixed) {
  const uint64_t expected = (2ull << 62) | bit('I' - 'A') | bit('M' - 'A') | bit('A' - 'A') | bit('F' - 'A') |
                            bit('D' - 'A') | bit('C' - 'A') | bit('S' - 'A') | bit('U' - 'A');
  EXPECT_EQ(write_read(csrnum::kMisa, 0), expected);
}

TEST_F(CsrLegal, DelegationAndEnableMasks) {
  // Every exception but ecall from M and the reserved causes 10 and 14.
  EXPECT_EQ(write_read(csrnum::kMedeleg, ~0ull), 0xb3ffu);
  EXPECT_EQ(write_read(csrnum::kMideleg, ~0ull), kSSIP | kSTIP | kSEIP);
  EXPECT_EQ(write_read(csrnum::kMie, ~0ull), kSSIP | kSTIP | kSEIP | kMSIP | kMTIP | kMEIP);
}

TEST_F(CsrLegal, MipWritableBitsAndTheDeviceLines) {
  hart().set_pending(irq::kMTI, true);
  EXPECT_EQ(write_read(csrnum::kMip, ~0ull), kSSIP | kSTIP | kSEIP | kMTIP);
  EXPECT_EQ(write_read(csrnum::kMip, 0), kMTIP);  // MTIP follows the CLINT, not software
}

// mip.SEIP = software bit OR the PLIC's line; CSRRS/CSRRC modify only the software bit.
TEST_F(CsrLegal, SeipReadModifyWriteUsesOnlyTheSoftwareBit) {
  hart().set_pending(irq::kSEI, true);  // the PLIC raises its line
  uint64_t v = 0;
  ASSERT_TRUE(read_at(Priv::M, csrnum::kMip, &v));
  EXPECT_EQ(v & kSEIP, kSEIP);
  x(3) = kSSIP;
  ASSERT_TRUE(exec(Priv::M, enc(Op::Csrrs, 1, 3, 0, csrnum::kMip)));  // csrrs x1, mip, x3
  EXPECT_EQ(x(1) & kSEIP, kSEIP);                                     // old value read: with the line
  hart().set_pending(irq::kSEI, false);                               // the line drops
  ASSERT_TRUE(read_at(Priv::M, csrnum::kMip, &v));
  EXPECT_EQ(v, kSSIP);  // the line was not latched into the software bit
  // The software bit alone is pending too, and the line cannot clear it.
  write_read(csrnum::kMip, kSEIP);
  hart().set_pending(irq::kSEI, true);
  hart().set_pending(irq::kSEI, false);
  ASSERT_TRUE(read_at(Priv::M, csrnum::kMip, &v));
  EXPECT_EQ(v, kSEIP);
  EXPECT_TRUE(interrupt_waiting(hart()) == false);  // not enabled yet
  csr_set(csrnum::kMie, kSEIP);
  EXPECT_TRUE(interrupt_waiting(hart()));
}

TEST_F(CsrLegal, SupervisorInterruptViewsShowOnlyDelegatedBits) {
  hart().set_pending(irq::kMTI, true);
  csr_set(csrnum::kMip, kSSIP | kSTIP);
  csr_set(csrnum::kMie, kMEIP);  // enables nothing that is pending
  uint64_t v = 1;
  ASSERT_TRUE(read_at(Priv::S, csrnum::kSip, &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(write_at(Priv::S, csrnum::kSie, ~0ull));
  EXPECT_EQ(csr_get(csrnum::kMie), kMEIP);  // nothing delegated: sie writes go nowhere

  csr_set(csrnum::kMideleg, kSSIP | kSTIP);
  ASSERT_TRUE(read_at(Priv::S, csrnum::kSip, &v));
  EXPECT_EQ(v, kSSIP | kSTIP);
  EXPECT_TRUE(write_at(Priv::S, csrnum::kSie, ~0ull));
  EXPECT_EQ(csr_get(csrnum::kMie), kMEIP | kSSIP | kSTIP);
  ASSERT_TRUE(read_at(Priv::S, csrnum::kSie, &v));
  EXPECT_EQ(v, kSSIP | kSTIP);
  // Through sip only SSIP is writable.
  EXPECT_TRUE(write_at(Priv::S, csrnum::kSip, 0));
  EXPECT_EQ(csr_get(csrnum::kMip), kSTIP | kMTIP);
}

TEST_F(CsrLegal, TrapVectorModes) {
  for (uint16_t tvec : {csrnum::kMtvec, csrnum::kStvec}) {
    EXPECT_EQ(write_read(tvec, kRamBase | 1), kRamBase | 1);  // vectored
    EXPECT_EQ(write_read(tvec, kRamBase | 2), kRamBase | 1);  // reserved mode: keeps vectored
    EXPECT_EQ(write_read(tvec, kRamBase), kRamBase);          // direct
    EXPECT_EQ(write_read(tvec, kRamBase | 3), kRamBase);      // reserved mode: keeps direct
  }
}

TEST_F(CsrLegal, ExceptionPcsAreHalfwordAligned) {
  for (uint16_t epc : {csrnum::kMepc, csrnum::kSepc}) {
    EXPECT_EQ(write_read(epc, 0x80000007), 0x80000006u);
    EXPECT_EQ(write_read(epc, ~0ull), ~1ull);
  }
}

TEST_F(CsrLegal, FullWidthRegisters) {
  for (uint16_t n : {csrnum::kMscratch, csrnum::kSscratch, csrnum::kMtval, csrnum::kStval, csrnum::kMcause,
                     csrnum::kScause}) {
    EXPECT_EQ(write_read(n, 0x8000000000000005), 0x8000000000000005u) << n;
    EXPECT_EQ(write_read(n, 0x123456789abcdef0), 0x123456789abcdef0u) << n;
  }
}

TEST_F(CsrLegal, SatpIgnoresWritesOfModesItLacks) {
  const uint64_t sv48 = (9ull << 60) | (0xabcdull << 44) | 0x80123;
  EXPECT_EQ(write_read(csrnum::kSatp, sv48), sv48);
  for (uint64_t mode : {1, 2, 7, 11, 12, 15})
    EXPECT_EQ(write_read(csrnum::kSatp, (mode << 60) | 5), sv48) << mode;
  for (uint64_t mode : {8, 10}) EXPECT_EQ(write_read(csrnum::kSatp, (mode << 60) | 5), (mode << 60) | 5);
  EXPECT_EQ(write_read(csrnum::kSatp, 0), 0u);
}

TEST_F(CsrLegal, EnvironmentConfiguration) {
  const uint64_t fiom = 1, adue = bit(61), stce = bit(63);
  EXPECT_EQ(write_read(csrnum::kMenvcfg, ~0ull), fiom | adue | stce);  // no CBO, no PBMT
  EXPECT_EQ(write_read(csrnum::kMenvcfg, 0), adue);                    // A/D updating is fixed on
  hart().config.hardware_ad = false;
  EXPECT_EQ(write_read(csrnum::kMenvcfg, ~0ull), fiom | stce);
  EXPECT_EQ(write_read(csrnum::kSenvcfg, ~0ull), fiom);
}

TEST_F(CsrLegal, IdentityAndCounterControl) {
  uint64_t v = 1;
  ASSERT_TRUE(read_at(Priv::M, csrnum::kMhartid, &v));
  EXPECT_EQ(v, hart().config.hart_id);
  ASSERT_TRUE(read_at(Priv::M, csrnum::kMvendorid, &v));
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(write_read(csrnum::kMcountinhibit, ~0ull), 0xfffffffdu);  // time cannot be inhibited
  EXPECT_EQ(write_read(csrnum::kMcounteren, ~0ull), 0xffffffffu);
  EXPECT_EQ(write_read(csrnum::kScounteren, ~0ull), 0xffffffffu);
}

TEST_F(CsrLegal, MachineCountersAreWritable) {
  // csrw mcycle / minstret, then read them back at once.
  EXPECT_TRUE(write_at(Priv::M, csrnum::kMinstret, 1000));
  uint64_t v = 0;
  ASSERT_TRUE(read_at(Priv::M, csrnum::kMinstret, &v));
  EXPECT_EQ(v, 1000u);  // the write retired; the read itself is not counted yet
  ASSERT_TRUE(read_at(Priv::M, csrnum::kInstret, &v));
  EXPECT_EQ(v, 1001u);
  EXPECT_TRUE(write_at(Priv::M, csrnum::kMcycle, 50));
  ASSERT_TRUE(read_at(Priv::M, csrnum::kCycle, &v));
  EXPECT_GE(v, 50u);
  EXPECT_LT(v, 60u);
}

// Sstc: STIP is the comparison time >= stimecmp while menvcfg.STCE is set, read-only in mip.
TEST_F(CsrLegal, StimecmpDrivesStip) {
  clock_.ticks = 50;
  csr_set(csrnum::kMenvcfg, bit(63));
  csr_set(csrnum::kStimecmp, 100);
  EXPECT_EQ(csr_get(csrnum::kMip) & kSTIP, 0u);
  csr_set(csrnum::kMip, kSTIP);  // ignored while STCE is set
  EXPECT_EQ(csr_get(csrnum::kMip) & kSTIP, 0u);
  clock_.ticks = 100;
  step(0);  // the hart looks at the clock when it runs
  EXPECT_EQ(csr_get(csrnum::kMip) & kSTIP, kSTIP);
  csr_set(csrnum::kStimecmp, 200);
  EXPECT_EQ(csr_get(csrnum::kMip) & kSTIP, 0u);
  // Without Sstc, STIP is an ordinary software-written bit.
  csr_set(csrnum::kMenvcfg, 0);
  csr_set(csrnum::kMip, kSTIP);
  EXPECT_EQ(csr_get(csrnum::kMip) & kSTIP, kSTIP);
}

}  // namespace
}  // namespace strata::testing
