// HSM: hart start, stop, status and suspend, with the spec's error codes and the register
// state a started or resumed hart begins with.
#include "sbi_fixture.h"

namespace strata::testing {
namespace {

using namespace sbi;

class SbiHsmTest : public SbiFixture {
 protected:
  static constexpr uint64_t kEntry = kRamBase + 0x30000;
};

TEST_F(SbiHsmTest, GetStatusReportsTheBoardsStates) {
  platform_.states = {HartState::Started, HartState::Stopped, HartState::Suspended, HartState::StartPending};
  for (uint64_t id = 0; id < kHarts; id++) {
    const Result r = call(eid::kHsm, fid::kHartGetStatus, {id});
    EXPECT_EQ(r.error(), kSuccess);
    EXPECT_EQ(r.a1, uint64_t(platform_.states[id])) << id;
  }
  expect_returned();
  expect_preserved(0);
}

TEST_F(SbiHsmTest, GetStatusOfAHartThatDoesNotExist) {
  for (uint64_t id : {uint64_t(kHarts), uint64_t(1) << 32, ~uint64_t(0)})
    EXPECT_EQ(call(eid::kHsm, fid::kHartGetStatus, {id}).error(), kErrInvalidParam);
}

TEST_F(SbiHsmTest, StartSetsUpTheTargetAsTheSpecSays) {
  Hart& target = hart_at(2);
  platform_.states[2] = HartState::Stopped;
  // Leftovers of an earlier life the start must not keep.
  set_priv(target, Priv::M);
  m_csr(target, csrnum::kSatp, (satp::kSv39 << 60) | (kTablePool >> 12));
  m_csr(target, csrnum::kMstatus, target.csr.mstatus | mstatus::kSIE);
  target.reserved = true;
  const Result r = call(eid::kHsm, fid::kHartStart, {2, kEntry, 0xfeed});
  EXPECT_EQ(r.error(), kSuccess);
  expect_returned();
  expect_preserved(0, {12});
  ASSERT_EQ(platform_.starts.size(), 1u);
  EXPECT_EQ(target.pc, kEntry);
  EXPECT_EQ(target.x[10], 2u);
  EXPECT_EQ(target.x[11], 0xfeedu);
  EXPECT_EQ(target.priv, Priv::S);
  EXPECT_EQ(target.csr.satp, 0u);
  EXPECT_FALSE(target.csr.mstatus & mstatus::kSIE);
  EXPECT_FALSE(target.reserved);
  // And it runs there, translation off.
  write32(kEntry, enc_i(Op::Addi, 5, 10, 40));
  target.run(1);
  EXPECT_EQ(target.x[5], 42u);
  EXPECT_EQ(target.pc, kEntry + 4);
}

TEST_F(SbiHsmTest, StartForgetsCodeDecodedBeforeTheHartStopped) {
  Hart& target = hart_at(1);
  write32(kEntry, enc_i(Op::Addi, 5, 0, 1));
  target.pc = kEntry;
  target.run(1);
  ASSERT_EQ(target.x[5], 1u);
  platform_.states[1] = HartState::Stopped;
  write32(kEntry, enc_i(Op::Addi, 5, 0, 2));  // written by another hart: no fence.i reaches a stopped hart
  EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {1, kEntry, 0}).error(), kSuccess);
  target.run(1);
  EXPECT_EQ(target.x[5], 2u);
}

TEST_F(SbiHsmTest, StartOfAHartThatDoesNotExist) {
  for (uint64_t id : {uint64_t(kHarts), ~uint64_t(0)})
    EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {id, kEntry, 0}).error(), kErrInvalidParam);
  EXPECT_TRUE(platform_.starts.empty());
}

TEST_F(SbiHsmTest, StartAddressMustBeRam) {
  platform_.states[1] = HartState::Stopped;
  for (uint64_t addr :
       std::initializer_list<uint64_t>{0, 0x1000, 0x1000'0000, kRamBase - 2, kRamBase + kRamSize,
                                       kRamBase + kRamSize - 1, kEntry + 1, ~0ull - 1}) {
    EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {1, addr, 0}).error(), kErrInvalidAddress) << std::hex << addr;
    expect_returned();
  }
  EXPECT_TRUE(platform_.starts.empty());
  EXPECT_EQ(platform_.states[1], HartState::Stopped);
  // The last halfword of RAM is a valid (compressed) entry.
  EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {1, kRamBase + kRamSize - 2, 0}).error(), kSuccess);
}

TEST_F(SbiHsmTest, InvalidHartIsReportedBeforeInvalidAddress) {
  EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {9, 0x1000, 0}).error(), kErrInvalidParam);
}

TEST_F(SbiHsmTest, StartingAHartThatIsNotStopped) {
  for (HartState s : {HartState::Started, HartState::StartPending, HartState::Suspended}) {
    platform_.states[3] = s;
    EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {3, kEntry, 0}).error(), kErrAlreadyAvailable);
  }
  EXPECT_EQ(call(eid::kHsm, fid::kHartStart, {0, kEntry, 0}).error(), kErrAlreadyAvailable);  // itself
  EXPECT_NE(hart_at(3).pc, kEntry);
}

TEST_F(SbiHsmTest, StopLeavesTheRunAndDoesNotReturn) {
  const Result r = call_on(1, eid::kHsm, fid::kHartStop);
  EXPECT_EQ(r.exit.reason, ExitReason::WaitForInterrupt);
  EXPECT_EQ(platform_.stops, (std::vector<uint64_t>{1}));
  EXPECT_EQ(platform_.states[1], HartState::Stopped);
  EXPECT_EQ(r.a0, kSentinel | 10);  // nothing returned
  EXPECT_EQ(r.a1, kSentinel | 11);
}

TEST_F(SbiHsmTest, StopRefusedByTheBoardReturnsTheError) {
  platform_.stop_result = kErrFailed;
  const Result r = call(eid::kHsm, fid::kHartStop);
  EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
  EXPECT_EQ(r.error(), kErrFailed);
  expect_returned();
}

TEST_F(SbiHsmTest, RetentiveSuspendReturnsSuccessAfterWaiting) {
  const Result r = call_on(3, eid::kHsm, fid::kHartSuspend, {kSuspendDefaultRetentive, 0, 0});
  EXPECT_EQ(r.exit.reason, ExitReason::WaitForInterrupt);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 0u);
  expect_returned(3);
  expect_preserved(3, {12});
  ASSERT_EQ(platform_.suspends.size(), 1u);
  EXPECT_EQ(platform_.suspends[0].hartid, 3u);
  EXPECT_TRUE(platform_.suspends[0].retentive);
  EXPECT_EQ(platform_.states[3], HartState::Suspended);
}

TEST_F(SbiHsmTest, SuspendTypeIs32Bits) {
  const Result r = call(eid::kHsm, fid::kHartSuspend, {0xffff'ffff'0000'0000, 0, 0});
  EXPECT_EQ(r.exit.reason, ExitReason::WaitForInterrupt);
  EXPECT_EQ(r.error(), kSuccess);
  ASSERT_EQ(platform_.suspends.size(), 1u);
  EXPECT_TRUE(platform_.suspends[0].retentive);
}

TEST_F(SbiHsmTest, NonRetentiveSuspendResumesAtTheAddress) {
  // Hart 0 with translation on (its ecall mapped) and interrupts enabled.
  use_mode(satp::kSv39, 3);
  map(kCode & kPageMask, kCode & kPageMask, kR | kX | kA);
  m_csr(hart(), csrnum::kSstatus, mstatus::kSIE);
  const Result r = call(eid::kHsm, fid::kHartSuspend, {kSuspendDefaultNonRetentive, kEntry, 0xabc});
  EXPECT_EQ(r.exit.reason, ExitReason::WaitForInterrupt);
  EXPECT_EQ(hart().pc, kEntry);
  EXPECT_EQ(r.a0, 0u);  // the hart id
  EXPECT_EQ(r.a1, 0xabcu);
  EXPECT_EQ(hart().priv, Priv::S);
  EXPECT_EQ(hart().csr.satp, 0u);
  EXPECT_FALSE(hart().csr.mstatus & mstatus::kSIE);
  ASSERT_EQ(platform_.suspends.size(), 1u);
  EXPECT_FALSE(platform_.suspends[0].retentive);
  // It resumes there, physically addressed.
  write32(kEntry, enc_i(Op::Addi, 5, 11, 1));
  hart().run(1);
  EXPECT_EQ(hart().x[5], 0xabdu);
}

TEST_F(SbiHsmTest, NonRetentiveSuspendWithABadResumeAddress) {
  for (uint64_t addr : {uint64_t(0), kEntry + 1, kRamBase + kRamSize}) {
    const Result r = call(eid::kHsm, fid::kHartSuspend, {kSuspendDefaultNonRetentive, addr, 0});
    EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
    EXPECT_EQ(r.error(), kErrInvalidAddress);
    expect_returned();
  }
  EXPECT_TRUE(platform_.suspends.empty());
  // A retentive suspend ignores the address.
  EXPECT_EQ(call(eid::kHsm, fid::kHartSuspend, {kSuspendDefaultRetentive, 1, 0}).error(), kSuccess);
}

TEST_F(SbiHsmTest, ReservedAndPlatformSpecificSuspendTypes) {
  for (uint64_t type : {0x1ull, 0x0fff'ffffull, 0x1000'0000ull, 0x7fff'ffffull, 0x8000'0001ull,
                        0x8fff'ffffull, 0x9000'0000ull, 0xffff'ffffull}) {
    const Result r = call(eid::kHsm, fid::kHartSuspend, {type, kEntry, 0});
    EXPECT_EQ(r.error(), kErrInvalidParam) << std::hex << type;
    EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
  }
  EXPECT_TRUE(platform_.suspends.empty());
}

TEST_F(SbiHsmTest, SuspendRefusedByTheBoardChangesNothing) {
  platform_.suspend_result = kErrNotSupported;
  const Result r = call(eid::kHsm, fid::kHartSuspend, {kSuspendDefaultNonRetentive, kEntry, 7});
  EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
  EXPECT_EQ(r.error(), kErrNotSupported);
  expect_returned();
  expect_preserved(0, {12});
}

TEST_F(SbiHsmTest, UnknownFunction) { EXPECT_EQ(call(eid::kHsm, 4).error(), kErrNotSupported); }

}  // namespace
}  // namespace strata::testing
