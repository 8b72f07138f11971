// Rounding corner cases of the software floating-point core in every rounding mode:
// exact halfway cases (RNE vs RMM), sticky bits far below the rounding point, overflow to
// infinity or the largest finite number by mode, underflow with and without inexact, and
// the tininess-after-rounding edge. Expected values come from the IEEE 754 and RISC-V rules.
#include <gtest/gtest.h>

#include "cpu/fp/fp.h"

namespace strata::testing {
namespace {

using namespace strata::fp;
using flag::NX, flag::UF, flag::OF;

constexpr Rm kModes[] = {Rm::RNE, Rm::RTZ, Rm::RDN, Rm::RUP, Rm::RMM};

// Expected result bits and flags per mode, in the order of kModes.
template <typename Bits>
struct PerMode {
  Bits bits[5];
  uint32_t flags[5];
};

template <typename F, typename Op>
void expect_per_mode(const char* what, Op op, const PerMode<typename F::Bits>& want) {
  for (int m = 0; m < 5; m++) {
    uint32_t flags = 0;
    const auto r = op(kModes[m], flags);
    EXPECT_EQ(r, want.bits[m]) << what << " rm=" << m << std::hex << " got 0x" << uint64_t(r);
    EXPECT_EQ(flags, want.flags[m]) << what << " rm=" << m;
  }
}

constexpr uint32_t kOne = 0x3f800000, kTwo = 0x40000000, kHalf = 0x3f000000;
constexpr uint32_t kTwoPow24Neg = 0x33800000;  // 2^-24: half an ulp of 1.0f

TEST(FpRound, HalfwayTiesToEvenAndAway) {
  // 1 + 2^-24 is exactly halfway between 1 and 1 + 2^-23.
  expect_per_mode<F32>("1+2^-24", [](Rm rm, uint32_t& f) { return add<F32>(kOne, kTwoPow24Neg, rm, f); },
                       {{0x3f800000, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800001}, {NX, NX, NX, NX, NX}});
  expect_per_mode<F32>(
      "-1-2^-24",
      [](Rm rm, uint32_t& f) { return add<F32>(kOne | 0x80000000, kTwoPow24Neg | 0x80000000, rm, f); },
      {{0xbf800000, 0xbf800000, 0xbf800001, 0xbf800000, 0xbf800001}, {NX, NX, NX, NX, NX}});
  // (1 + 2^-23) + 2^-24: halfway with an odd lower neighbour, so ties-to-even also rounds up.
  expect_per_mode<F32>("1+2^-23+2^-24",
                       [](Rm rm, uint32_t& f) { return add<F32>(0x3f800001, kTwoPow24Neg, rm, f); },
                       {{0x3f800002, 0x3f800001, 0x3f800001, 0x3f800002, 0x3f800002}, {NX, NX, NX, NX, NX}});
  // Double: 1 + 2^-53.
  expect_per_mode<F64>(
      "1+2^-53", [](Rm rm, uint32_t& f) { return add<F64>(0x3ff0000000000000, 0x3ca0000000000000, rm, f); },
      {{0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000001, 0x3ff0000000000001},
       {NX, NX, NX, NX, NX}});
}

TEST(FpRound, StickyBitsFarBelowTheRoundingPoint) {
  constexpr uint32_t kTiny = 0x0d800000;  // 2^-100
  expect_per_mode<F32>("1+2^-100", [](Rm rm, uint32_t& f) { return add<F32>(kOne, kTiny, rm, f); },
                       {{0x3f800000, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800000}, {NX, NX, NX, NX, NX}});
  expect_per_mode<F32>("1-2^-100", [](Rm rm, uint32_t& f) { return sub<F32>(kOne, kTiny, rm, f); },
                       {{0x3f800000, 0x3f7fffff, 0x3f7fffff, 0x3f800000, 0x3f800000}, {NX, NX, NX, NX, NX}});
  // Just above and just below halfway, by a product term far below the rounding point:
  // (1 + 2^-23) * 2^-24 + 1 and (1 - 2^-24) * 2^-24 + 1, rounded once.
  expect_per_mode<F32>(
      "1+2^-24+2^-47",
      [](Rm rm, uint32_t& f) { return fma<F32>(0x3f800001, kTwoPow24Neg, kOne, false, false, rm, f); },
      {{0x3f800001, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800001}, {NX, NX, NX, NX, NX}});
  expect_per_mode<F32>(
      "1+2^-24-2^-48",
      [](Rm rm, uint32_t& f) { return fma<F32>(0x3f7fffff, kTwoPow24Neg, kOne, false, false, rm, f); },
      {{0x3f800000, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800000}, {NX, NX, NX, NX, NX}});
}

TEST(FpRound, OverflowGoesToInfinityOrMaxFiniteByMode) {
  constexpr uint32_t kMax = 0x7f7fffff, kNegMax = 0xff7fffff;
  expect_per_mode<F32>(
      "max*2", [](Rm rm, uint32_t& f) { return mul<F32>(kMax, kTwo, rm, f); },
      {{0x7f800000, kMax, kMax, 0x7f800000, 0x7f800000}, {OF | NX, OF | NX, OF | NX, OF | NX, OF | NX}});
  expect_per_mode<F32>("-max*2", [](Rm rm, uint32_t& f) { return mul<F32>(kNegMax, kTwo, rm, f); },
                       {{0xff800000, kNegMax, 0xff800000, kNegMax, 0xff800000},
                        {OF | NX, OF | NX, OF | NX, OF | NX, OF | NX}});
  // max + half an ulp (2^103) is a tie: to-nearest rounds up to 2^128, which overflows;
  // rounding down leaves max, which is no overflow at all.
  expect_per_mode<F32>(
      "max+half ulp", [](Rm rm, uint32_t& f) { return add<F32>(kMax, 0x73000000, rm, f); },
      {{0x7f800000, kMax, kMax, 0x7f800000, 0x7f800000}, {OF | NX, NX, NX, OF | NX, OF | NX}});
  // max + a quarter ulp: only rounding up overflows.
  expect_per_mode<F32>("max+quarter ulp",
                       [](Rm rm, uint32_t& f) { return add<F32>(kMax, 0x72800000, rm, f); },
                       {{kMax, kMax, kMax, 0x7f800000, kMax}, {NX, NX, NX, OF | NX, NX}});
  expect_per_mode<F64>(
      "dmax*2", [](Rm rm, uint32_t& f) { return mul<F64>(0x7fefffffffffffff, 0x4000000000000000, rm, f); },
      {{0x7ff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x7ff0000000000000, 0x7ff0000000000000},
       {OF | NX, OF | NX, OF | NX, OF | NX, OF | NX}});
}

TEST(FpRound, ExactSubnormalResultsRaiseNothing) {
  uint32_t flags = 0;
  EXPECT_EQ(mul<F32>(0x00800000, kHalf, Rm::RNE, flags), 0x00400000u);  // 2^-126 / 2
  EXPECT_EQ(sub<F32>(0x00800001, 0x00800000, Rm::RNE, flags), 0x00000001u);
  EXPECT_EQ(add<F32>(0x00000001, 0x00000001, Rm::RNE, flags), 0x00000002u);
  EXPECT_EQ(flags, 0u);
}

TEST(FpRound, InexactSubnormalResultsUnderflow) {
  // 2^-150: halfway between 0 and the smallest subnormal.
  expect_per_mode<F32>("2^-149/2", [](Rm rm, uint32_t& f) { return mul<F32>(0x00000001, kHalf, rm, f); },
                       {{0, 0, 0, 1, 1}, {UF | NX, UF | NX, UF | NX, UF | NX, UF | NX}});
  expect_per_mode<F32>("-2^-149/2", [](Rm rm, uint32_t& f) { return mul<F32>(0x80000001, kHalf, rm, f); },
                       {{0x80000000, 0x80000000, 0x80000001, 0x80000000, 0x80000001},
                        {UF | NX, UF | NX, UF | NX, UF | NX, UF | NX}});
  // 3 * 2^-150: halfway between subnormals 1 and 2.
  expect_per_mode<F32>("3*2^-150", [](Rm rm, uint32_t& f) { return mul<F32>(0x00000003, kHalf, rm, f); },
                       {{2, 1, 1, 2, 2}, {UF | NX, UF | NX, UF | NX, UF | NX, UF | NX}});
}

TEST(FpRound, TininessIsDetectedAfterRounding) {
  // (1 - 2^-25) * 2^-126 needs 25 bits. Rounded to 24 bits with an unbounded exponent it
  // becomes 2^-126 in the modes that round up: not tiny, so only NX (tininess before
  // rounding would say UF). Rounding down it stays below 2^-126: tiny, so UF.
  expect_per_mode<F32>(
      "(1-2^-25)*2^-126", [](Rm rm, uint32_t& f) { return convert<F32, F64>(0x380ffffff0000000, rm, f); },
      {{0x00800000, 0x007fffff, 0x007fffff, 0x00800000, 0x00800000}, {NX, UF | NX, UF | NX, NX, NX}});
  // (1 - 2^-24) * 2^-126 fits 24 bits, so it is tiny whatever the mode even when the
  // subnormal rounding carries it up to the smallest normal.
  expect_per_mode<F32>("(1-2^-24)*2^-126",
                       [](Rm rm, uint32_t& f) { return convert<F32, F64>(0x380fffffe0000000, rm, f); },
                       {{0x00800000, 0x007fffff, 0x007fffff, 0x00800000, 0x00800000},
                        {UF | NX, UF | NX, UF | NX, UF | NX, UF | NX}});
  // The same edge in double precision through a product: (1 - 2^-53) * 2^-1022 is tiny.
  expect_per_mode<F64>(
      "(1-2^-53)*2^-1022",
      [](Rm rm, uint32_t& f) { return mul<F64>(0x3fefffffffffffff, 0x0010000000000000, rm, f); },
      {{0x0010000000000000, 0x000fffffffffffff, 0x000fffffffffffff, 0x0010000000000000, 0x0010000000000000},
       {UF | NX, UF | NX, UF | NX, UF | NX, UF | NX}});
  // (1 - 2^-52)(1 + 2^-52) * 2^-1022 = (1 - 2^-104) * 2^-1022: rounding up reaches 2^-1022
  // at full precision, so it is not tiny; rounding down it is.
  expect_per_mode<F64>(
      "(1-2^-104)*2^-1022",
      [](Rm rm, uint32_t& f) { return mul<F64>(0x3feffffffffffffe, 0x0010000000000001, rm, f); },
      {{0x0010000000000000, 0x000fffffffffffff, 0x000fffffffffffff, 0x0010000000000000, 0x0010000000000000},
       {NX, UF | NX, UF | NX, NX, NX}});
}

TEST(FpRound, SignOfExactZeroSums) {
  for (Rm rm : kModes) {
    const uint32_t want = rm == Rm::RDN ? 0x80000000 : 0;
    uint32_t flags = 0;
    EXPECT_EQ(add<F32>(kOne, kOne | 0x80000000, rm, flags), want);
    EXPECT_EQ(sub<F32>(kOne, kOne, rm, flags), want);
    EXPECT_EQ(add<F32>(0, 0x80000000, rm, flags), want);
    EXPECT_EQ(add<F32>(0x80000000, 0x80000000, rm, flags), 0x80000000u);  // like signs keep theirs
    EXPECT_EQ(sub<F32>(0x80000000, 0, rm, flags), 0x80000000u);
    EXPECT_EQ(add<F64>(0x0000000000000001, 0x8000000000000001, rm, flags), uint64_t(want) << 32);
    EXPECT_EQ(fma<F32>(kOne, kOne, kOne, false, true, rm, flags), want);      // fmsub 1*1-1
    EXPECT_EQ(fma<F32>(kOne, kOne, kOne, true, false, rm, flags), want);      // fnmsub -(1*1)+1
    EXPECT_EQ(fma<F32>(0, kOne, 0x80000000, false, false, rm, flags), want);  // +0 + -0
    EXPECT_EQ(fma<F32>(0, kOne, 0, true, true, rm, flags), 0x80000000u);      // fnmadd: -0 - +0
    EXPECT_EQ(flags, 0u);
  }
}

}  // namespace
}  // namespace strata::testing
