// Which CSR accesses are illegal: missing CSRs, writes to read-only ones, too little
// privilege, the counter-enable gates, Sstc's gates, and the mstatus traps TVM/TW/TSR.
#include "csr_fixture.h"

namespace strata::testing {
namespace {

class CsrAccess : public CsrFixture {};

TEST_F(CsrAccess, MissingCsrsAreIllegal) {
  // tcontrol (optional, absent), mstatush and stimecmph (RV32 only), pmpcfg1 (odd, RV32 only),
  // a hypervisor CSR, mseccfg (no Smepmp), a custom number.
  for (uint16_t n : {0x7a5, 0x310, 0x15d, 0x3a1, 0x600, 0x747, 0x7c0}) {
    EXPECT_FALSE(read_at(Priv::M, n)) << std::hex << n;
    EXPECT_FALSE(write_at(Priv::M, n, 0)) << std::hex << n;
  }
}

TEST_F(CsrAccess, ReadOnlyCsrsRefuseWritesButNotReads) {
  for (uint16_t n : {csrnum::kMhartid, csrnum::kMvendorid, csrnum::kCycle, csrnum::kTime, csrnum::kInstret}) {
    EXPECT_TRUE(read_at(Priv::M, n)) << std::hex << n;
    EXPECT_FALSE(write_at(Priv::M, n, 0)) << std::hex << n;
    x(3) = 0;
    EXPECT_TRUE(exec(Priv::M, enc(Op::Csrrs, 1, 0, 0, n))) << "csrrs with x0 does not write";
    EXPECT_TRUE(exec(Priv::M, enc(Op::Csrrc, 1, 3, 0, n)) == false) << "csrrc with x3 writes, even a zero";
    EXPECT_TRUE(exec(Priv::M, enc(Op::Csrrsi, 1, 0, 0, n))) << "csrrsi with 0 does not write";
    EXPECT_FALSE(exec(Priv::M, enc(Op::Csrrsi, 1, 1, 0, n)));
  }
}

TEST_F(CsrAccess, PrivilegeFromTheCsrNumber) {
  struct Case {
    uint16_t csr;
    Priv lowest;
  };
  for (const Case& c :
       {Case{csrnum::kMstatus, Priv::M}, Case{csrnum::kMscratch, Priv::M}, Case{csrnum::kMhartid, Priv::M},
        Case{csrnum::kPmpaddr0, Priv::M}, Case{csrnum::kMcycle, Priv::M}, Case{csrnum::kSstatus, Priv::S},
        Case{csrnum::kSatp, Priv::S}, Case{csrnum::kSscratch, Priv::S}}) {
    for (Priv p : {Priv::U, Priv::S, Priv::M}) {
      const bool allowed = unsigned(p) >= unsigned(c.lowest);
      EXPECT_EQ(read_at(p, c.csr), allowed) << std::hex << c.csr << " priv " << int(p);
    }
  }
}

TEST_F(CsrAccess, CounterEnablesGateTheUserCounters) {
  clock_.ticks = 12345;
  const uint16_t counters[] = {csrnum::kCycle, csrnum::kTime, csrnum::kInstret, csrnum::kHpmcounter3, 0xc1f};
  const unsigned bits[] = {0, 1, 2, 3, 31};
  for (unsigned i = 0; i < 5; i++) {
    const uint16_t n = counters[i];
    csr_set(csrnum::kMcounteren, 0);
    csr_set(csrnum::kScounteren, ~0ull);
    EXPECT_TRUE(read_at(Priv::M, n));
    EXPECT_FALSE(read_at(Priv::S, n)) << std::hex << n;
    EXPECT_FALSE(read_at(Priv::U, n)) << std::hex << n;
    csr_set(csrnum::kMcounteren, bit(bits[i]));
    csr_set(csrnum::kScounteren, 0);
    EXPECT_TRUE(read_at(Priv::S, n)) << std::hex << n;
    EXPECT_FALSE(read_at(Priv::U, n)) << std::hex << n;
    csr_set(csrnum::kScounteren, bit(bits[i]));
    EXPECT_TRUE(read_at(Priv::U, n)) << std::hex << n;
    // Another counter's bit does not open this one.
    csr_set(csrnum::kMcounteren, ~bit(bits[i]));
    EXPECT_FALSE(read_at(Priv::S, n)) << std::hex << n;
  }
  uint64_t v = 0;
  ASSERT_TRUE(read_at(Priv::M, csrnum::kTime, &v));
  EXPECT_EQ(v, 12345u);
  ASSERT_TRUE(read_at(Priv::M, csrnum::kHpmcounter3, &v));
  EXPECT_EQ(v, 0u);
}

TEST_F(CsrAccess, StimecmpNeedsStceAndTmBelowM) {
  EXPECT_TRUE(write_at(Priv::M, csrnum::kStimecmp, 5));
  EXPECT_FALSE(read_at(Priv::S, csrnum::kStimecmp));  // STCE=0, TM=0
  csr_set(csrnum::kMcounteren, 2);
  EXPECT_FALSE(read_at(Priv::S, csrnum::kStimecmp));  // STCE=0
  csr_set(csrnum::kMenvcfg, bit(63));
  csr_set(csrnum::kMcounteren, 0);
  EXPECT_FALSE(read_at(Priv::S, csrnum::kStimecmp));  // TM=0
  EXPECT_FALSE(write_at(Priv::S, csrnum::kStimecmp, 7));
  csr_set(csrnum::kMcounteren, 2);
  uint64_t v = 0;
  EXPECT_TRUE(read_at(Priv::S, csrnum::kStimecmp, &v));
  EXPECT_EQ(v, 5u);
  EXPECT_TRUE(write_at(Priv::S, csrnum::kStimecmp, 7));
  EXPECT_EQ(csr_get(csrnum::kStimecmp), 7u);
  csr_set(csrnum::kScounteren, ~0ull);
  EXPECT_FALSE(read_at(Priv::U, csrnum::kStimecmp));  // a supervisor CSR
}

TEST_F(CsrAccess, TrapVirtualMemory) {
  set_status(mstatus::kTVM, true);
  EXPECT_FALSE(read_at(Priv::S, csrnum::kSatp));
  EXPECT_FALSE(write_at(Priv::S, csrnum::kSatp, 0));
  EXPECT_FALSE(exec(Priv::S, encode(Op::SfenceVma, {})));
  EXPECT_TRUE(read_at(Priv::M, csrnum::kSatp));
  EXPECT_TRUE(exec(Priv::M, encode(Op::SfenceVma, {})));
  set_status(mstatus::kTVM, false);
  EXPECT_TRUE(read_at(Priv::S, csrnum::kSatp));
  EXPECT_TRUE(exec(Priv::S, encode(Op::SfenceVma, {})));
  EXPECT_FALSE(exec(Priv::U, encode(Op::SfenceVma, {})));
}

TEST_F(CsrAccess, TimeoutWait) {
  const uint32_t wfi = encode(Op::Wfi, {});
  EXPECT_TRUE(exec(Priv::S, wfi));
  EXPECT_TRUE(exec(Priv::M, wfi));
  EXPECT_FALSE(exec(Priv::U, wfi));  // U-mode WFI is illegal whenever S-mode exists
  set_status(mstatus::kTW, true);
  EXPECT_FALSE(exec(Priv::S, wfi));
  EXPECT_FALSE(exec(Priv::U, wfi));
  EXPECT_TRUE(exec(Priv::M, wfi));
}

TEST_F(CsrAccess, TrapSret) {
  const uint32_t sret = encode(Op::Sret, {});
  hart().csr.sepc = kRamBase + 0x40;
  EXPECT_FALSE(exec(Priv::U, sret));
  set_status(mstatus::kTSR, true);
  EXPECT_FALSE(exec(Priv::S, sret));
  EXPECT_TRUE(exec(Priv::M, sret));  // TSR binds only S-mode
  EXPECT_EQ(hart().pc, kRamBase + 0x40);
  set_status(mstatus::kTSR, false);
  EXPECT_TRUE(exec(Priv::S, sret));
  EXPECT_EQ(hart().pc, kRamBase + 0x40);
}

TEST_F(CsrAccess, MretOnlyInMachineMode) {
  const uint32_t mret = encode(Op::Mret, {});
  EXPECT_FALSE(exec(Priv::U, mret));
  EXPECT_FALSE(exec(Priv::S, mret));
  hart().csr.mepc = kRamBase + 0x40;
  EXPECT_TRUE(exec(Priv::M, mret));
  EXPECT_EQ(hart().pc, kRamBase + 0x40);
}

}  // namespace
}  // namespace strata::testing
