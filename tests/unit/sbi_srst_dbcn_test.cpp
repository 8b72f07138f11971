// SRST (system reset) and DBCN (debug console): reset types and reasons, and console
// transfers between the host and guest physical memory that the guest may point anywhere.
#include <cstring>

#include "sbi_fixture.h"

namespace strata::testing {
namespace {

using namespace sbi;

class SbiSrstDbcnTest : public SbiFixture {
 protected:
  static constexpr uint64_t kBuf = kRamBase + 0x50000;
  static constexpr uint64_t kRamEnd = kRamBase + kRamSize;
  void put(uint64_t pa, const std::string& s) { std::memcpy(ram_.host(pa), s.data(), s.size()); }
  std::string get(uint64_t pa, size_t n) {
    return std::string(reinterpret_cast<const char*>(ram_.host(pa)), n);
  }
  Result write(uint64_t len, uint64_t lo, uint64_t hi = 0) {
    return call(eid::kDbcn, fid::kConsoleWrite, {len, lo, hi});
  }
  Result read(uint64_t len, uint64_t lo, uint64_t hi = 0) {
    return call(eid::kDbcn, fid::kConsoleRead, {len, lo, hi});
  }
};

// --- SRST ---------------------------------------------------------------------------

TEST_F(SbiSrstDbcnTest, ShutdownEndsTheRunWithStatusZero) {
  const Result r = call(eid::kSrst, fid::kSystemReset, {0, 0});
  EXPECT_EQ(r.exit.reason, ExitReason::Shutdown);
  EXPECT_EQ(r.exit.detail, 0u);
  ASSERT_EQ(platform_.resets.size(), 1u);
  EXPECT_EQ(platform_.resets[0].type, ResetType::Shutdown);
  EXPECT_EQ(platform_.resets[0].reason, ResetReason::None);
}

TEST_F(SbiSrstDbcnTest, ShutdownAfterASystemFailureEndsWithStatusOne) {
  const Result r = call(eid::kSrst, fid::kSystemReset, {0, 1});
  EXPECT_EQ(r.exit.reason, ExitReason::Shutdown);
  EXPECT_EQ(r.exit.detail, 1u);
  EXPECT_EQ(platform_.resets.at(0).reason, ResetReason::SystemFailure);
}

TEST_F(SbiSrstDbcnTest, ColdAndWarmReboot) {
  Result r = call(eid::kSrst, fid::kSystemReset, {1, 0});
  EXPECT_EQ(r.exit.reason, ExitReason::Reset);
  EXPECT_EQ(r.exit.detail, 1u);
  r = call_on(2, eid::kSrst, fid::kSystemReset, {2, 1});
  EXPECT_EQ(r.exit.reason, ExitReason::Reset);
  EXPECT_EQ(r.exit.detail, 2u);
  ASSERT_EQ(platform_.resets.size(), 2u);
  EXPECT_EQ(platform_.resets[0].type, ResetType::ColdReboot);
  EXPECT_EQ(platform_.resets[1].type, ResetType::WarmReboot);
}

TEST_F(SbiSrstDbcnTest, ParametersAre32Bits) {
  const Result r = call(eid::kSrst, fid::kSystemReset, {0xffff'ffff'0000'0001, 0x1'0000'0000});
  EXPECT_EQ(r.exit.reason, ExitReason::Reset);
  EXPECT_EQ(platform_.resets.at(0).type, ResetType::ColdReboot);
  EXPECT_EQ(platform_.resets.at(0).reason, ResetReason::None);
}

TEST_F(SbiSrstDbcnTest, ReservedOrVendorTypesAndReasonsAreInvalid) {
  const std::pair<uint64_t, uint64_t> bad[] = {{3, 0},           {0xefff'ffff, 0}, {0xf000'0000, 0},
                                               {0xffff'ffff, 0}, {0, 2},           {0, 0xdfff'ffff},
                                               {1, 0xe000'0000}, {2, 0xf000'0000}, {0, 0xffff'ffff}};
  for (auto [type, reason] : bad) {
    const Result r = call(eid::kSrst, fid::kSystemReset, {type, reason});
    EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
    EXPECT_EQ(r.error(), kErrInvalidParam) << std::hex << type << " " << reason;
    expect_returned();
  }
  EXPECT_TRUE(platform_.resets.empty());
}

TEST_F(SbiSrstDbcnTest, ResetTheBoardCannotDoReturnsItsError) {
  platform_.reset_result = kErrNotSupported;
  const Result r = call(eid::kSrst, fid::kSystemReset, {2, 0});
  EXPECT_EQ(r.exit.reason, ExitReason::BudgetSpent);
  EXPECT_EQ(r.error(), kErrNotSupported);
  expect_returned();
  expect_preserved(0, {12});
}

TEST_F(SbiSrstDbcnTest, SrstUnknownFunction) {
  EXPECT_EQ(call(eid::kSrst, 1, {0, 0}).error(), kErrNotSupported);
  EXPECT_TRUE(platform_.resets.empty());
}

// --- DBCN ---------------------------------------------------------------------------

TEST_F(SbiSrstDbcnTest, WriteSendsTheBytes) {
  put(kBuf, "hello, console\n");
  const Result r = write(15, kBuf);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 15u);
  EXPECT_EQ(platform_.console_out, "hello, console\n");
  expect_returned();
  expect_preserved(0, {12});
}

TEST_F(SbiSrstDbcnTest, WriteUpToTheLastByteOfRam) {
  put(kRamEnd - 3, "end");
  EXPECT_EQ(write(3, kRamEnd - 3).a1, 3u);
  EXPECT_EQ(platform_.console_out, "end");
}

TEST_F(SbiSrstDbcnTest, WriteOfNothing) {
  const Result r = write(0, 0);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 0u);
  EXPECT_TRUE(platform_.console_out.empty());
}

TEST_F(SbiSrstDbcnTest, WriteOfALongStringIsPartial) {
  std::string text(10000, 'x');
  put(kBuf, text);
  const Result r = write(text.size(), kBuf);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_GT(r.a1, 0u);
  EXPECT_LT(r.a1, text.size());
  EXPECT_EQ(platform_.console_out.size(), r.a1);
}

TEST_F(SbiSrstDbcnTest, HostileRangesAreRefusedWithoutTouchingTheHost) {
  const std::tuple<uint64_t, uint64_t, uint64_t> bad[] = {
      {8, kRamEnd - 4, 0},          // runs past the end of RAM
      {1, kRamEnd, 0},              // just past it
      {16, kRamBase - 8, 0},        // starts below RAM
      {4, 0x1000'0000, 0},          // a device
      {4, 0, 0},                    // nothing there
      {4, kBuf, 1},                 // above 2^64
      {~0ull, kBuf, 0},             // a length beyond RAM
      {0x10, ~0ull - 7, 0},         // wraps around the address space
      {kRamSize + 1, kRamBase, 0},  // one byte more than RAM
  };
  for (auto [len, lo, hi] : bad) {
    EXPECT_EQ(write(len, lo, hi).error(), kErrInvalidParam) << std::hex << len << " " << lo << " " << hi;
    platform_.console_in = {'a', 'b'};
    EXPECT_EQ(read(len, lo, hi).error(), kErrInvalidParam) << std::hex << len << " " << lo << " " << hi;
    EXPECT_EQ(platform_.console_in.size(), 2u);  // nothing consumed
  }
  EXPECT_TRUE(platform_.console_out.empty());
}

TEST_F(SbiSrstDbcnTest, ReadWhatIsWaiting) {
  put(kBuf, "........");
  EXPECT_EQ(read(8, kBuf).a1, 0u);  // nothing waiting: nothing written
  EXPECT_EQ(get(kBuf, 8), "........");
  platform_.console_in = {'a', 'b', 'c'};
  Result r = read(2, kBuf);
  EXPECT_EQ(r.error(), kSuccess);
  EXPECT_EQ(r.a1, 2u);
  EXPECT_EQ(get(kBuf, 8), "ab......");
  r = read(8, kBuf + 4);
  EXPECT_EQ(r.a1, 1u);
  EXPECT_EQ(get(kBuf, 8), "ab..c...");
  expect_returned();
  expect_preserved(0, {12});
}

TEST_F(SbiSrstDbcnTest, ReadIntoCodeTheHartHasDecoded) {
  // An instruction the hart has run, then console input overwriting it: the new one runs.
  for (uint64_t at : {kRamBase + 0x60100, kRamBase + 0x61ffe /* across a page boundary */}) {
    const uint32_t before = enc_i(Op::Addi, 5, 5, 1), after = enc_i(Op::Addi, 5, 5, 100);
    std::memcpy(ram_.host(at), &before, 4);
    hart().x[5] = 0;
    hart().pc = at;
    hart().run(1);
    ASSERT_EQ(hart().x[5], 1u);
    for (unsigned i = 0; i < 4; i++) platform_.console_in.push_back(uint8_t(after >> (8 * i)));
    EXPECT_EQ(read(4, at).a1, 4u);
    hart().x[5] = 0;
    hart().pc = at;
    hart().run(1);
    EXPECT_EQ(hart().x[5], 100u) << std::hex << at;
  }
}

TEST_F(SbiSrstDbcnTest, WriteByte) {
  EXPECT_EQ(call(eid::kDbcn, fid::kConsoleWriteByte, {0x7700 | 'q'}).error(), kSuccess);
  EXPECT_EQ(platform_.console_out, "q");
}

TEST_F(SbiSrstDbcnTest, DbcnUnknownFunction) {
  EXPECT_EQ(call(eid::kDbcn, 3, {1, kBuf, 0}).error(), kErrNotSupported);
  EXPECT_TRUE(platform_.console_out.empty());
}

}  // namespace
}  // namespace strata::testing
