// Special operands of the arithmetic operations: NaNs (never propagated, NV only for
// signalling ones or invalid operations), infinities, zeros and their signs, division by
// zero, square roots, and the fused multiply-add's single rounding and its inf * 0 rule.
#include <gtest/gtest.h>

#include "cpu/fp/fp.h"

namespace strata::testing {
namespace {

using namespace strata::fp;
using flag::NX, flag::NV, flag::DZ;

constexpr uint32_t kOne = 0x3f800000, kTwo = 0x40000000, kThree = 0x40400000, kInf = 0x7f800000,
                   kNegInf = 0xff800000, kQNaN = 0x7fc00000, kQNaNPayload = 0x7fc12345, kSNaN = 0x7f800001,
                   kNegZero = 0x80000000, kNaN = F32::kCanonicalNaN;

struct Result {
  uint64_t bits;
  uint32_t flags;
  bool operator==(const Result&) const = default;
};
std::ostream& operator<<(std::ostream& o, const Result& r) {
  return o << std::hex << "{0x" << r.bits << ", flags 0x" << r.flags << "}";
}

template <typename Fn>
Result run(Fn fn) {
  uint32_t flags = 0;
  const uint64_t bits = fn(flags);
  return {bits, flags};
}

Result add_s(uint32_t a, uint32_t b, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return add<F32>(a, b, rm, f); });
}
Result sub_s(uint32_t a, uint32_t b, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return sub<F32>(a, b, rm, f); });
}
Result mul_s(uint32_t a, uint32_t b, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return mul<F32>(a, b, rm, f); });
}
Result div_s(uint32_t a, uint32_t b, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return fp::div<F32>(a, b, rm, f); });
}
Result sqrt_s(uint32_t a, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return fp::sqrt<F32>(a, rm, f); });
}
Result sqrt_d(uint64_t a, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return fp::sqrt<F64>(a, rm, f); });
}
Result fmadd_s(uint32_t a, uint32_t b, uint32_t c, Rm rm = Rm::RNE) {
  return run([&](uint32_t& f) { return fma<F32>(a, b, c, false, false, rm, f); });
}

TEST(FpArith, NaNOperandsGiveTheCanonicalNaN) {
  EXPECT_EQ(add_s(kQNaNPayload, kOne), (Result{kNaN, 0}));
  EXPECT_EQ(add_s(kOne, kQNaNPayload | 0x80000000), (Result{kNaN, 0}));
  EXPECT_EQ(add_s(kSNaN, kOne), (Result{kNaN, NV}));
  EXPECT_EQ(sub_s(kOne, kSNaN | 0x80000000), (Result{kNaN, NV}));
  EXPECT_EQ(mul_s(kQNaN, kInf), (Result{kNaN, 0}));
  EXPECT_EQ(mul_s(0, kSNaN), (Result{kNaN, NV}));
  EXPECT_EQ(div_s(kQNaN, 0), (Result{kNaN, 0}));  // no DZ for a NaN dividend
  EXPECT_EQ(sqrt_s(kQNaNPayload | 0x80000000), (Result{kNaN, 0}));
  EXPECT_EQ(sqrt_s(kSNaN), (Result{kNaN, NV}));
  EXPECT_EQ(run([](uint32_t& f) { return add<F64>(0x7ff0000000000001, 0, Rm::RNE, f); }),
            (Result{F64::kCanonicalNaN, NV}));
  EXPECT_EQ(run([](uint32_t& f) { return mul<F64>(0xfff8000000000abc, 0x3ff0000000000000, Rm::RNE, f); }),
            (Result{0x7ff8000000000000, 0}));
}

TEST(FpArith, InvalidOperations) {
  EXPECT_EQ(add_s(kInf, kNegInf), (Result{kNaN, NV}));
  EXPECT_EQ(sub_s(kInf, kInf), (Result{kNaN, NV}));
  EXPECT_EQ(add_s(kInf, kInf), (Result{kInf, 0}));
  EXPECT_EQ(sub_s(kNegInf, kInf), (Result{kNegInf, 0}));
  EXPECT_EQ(mul_s(kInf, kNegZero), (Result{kNaN, NV}));
  EXPECT_EQ(mul_s(kNegInf, kTwo), (Result{kNegInf, 0}));
  EXPECT_EQ(div_s(0, kNegZero), (Result{kNaN, NV}));
  EXPECT_EQ(div_s(kInf, kNegInf), (Result{kNaN, NV}));
  EXPECT_EQ(sqrt_s(0xbf800000), (Result{kNaN, NV}));
  EXPECT_EQ(sqrt_s(kNegInf), (Result{kNaN, NV}));
  EXPECT_EQ(sqrt_s(0x80000001), (Result{kNaN, NV}));  // negative subnormal
}

TEST(FpArith, DivisionByZeroAndInfinities) {
  EXPECT_EQ(div_s(kOne, 0), (Result{kInf, DZ}));
  EXPECT_EQ(div_s(0xbf800000, 0), (Result{kNegInf, DZ}));
  EXPECT_EQ(div_s(kOne, kNegZero), (Result{kNegInf, DZ}));
  EXPECT_EQ(div_s(0x00000001, 0), (Result{kInf, DZ}));  // subnormal dividend
  EXPECT_EQ(div_s(kInf, 0), (Result{kInf, 0}));         // infinity is exact: no DZ
  EXPECT_EQ(div_s(kNegZero, kThree), (Result{kNegZero, 0}));
  EXPECT_EQ(div_s(kOne, kNegInf), (Result{kNegZero, 0}));
  EXPECT_EQ(div_s(kOne, kThree), (Result{0x3eaaaaab, NX}));
  EXPECT_EQ(div_s(kOne, kThree, Rm::RTZ), (Result{0x3eaaaaaa, NX}));
  EXPECT_EQ(div_s(0x40c00000, kThree), (Result{kTwo, 0}));  // 6 / 3 exact
  EXPECT_EQ(run([](uint32_t& f) { return fp::div<F64>(0x3ff0000000000000, 0x4008000000000000, Rm::RUP, f); }),
            (Result{0x3fd5555555555556, NX}));
}

TEST(FpArith, SquareRoots) {
  EXPECT_EQ(sqrt_s(kNegZero), (Result{kNegZero, 0}));
  EXPECT_EQ(sqrt_s(0), (Result{0, 0}));
  EXPECT_EQ(sqrt_s(kInf), (Result{kInf, 0}));
  EXPECT_EQ(sqrt_s(0x40800000), (Result{kTwo, 0}));                         // 4
  EXPECT_EQ(sqrt_d(0x4000000000000000), (Result{0x3ff6a09e667f3bcd, NX}));  // sqrt(2) rounds up
  EXPECT_EQ(sqrt_d(0x4000000000000000, Rm::RTZ), (Result{0x3ff6a09e667f3bcc, NX}));
  EXPECT_EQ(sqrt_d(0x4000000000000000, Rm::RUP), (Result{0x3ff6a09e667f3bcd, NX}));
  EXPECT_EQ(sqrt_d(0x0000000000000001), (Result{0x1e60000000000000, 0}));  // sqrt(2^-1074) = 2^-537
  EXPECT_EQ(sqrt_s(0x00000002), (Result{0x1a800000, 0}));                  // sqrt(2^-148) = 2^-74
  EXPECT_EQ(sqrt_s(0x00000001), (Result{0x1a3504f3, NX}));                 // sqrt(2^-149) = 2^-75 * sqrt(2)
}

TEST(FpArith, FusedMultiplyAddRoundsOnce) {
  // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; a separate multiply would round the product
  // to 1 and give 0.
  EXPECT_EQ(fmadd_s(0x3f800001, 0x3f7ffffe, 0xbf800000), (Result{0xa8800000, 0}));
  EXPECT_EQ(mul_s(0x3f800001, 0x3f7ffffe), (Result{kOne, NX}));
  // The four forms: fmadd a*b+c, fmsub a*b-c, fnmsub -(a*b)+c, fnmadd -(a*b)-c.
  auto form = [](bool np, bool na) {
    return run([&](uint32_t& f) { return fma<F32>(kTwo, kThree, kOne, np, na, Rm::RNE, f); });
  };
  EXPECT_EQ(form(false, false), (Result{0x40e00000, 0}));  // 7
  EXPECT_EQ(form(false, true), (Result{0x40a00000, 0}));   // 5
  EXPECT_EQ(form(true, false), (Result{0xc0a00000, 0}));   // -5
  EXPECT_EQ(form(true, true), (Result{0xc0e00000, 0}));    // -7
  // Directed rounding applies to the negated value: fnmadd rounds -(1/3-ish) downward.
  EXPECT_EQ(run([](uint32_t& f) { return fma<F32>(kOne, 0x3eaaaaab, 0x2f800000, true, true, Rm::RDN, f); }),
            (Result{0xbeaaaaac, NX}));
  // Double: a product far below the addend only sets the sticky bit.
  EXPECT_EQ(run([](uint32_t& f) {
              return fma<F64>(0x0010000000000000, 0x0010000000000000, 0x3ff0000000000000, false, false,
                              Rm::RUP, f);
            }),
            (Result{0x3ff0000000000001, NX}));
}

TEST(FpArith, FusedMultiplyAddSpecialCases) {
  // inf * 0 is invalid even when the addend is a quiet NaN.
  EXPECT_EQ(fmadd_s(kInf, 0, kQNaN), (Result{kNaN, NV}));
  EXPECT_EQ(fmadd_s(kNegZero, kNegInf, kQNaNPayload), (Result{kNaN, NV}));
  EXPECT_EQ(fmadd_s(kInf, 0, kOne), (Result{kNaN, NV}));
  EXPECT_EQ(fmadd_s(kOne, kOne, kQNaN), (Result{kNaN, 0}));
  EXPECT_EQ(fmadd_s(kOne, kOne, kSNaN), (Result{kNaN, NV}));
  EXPECT_EQ(fmadd_s(kQNaN, kOne, kOne), (Result{kNaN, 0}));
  EXPECT_EQ(fmadd_s(kInf, kTwo, kNegInf), (Result{kNaN, NV}));  // inf - inf
  EXPECT_EQ(fmadd_s(kInf, kTwo, kInf), (Result{kInf, 0}));
  EXPECT_EQ(fmadd_s(kTwo, kThree, kNegInf), (Result{kNegInf, 0}));
  EXPECT_EQ(fmadd_s(0x7f7fffff, kTwo, 0xff7fffff), (Result{0x7f7fffff, 0}));  // exact: 2max - max
  EXPECT_EQ(fmadd_s(0, kThree, 0x00000001), (Result{0x00000001, 0}));         // zero product: exactly c
  EXPECT_EQ(fmadd_s(0x7f7fffff, kTwo, 0), (Result{kInf, flag::OF | NX}));     // c = 0: the product rounded
}

}  // namespace
}  // namespace strata::testing
