// Comparisons (feq quiet, flt/fle signalling), fmin/fmax (minimumNumber/maximumNumber:
// -0 < +0, a NaN operand yields the other, NV for signalling NaNs), fclass and the
// sign-injection operations (raw bits, NaN payloads kept).
#include <gtest/gtest.h>

#include "cpu/fp/fp.h"

namespace strata::testing {
namespace {

using namespace strata::fp;
using flag::NV;

constexpr uint32_t kOne = 0x3f800000, kTwo = 0x40000000, kNegOne = 0xbf800000, kNegTwo = 0xc0000000,
                   kNegZero = 0x80000000, kInf = 0x7f800000, kNegInf = 0xff800000, kQNaN = 0x7fc00000,
                   kSNaN = 0x7f800001;

struct Cmp {
  bool value;
  uint32_t flags;
  bool operator==(const Cmp&) const = default;
};
std::ostream& operator<<(std::ostream& o, const Cmp& c) {
  return o << "{" << c.value << ", flags " << c.flags << "}";
}

template <bool (*Fn)(uint32_t, uint32_t, uint32_t&)>
Cmp cmp(uint32_t a, uint32_t b) {
  uint32_t flags = 0;
  const bool v = Fn(a, b, flags);
  return {v, flags};
}
Cmp eq(uint32_t a, uint32_t b) { return cmp<feq<F32>>(a, b); }
Cmp lt(uint32_t a, uint32_t b) { return cmp<flt<F32>>(a, b); }
Cmp le(uint32_t a, uint32_t b) { return cmp<fle<F32>>(a, b); }

TEST(FpCompare, QuietEqualitySignallingOrder) {
  EXPECT_EQ(eq(kQNaN, kOne), (Cmp{false, 0}));
  EXPECT_EQ(eq(kQNaN, kQNaN), (Cmp{false, 0}));
  EXPECT_EQ(eq(kOne, kSNaN), (Cmp{false, NV}));
  EXPECT_EQ(lt(kQNaN, kOne), (Cmp{false, NV}));
  EXPECT_EQ(le(kOne, kQNaN), (Cmp{false, NV}));
  EXPECT_EQ(lt(kSNaN, kOne), (Cmp{false, NV}));
  EXPECT_EQ(eq(0, kNegZero), (Cmp{true, 0}));
  EXPECT_EQ(lt(kNegZero, 0), (Cmp{false, 0}));
  EXPECT_EQ(le(0, kNegZero), (Cmp{true, 0}));
  EXPECT_EQ(lt(kNegTwo, kNegOne), (Cmp{true, 0}));
  EXPECT_EQ(lt(kNegOne, kNegTwo), (Cmp{false, 0}));
  EXPECT_EQ(le(kNegOne, kNegOne), (Cmp{true, 0}));
  EXPECT_EQ(lt(kNegOne, kOne), (Cmp{true, 0}));
  EXPECT_EQ(lt(kNegInf, kInf), (Cmp{true, 0}));
  EXPECT_EQ(le(0x00000001, 0), (Cmp{false, 0}));
  EXPECT_EQ(lt(0x80000001, kNegZero), (Cmp{true, 0}));
  EXPECT_EQ(eq(kOne, kTwo), (Cmp{false, 0}));
  uint32_t flags = 0;
  EXPECT_TRUE(flt<F64>(0xbff0000000000000, 0x0000000000000001, flags));
  EXPECT_FALSE(feq<F64>(0x7ff0000000000001, 0x7ff0000000000001, flags));
  EXPECT_EQ(flags, NV);
}

uint32_t min_s(uint32_t a, uint32_t b, uint32_t* flags_out = nullptr) {
  uint32_t flags = 0;
  const uint32_t r = fmin<F32>(a, b, flags);
  if (flags_out) *flags_out = flags;
  return r;
}
uint32_t max_s(uint32_t a, uint32_t b, uint32_t* flags_out = nullptr) {
  uint32_t flags = 0;
  const uint32_t r = fmax<F32>(a, b, flags);
  if (flags_out) *flags_out = flags;
  return r;
}

TEST(FpCompare, MinMax) {
  EXPECT_EQ(min_s(kNegZero, 0), kNegZero);
  EXPECT_EQ(min_s(0, kNegZero), kNegZero);
  EXPECT_EQ(max_s(kNegZero, 0), 0u);
  EXPECT_EQ(max_s(0, kNegZero), 0u);
  EXPECT_EQ(min_s(kNegTwo, kNegOne), kNegTwo);
  EXPECT_EQ(max_s(kNegTwo, kNegOne), kNegOne);
  EXPECT_EQ(min_s(kOne, kTwo), kOne);
  EXPECT_EQ(max_s(kNegInf, kOne), kOne);
  uint32_t flags;
  EXPECT_EQ(min_s(kQNaN, kOne, &flags), kOne);
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(max_s(kNegInf, 0x7fc00123, &flags), kNegInf);
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(min_s(kSNaN, kNegTwo, &flags), kNegTwo);  // the other operand, and NV
  EXPECT_EQ(flags, NV);
  EXPECT_EQ(max_s(kOne, kSNaN | 0x80000000, &flags), kOne);
  EXPECT_EQ(flags, NV);
  EXPECT_EQ(min_s(0x7fc00123, kQNaN, &flags), F32::kCanonicalNaN);  // both NaN: canonical
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(max_s(kSNaN, kQNaN, &flags), F32::kCanonicalNaN);
  EXPECT_EQ(flags, NV);
  flags = 0;
  EXPECT_EQ(fmin<F64>(0x8000000000000000, 0, flags), 0x8000000000000000u);
  EXPECT_EQ(fmax<F64>(0x7ff0000000000001, 0x4000000000000000, flags), 0x4000000000000000u);
  EXPECT_EQ(flags, NV);
}

TEST(FpCompare, Classify) {
  EXPECT_EQ(fclass<F32>(kNegInf), 1u << 0);
  EXPECT_EQ(fclass<F32>(kNegOne), 1u << 1);
  EXPECT_EQ(fclass<F32>(0x807fffff), 1u << 2);
  EXPECT_EQ(fclass<F32>(kNegZero), 1u << 3);
  EXPECT_EQ(fclass<F32>(0), 1u << 4);
  EXPECT_EQ(fclass<F32>(0x00000001), 1u << 5);
  EXPECT_EQ(fclass<F32>(0x00800000), 1u << 6);
  EXPECT_EQ(fclass<F32>(kInf), 1u << 7);
  EXPECT_EQ(fclass<F32>(kSNaN), 1u << 8);
  EXPECT_EQ(fclass<F32>(0xffbfffff), 1u << 8);  // negative signalling NaN
  EXPECT_EQ(fclass<F32>(kQNaN), 1u << 9);
  EXPECT_EQ(fclass<F32>(0xffc00001), 1u << 9);
  EXPECT_EQ(fclass<F64>(0x000fffffffffffff), 1u << 5);
  EXPECT_EQ(fclass<F64>(0xfff0000000000000), 1u << 0);
  EXPECT_EQ(fclass<F64>(0x7ff4000000000000), 1u << 8);
  EXPECT_EQ(fclass<F64>(0x7ff8000000000000), 1u << 9);
  EXPECT_EQ(fclass<F64>(0x8010000000000000), 1u << 1);
}

TEST(FpCompare, SignInjectionKeepsPayloads) {
  EXPECT_EQ(fsgnj<F32>(0x7fc12345, kNegOne), 0xffc12345u);
  EXPECT_EQ(fsgnjn<F32>(0x7fc12345, kNegOne), 0x7fc12345u);
  EXPECT_EQ(fsgnjn<F32>(kSNaN, kOne), kSNaN | 0x80000000);  // fneg of a signalling NaN: still signalling
  EXPECT_EQ(fsgnjx<F32>(kNegOne, kNegTwo), kOne);
  EXPECT_EQ(fsgnjx<F32>(kNegOne, kTwo), kNegOne);
  EXPECT_EQ(fsgnj<F64>(0xfff0000000000000, 0), 0x7ff0000000000000u);  // fabs
  EXPECT_EQ(fsgnjx<F64>(0x8000000000000000, 0x8000000000000000), 0u);
}

}  // namespace
}  // namespace strata::testing
