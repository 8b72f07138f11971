// RFENCE: remote fence.i and sfence.vma on a hart mask. The caller's own part is done at
// once and precisely (checked through real loads); the others' goes to the board.
#include "mem/code_pages.h"
#include "sbi_fixture.h"

namespace strata::testing {
namespace {

using namespace sbi;

class SbiRfenceTest : public SbiFixture {
 protected:
  static constexpr uint64_t kVa = 0x4000'0000, kPa1 = kRamBase + 0x40000, kPa2 = kRamBase + 0x41000;
  static constexpr uint16_t kAsid = 5;

  // Hart 0 in Sv39 (ASID 5): its code page at its own address, kVa -> kPa1, and a load
  // `ld x5, 0(x6)` right after its ecall.
  void SetUp() override {
    use_mode(satp::kSv39, kAsid);
    map(kCode & kPageMask, kCode & kPageMask, kR | kX | kA);
    pte_ = map(kVa, kPa1, kR | kW | kA | kD);
    write64(kPa1, 111);
    write64(kPa2, 222);
    write32(code_of(0) + 4, enc_i(Op::Ld, 5, 6, 0));
  }
  // What the load after the ecall reads at kVa now.
  uint64_t load_va() {
    hart().pc = code_of(0) + 4;
    hart().x[6] = kVa;
    hart().run(1);
    return hart().x[5];
  }
  // Points kVa at kPa2 behind the hart's back, after making sure the old one is cached.
  void remap_stale() {
    ASSERT_EQ(load_va(), 111u);
    write64(pte_, ((kPa2 >> 12) << 10) | kR | kW | kA | kD | pte::kV);
    ASSERT_EQ(load_va(), 111u) << "the old translation should still be cached";
  }
  Result sfence(uint64_t start, uint64_t size) {
    return call(eid::kRfence, fid::kRemoteSfenceVma, {1, 0, start, size});
  }
  Result sfence_asid(uint64_t start, uint64_t size, uint64_t asid) {
    return call(eid::kRfence, fid::kRemoteSfenceVmaAsid, {1, 0, start, size, asid});
  }

  uint64_t pte_ = 0;
};

TEST_F(SbiRfenceTest, SelfSfenceOfThePageForgetsIt) {
  remap_stale();
  EXPECT_EQ(sfence(kVa + 0x800, 8).error(), kSuccess);
  expect_returned();
  expect_preserved(0, {12, 13});
  EXPECT_EQ(load_va(), 222u);
  EXPECT_TRUE(platform_.sfence_calls.empty());  // the caller is not the board's business
}

TEST_F(SbiRfenceTest, SelfSfenceOfOtherPagesKeepsIt) {
  remap_stale();
  EXPECT_EQ(sfence(kVa + kPageSize, 0x10000).error(), kSuccess);
  EXPECT_EQ(sfence(kVa - kPageSize, kPageSize).error(), kSuccess);
  EXPECT_EQ(sfence(kVa, 0).error(), kSuccess);  // an empty range (start is not 0)
  EXPECT_EQ(load_va(), 111u);
}

TEST_F(SbiRfenceTest, SelfSfenceOfEverything) {
  remap_stale();
  EXPECT_EQ(sfence(0, 0).error(), kSuccess);
  EXPECT_EQ(load_va(), 222u);
  write64(pte_, ((kPa1 >> 12) << 10) | kR | kW | kA | kD | pte::kV);
  EXPECT_EQ(sfence(0x1234, ~0ull).error(), kSuccess);
  EXPECT_EQ(load_va(), 111u);
}

TEST_F(SbiRfenceTest, SelfSfenceOfAHugeRangeCoveringThePage) {
  remap_stale();
  EXPECT_EQ(sfence(0x1000, kVa).error(), kSuccess);  // many pages: everything goes
  EXPECT_EQ(load_va(), 222u);
}

TEST_F(SbiRfenceTest, SelfSfenceWithAsidOnlyTouchesThatAddressSpace) {
  remap_stale();
  EXPECT_EQ(sfence_asid(kVa, kPageSize, kAsid + 1).error(), kSuccess);
  EXPECT_EQ(load_va(), 111u);
  EXPECT_EQ(sfence_asid(kVa, kPageSize, kAsid).error(), kSuccess);
  EXPECT_EQ(load_va(), 222u);
}

TEST_F(SbiRfenceTest, OthersGoToTheBoardWithTheRange) {
  platform_.states[3] = HartState::Stopped;
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteSfenceVmaAsid, {0b1111, 0, 0x5000, 0x2000, 9}).error(), kSuccess);
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteSfenceVma, {0b0110, 0, 0, 0}).error(), kSuccess);
  ASSERT_EQ(platform_.sfence_calls.size(), 2u);
  EXPECT_EQ(platform_.sfence_calls[0].harts, (std::vector<uint64_t>{1, 2}));  // not self, not stopped
  EXPECT_FALSE(platform_.sfence_calls[0].range.all);
  EXPECT_EQ(platform_.sfence_calls[0].range.start, 0x5000u);
  EXPECT_EQ(platform_.sfence_calls[0].range.size, 0x2000u);
  EXPECT_EQ(platform_.sfence_calls[0].range.asid, 9u);
  EXPECT_EQ(platform_.sfence_calls[1].harts, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(platform_.sfence_calls[1].range.all);
  EXPECT_FALSE(platform_.sfence_calls[1].range.asid);
}

TEST_F(SbiRfenceTest, FenceIFencesTheCallersDecodedCodeAndAsksForTheOthers) {
  call(eid::kBase, fid::kGetSpecVersion);
  ASSERT_TRUE(hart().code_pages->held(kCode & kPageMask));
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteFenceI, {0b1011, 0}).error(), kSuccess);
  ASSERT_EQ(platform_.fence_i_calls.size(), 1u);
  EXPECT_EQ(platform_.fence_i_calls[0], (std::vector<uint64_t>{1, 3}));
  expect_returned();
  EXPECT_TRUE(runs_code_written_behind_its_back());
}

TEST_F(SbiRfenceTest, FenceIOnOthersOnlyKeepsTheCallersCode) {
  call(eid::kBase, fid::kGetSpecVersion);
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteFenceI, {0b1, 1}).error(), kSuccess);
  EXPECT_TRUE(hart().code_pages->held(kCode & kPageMask));
  EXPECT_EQ(platform_.fence_i_calls, (std::vector<std::vector<uint64_t>>{{1}}));
}

TEST_F(SbiRfenceTest, FenceToEveryHart) {
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteFenceI, {0, kAllHarts}).error(), kSuccess);
  EXPECT_EQ(platform_.fence_i_calls, (std::vector<std::vector<uint64_t>>{{1, 2, 3}}));
}

TEST_F(SbiRfenceTest, InvalidMaskIsRefusedBeforeAnything) {
  remap_stale();
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteSfenceVma, {0b10001, 0, 0, 0}).error(), kErrInvalidParam);
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteFenceI, {1, 7}).error(), kErrInvalidParam);
  EXPECT_TRUE(platform_.sfence_calls.empty());
  EXPECT_TRUE(platform_.fence_i_calls.empty());
  EXPECT_EQ(load_va(), 111u);
}

TEST_F(SbiRfenceTest, RangeWrappingPastTheTopIsAnInvalidAddress) {
  remap_stale();
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteSfenceVma, {0b11, 0, ~0ull - 0xfff, 0x1001}).error(),
            kErrInvalidAddress);
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteSfenceVmaAsid, {0b11, 0, 3, ~0ull - 1, kAsid}).error(),
            kErrInvalidAddress);
  EXPECT_TRUE(platform_.sfence_calls.empty());
  EXPECT_EQ(load_va(), 111u);
  EXPECT_EQ(call(eid::kRfence, fid::kRemoteSfenceVma, {0b10, 0, ~0ull - 0xfff, 0x1000}).error(), kSuccess);
}

TEST_F(SbiRfenceTest, HypervisorFencesAreNotSupported) {
  for (uint64_t f = fid::kRemoteHfenceGvmaVmid; f <= fid::kRemoteHfenceVvma; f++) {
    EXPECT_EQ(call(eid::kRfence, f, {0b11, 0, 0, 0, 1}).error(), kErrNotSupported) << f;
    expect_returned();
  }
  EXPECT_EQ(call(eid::kRfence, 7, {0b11, 0}).error(), kErrNotSupported);
  EXPECT_TRUE(platform_.sfence_calls.empty());
  EXPECT_TRUE(platform_.fence_i_calls.empty());
}

}  // namespace
}  // namespace strata::testing
