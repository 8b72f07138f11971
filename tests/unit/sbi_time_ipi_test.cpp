// TIME and sPI: set_timer and IPIs on (hart_mask, hart_mask_base).
#include "sbi_fixture.h"

namespace strata::testing {
namespace {

using namespace sbi;

class SbiTimeIpiTest : public SbiFixture {
 protected:
  Result send_ipi(uint64_t mask, uint64_t base, unsigned from = 0) {
    platform_.ipis.clear();
    return call_on(from, eid::kIpi, fid::kSendIpi, {mask, base});
  }
};

TEST_F(SbiTimeIpiTest, SetTimerClearsStipAndPassesTheDeadline) {
  hart_at(2).set_pending(irq::kSTI, true);
  const Result r = call_on(2, eid::kTime, fid::kSetTimer, {0x1234'5678'9abc});
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 0u);
  EXPECT_FALSE(hart_at(2).csr.mip & bit(irq::kSTI));
  ASSERT_EQ(platform_.timers.size(), 1u);
  EXPECT_EQ(platform_.timers[0].hartid, 2u);
  EXPECT_EQ(platform_.timers[0].deadline, 0x1234'5678'9abcu);
  expect_returned(2);
  expect_preserved(2);
}

TEST_F(SbiTimeIpiTest, SetTimerInThePastLeavesStipToTheBoard) {
  clock_.ticks = 1000;
  call(eid::kTime, fid::kSetTimer, {999});  // the fake board raises it when due, as boards must
  EXPECT_TRUE(hart().csr.mip & bit(irq::kSTI));
}

TEST_F(SbiTimeIpiTest, TimeUnknownFunction) {
  EXPECT_EQ(call(eid::kTime, 1, {5}).error(), kErrNotSupported);
  EXPECT_TRUE(platform_.timers.empty());
}

TEST_F(SbiTimeIpiTest, MaskFromBase) {
  EXPECT_EQ(send_ipi(0b101, 0).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{0, 2}));
  EXPECT_EQ(send_ipi(0b11, 2).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(send_ipi(1, 3).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{3}));
  for (unsigned i = 0; i < kHarts; i++) EXPECT_EQ(bool(hart_at(i).csr.mip & bit(irq::kSSI)), i != 1) << i;
  expect_returned();
  expect_preserved(0);
}

TEST_F(SbiTimeIpiTest, BaseMinusOneMeansEveryHartWhateverTheMask) {
  for (uint64_t mask : {0ull, 1ull, ~0ull}) {
    EXPECT_EQ(send_ipi(mask, kAllHarts).error(), kSuccess);
    EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{0, 1, 2, 3}));
  }
}

TEST_F(SbiTimeIpiTest, EmptyMaskSendsNothing) {
  EXPECT_EQ(send_ipi(0, 1).error(), kSuccess);
  EXPECT_TRUE(platform_.ipis.empty());
}

TEST_F(SbiTimeIpiTest, InvalidHartsAreRefusedAndNothingIsSent) {
  const std::pair<uint64_t, uint64_t> bad[] = {
      {1, 4},           // base beyond the harts
      {0, 4},           // even with an empty mask
      {0b1001, 1},      // hart 4 does not exist, hart 1 does
      {1ull << 63, 0},  // hart 63
      {1ull << 63, 3},  // base + bit overflows nothing but is far beyond
      {1, ~0ull - 1},   // a base near the top: base + bit wraps
      {0b11, 0x7fff'ffff'ffff'ffff},
  };
  for (auto [mask, base] : bad) {
    const Result r = send_ipi(mask, base);
    EXPECT_EQ(r.error(), kErrInvalidParam) << std::hex << mask << " " << base;
    EXPECT_TRUE(platform_.ipis.empty());
    expect_returned();
  }
  for (unsigned i = 0; i < kHarts; i++) EXPECT_FALSE(hart_at(i).csr.mip & bit(irq::kSSI)) << i;
}

TEST_F(SbiTimeIpiTest, HartsThatCannotTakeAnInterruptAreSkipped) {
  platform_.states = {HartState::Started, HartState::Stopped, HartState::StartPending, HartState::Suspended};
  EXPECT_EQ(send_ipi(0b1111, 0).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{0, 3}));
  platform_.states = {HartState::Started, HartState::StopPending, HartState::SuspendPending,
                      HartState::ResumePending};
  EXPECT_EQ(send_ipi(0b1111, 0).error(), kSuccess);
  EXPECT_EQ(platform_.ipis, (std::vector<uint64_t>{0, 2, 3}));
}

TEST_F(SbiTimeIpiTest, AnIpiToSelfIsTakenAfterTheEcall) {
  m_csr(hart(), csrnum::kMideleg, bit(irq::kSSI));
  m_csr(hart(), csrnum::kSie, bit(irq::kSSI));
  m_csr(hart(), csrnum::kSstatus, mstatus::kSIE);
  EXPECT_EQ(send_ipi(1, 0).error(), kSuccess);
  hart().run(1);  // the interrupt is taken before the next instruction
  EXPECT_EQ(hart().csr.scause, cause::kInterrupt | irq::kSSI);
  EXPECT_EQ(hart().csr.sepc, code_of(0) + 4);
}

TEST_F(SbiTimeIpiTest, IpiUnknownFunction) {
  EXPECT_EQ(call(eid::kIpi, 1, {1, 0}).error(), kErrNotSupported);
  EXPECT_TRUE(platform_.ipis.empty());
}

}  // namespace
}  // namespace strata::testing
