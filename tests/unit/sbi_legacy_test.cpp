// The legacy SBI calls (EIDs 0x00-0x08): a0 alone answers, a1 is preserved, hart masks are
// guest virtual pointers read through the calling hart's MMU.
#include "mem/code_pages.h"
#include "sbi_fixture.h"

namespace strata::testing {
namespace {

using namespace sbi;

class SbiLegacyTest : public SbiFixture {
 protected:
  static constexpr uint64_t kMaskPa = kRamBase + 0x20000;
  // Legacy calls preserve every register but a0, a1 included.
  void expect_legacy_preserved(unsigned index, std::initializer_list<unsigned> args_used = {}) {
    EXPECT_EQ(hart_at(index).x[11], kSentinel | 11);
    expect_preserved(index, args_used);
  }
  // Turns on Sv39 for hart 0 with its code page mapped at its own address.
  void paging_on() {
    use_mode(satp::kSv39);
    map(kCode & kPageMask, kCode & kPageMask, kR | kX | kA);
  }
};

TEST_F(SbiLegacyTest, SetTimerClearsStipAndPassesTheDeadline) {
  clock_.ticks = 100;
  hart().set_pending(irq::kSTI, true);
  const Result r = call(eid::kLegacySetTimer, 0, {5000});
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_FALSE(hart().csr.mip & bit(irq::kSTI));
  ASSERT_EQ(platform_.timers.size(), 1u);
  EXPECT_EQ(platform_.timers[0].hartid, 0u);
  EXPECT_EQ(platform_.timers[0].deadline, 5000u);
  expect_returned();
  expect_legacy_preserved(0);
}

TEST_F(SbiLegacyTest, PutcharWritesOneByte) {
  for (char c : std::string("ok\n"))
    EXPECT_EQ(call(eid::kLegacyPutchar, 0, {uint64_t(0x100 | c)}).error(), 0);
  EXPECT_EQ(platform_.console_out, "ok\n");
  expect_legacy_preserved(0);
}

TEST_F(SbiLegacyTest, GetcharReturnsBytesThenMinusOne) {
  EXPECT_EQ(call(eid::kLegacyGetchar, 0).error(), -1);
  platform_.console_in = {'h', 0xff};
  EXPECT_EQ(call(eid::kLegacyGetchar, 0).a0, uint64_t('h'));
  EXPECT_EQ(call(eid::kLegacyGetchar, 0).a0, 0xffu);  // a byte, never mistaken for -1
  EXPECT_EQ(call(eid::kLegacyGetchar, 0).error(), -1);
  expect_legacy_preserved(0);
}

TEST_F(SbiLegacyTest, ClearIpiSaysWhetherOneWasPending) {
  hart().set_pending(irq::kSSI, true);
  EXPECT_EQ(call(eid::kLegacyClearIpi, 0).a0, 1u);
  EXPECT_FALSE(hart().csr.mip & bit(irq::kSSI));
  EXPECT_EQ(call(eid::kLegacyClearIpi, 0).a0, 0u);
}

TEST_F(SbiLegacyTest, SendIpiReadsTheMaskAtAPhysicalAddressWithSatpBare) {
  write64(kMaskPa, 0b1010);
  const Result r = call(eid::kLegacySendIpi, 0, {kMaskPa});
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{1, 3}));
  EXPECT_TRUE(hart_at(1).csr.mip & bit(irq::kSSI));
  EXPECT_FALSE(hart_at(2).csr.mip & bit(irq::kSSI));
  expect_returned();
  expect_legacy_preserved(0);
}

TEST_F(SbiLegacyTest, NullMaskMeansEveryHart) {
  EXPECT_EQ(call(eid::kLegacySendIpi, 0, {0}).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{0, 1, 2, 3}));
}

TEST_F(SbiLegacyTest, StoppedHartsGetNoIpi) {
  platform_.states[2] = HartState::Stopped;
  write64(kMaskPa, 0b1111);
  call(eid::kLegacySendIpi, 0, {kMaskPa});
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{0, 1, 3}));
}

TEST_F(SbiLegacyTest, MaskBitsBeyondTheHartsAreIgnored) {
  write64(kMaskPa, ~0ull << 3);
  EXPECT_EQ(call(eid::kLegacySendIpi, 0, {kMaskPa}).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{3}));
}

TEST_F(SbiLegacyTest, MoreThan64HartsReadASecondWord) {
  platform_.count_override = 70;
  write64(kMaskPa, 1ull << 63);
  write64(kMaskPa + 8, (1ull << 5) | (1ull << 6));  // harts 69 and 70; only 69 exists
  write64(kMaskPa + 16, ~0ull);                     // never read
  EXPECT_EQ(call(eid::kLegacySendIpi, 0, {kMaskPa}).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{63, 69}));
}

TEST_F(SbiLegacyTest, MaskIsReadThroughTheMmu) {
  paging_on();
  // A virtual address that is also RAM physically, holding another mask there.
  constexpr uint64_t kMaskVa = kRamBase + 0x30000;
  map(kMaskVa, kMaskPa, kR | kW | kA | kD);
  write64(kMaskPa + 0x18, 0b0100);
  write64(kMaskVa + 0x18, 0b0011);
  EXPECT_EQ(call(eid::kLegacySendIpi, 0, {kMaskVa + 0x18}).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{2}));
}

TEST_F(SbiLegacyTest, UnmappedMaskIsRedirectedToTheSupervisorWhenDelegated) {
  paging_on();
  m_csr(hart(), csrnum::kMedeleg, bit(cause::kLoadPageFault));
  const Result r = call(eid::kLegacySendIpi, 0, {0x5000'0000});
  EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().pc, kStvec);
  EXPECT_EQ(hart().csr.scause, cause::kLoadPageFault);
  EXPECT_EQ(hart().csr.sepc, code_of(0));  // the ecall itself
  EXPECT_EQ(hart().csr.stval, 0x5000'0000u);
  EXPECT_EQ(r.a0, 0x5000'0000u);  // a0 untouched
  EXPECT_EQ(r.a1, kSentinel | 11);
  EXPECT_TRUE(platform_.ipis.empty());
}

TEST_F(SbiLegacyTest, UnmappedMaskIsAnErrorWhenNotDelegated) {
  paging_on();
  for (uint64_t eid : {eid::kLegacySendIpi, eid::kLegacyRemoteFenceI, eid::kLegacyRemoteSfenceVma,
                       eid::kLegacyRemoteSfenceVmaAsid}) {
    const Result r = call(eid, 0, {0x5000'0000, 0x1000, 0x2000, 1});
    EXPECT_EQ(r.error(), kErrInvalidAddress) << eid;
    expect_returned();
    EXPECT_EQ(r.a1, 0x1000u);  // an argument, preserved
  }
  EXPECT_TRUE(platform_.ipis.empty());
  EXPECT_TRUE(platform_.fence_i_calls.empty());
  EXPECT_TRUE(platform_.sfence_calls.empty());
}

TEST_F(SbiLegacyTest, HostilePointersNeverReachTheHost) {
  // Physical addresses outside RAM, a device hole, the top of the address space, a mask
  // straddling the end of RAM: each an access fault, never a host access.
  for (uint64_t p : std::initializer_list<uint64_t>{0x1000, 0x1000'0000, kRamBase + kRamSize - 4,
                                                    kRamBase + kRamSize, ~0ull - 3, ~0ull}) {
    const Result r = call(eid::kLegacySendIpi, 0, {p});
    EXPECT_EQ(r.error(), kErrInvalidAddress) << std::hex << p;
  }
  EXPECT_TRUE(platform_.ipis.empty());
}

TEST_F(SbiLegacyTest, MaskStraddlingIntoAnUnmappedPageFaultsOnTheSecondPage) {
  paging_on();
  m_csr(hart(), csrnum::kMedeleg, bit(cause::kLoadPageFault));
  constexpr uint64_t kMaskVa = 0x4000'0000;
  map(kMaskVa, kMaskPa, kR | kA);
  call(eid::kLegacySendIpi, 0, {kMaskVa + kPageSize - 4});
  EXPECT_EQ(hart().csr.scause, cause::kLoadPageFault);
  EXPECT_EQ(hart().csr.stval, kMaskVa + kPageSize);
  EXPECT_TRUE(platform_.ipis.empty());
}

TEST_F(SbiLegacyTest, MaskInAPagePmpForbidsIsAnAccessFault) {
  // PMP entry 0 denies S-mode reads of one page; entry 1 grants everything else.
  m_csr(hart(), csrnum::kPmpaddr0, (kMaskPa >> 2) | ((kPageSize / 2 - 1) >> 2));  // NAPOT 4 KiB
  m_csr(hart(), csrnum::kPmpaddr0 + 1, ~0ull);
  m_csr(hart(), csrnum::kPmpcfg0, (0x1full << 8) | 0x18);  // entry 0: NAPOT, no permission
  const Result r = call(eid::kLegacySendIpi, 0, {kMaskPa});
  EXPECT_EQ(r.error(), kErrInvalidAddress);
  EXPECT_TRUE(platform_.ipis.empty());
}

TEST_F(SbiLegacyTest, RemoteFenceIFencesTheCallerItselfAndAsksForTheOthers) {
  call(eid::kBase, fid::kGetSpecVersion);
  EXPECT_TRUE(hart().code_pages->held(kCode & kPageMask));  // the ecall was decoded
  write64(kMaskPa, 0b1101);
  platform_.states[3] = HartState::Stopped;  // a start flushes it anyway
  EXPECT_EQ(call(eid::kLegacyRemoteFenceI, 0, {kMaskPa}).error(), kSuccess);
  ASSERT_EQ(platform_.fence_i_calls.size(), 1u);
  EXPECT_EQ(platform_.fence_i_calls[0], (std::vector<uint64_t>{2}));
  expect_returned();
  expect_legacy_preserved(0);
  EXPECT_TRUE(runs_code_written_behind_its_back());
}

TEST_F(SbiLegacyTest, RemoteSfenceVmaRanges) {
  write64(kMaskPa, 0b0110);
  EXPECT_EQ(call(eid::kLegacyRemoteSfenceVma, 0, {kMaskPa, 0x1000, 0x3000}).error(), kSuccess);
  EXPECT_EQ(call(eid::kLegacyRemoteSfenceVma, 0, {kMaskPa, 0, 0}).error(), kSuccess);
  EXPECT_EQ(call(eid::kLegacyRemoteSfenceVma, 0, {kMaskPa, 0x1000, ~0ull}).error(), kSuccess);
  EXPECT_EQ(call(eid::kLegacyRemoteSfenceVmaAsid, 0, {kMaskPa, 0x2000, 0x1000, 7}).error(), kSuccess);
  ASSERT_EQ(platform_.sfence_calls.size(), 4u);
  for (const auto& s : platform_.sfence_calls) EXPECT_EQ(s.harts, (std::vector<uint64_t>{1, 2}));
  const FenceRange& ranged = platform_.sfence_calls[0].range;
  EXPECT_FALSE(ranged.all);
  EXPECT_EQ(ranged.start, 0x1000u);
  EXPECT_EQ(ranged.size, 0x3000u);
  EXPECT_FALSE(ranged.asid);
  EXPECT_TRUE(platform_.sfence_calls[1].range.all);
  EXPECT_TRUE(platform_.sfence_calls[2].range.all);
  EXPECT_EQ(platform_.sfence_calls[3].range.asid, 7u);
  EXPECT_EQ(platform_.sfence_calls[3].range.start, 0x2000u);
}

TEST_F(SbiLegacyTest, RemoteSfenceVmaRangeThatWrapsIsRefused) {
  write64(kMaskPa, 0b0010);
  EXPECT_EQ(call(eid::kLegacyRemoteSfenceVma, 0, {kMaskPa, ~0ull - 0xfff, 0x2000}).error(),
            kErrInvalidAddress);
  EXPECT_TRUE(platform_.sfence_calls.empty());
  // Up to the very top is fine.
  EXPECT_EQ(call(eid::kLegacyRemoteSfenceVma, 0, {kMaskPa, ~0ull - 0xfff, 0x1000}).error(), kSuccess);
}

TEST_F(SbiLegacyTest, ShutdownEndsTheRun) {
  const Result r = call(eid::kLegacyShutdown, 0);
  EXPECT_EQ(r.exit.reason, ExitReason::Shutdown);
  EXPECT_EQ(r.exit.detail, 0u);
  ASSERT_EQ(platform_.resets.size(), 1u);
  EXPECT_EQ(platform_.resets[0].type, ResetType::Shutdown);
  EXPECT_EQ(platform_.resets[0].reason, ResetReason::None);
}

TEST_F(SbiLegacyTest, ReservedLegacyIdsAreNotSupported) {
  for (uint64_t e = 0x09; e <= 0x0f; e++) {
    const Result r = call(e, 0);
    EXPECT_EQ(r.error(), kErrNotSupported) << e;
    expect_returned();
    expect_legacy_preserved(0);
  }
}

TEST_F(SbiLegacyTest, FunctionIdIsIgnored) {
  const Result r = call(eid::kLegacyPutchar, 0x1234, {'z'});
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(platform_.console_out, "z");
}

}  // namespace
}  // namespace strata::testing
