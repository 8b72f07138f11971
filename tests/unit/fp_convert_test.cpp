// Conversions: the RISC-V saturation table for float -> integer (NaN, infinities, out of
// range; NV without NX; 32-bit results sign-extended), rounding of in-range values in each
// mode, integer -> float rounding, and S <-> D.
#include <gtest/gtest.h>

#include "cpu/fp/fp.h"

namespace strata::testing {
namespace {

using namespace strata::fp;
using flag::NX, flag::NV, flag::OF, flag::UF;

struct IntResult {
  uint64_t value;
  uint32_t flags;
  bool operator==(const IntResult&) const = default;
};
std::ostream& operator<<(std::ostream& o, const IntResult& r) {
  return o << std::hex << "{0x" << r.value << ", flags 0x" << r.flags << "}";
}

template <typename F>
IntResult cvt(typename F::Bits a, bool is_signed, unsigned width, Rm rm = Rm::RTZ) {
  uint32_t flags = 0;
  const uint64_t v = to_int<F>(a, rm, is_signed, width, flags);
  return {v, flags};
}
IntResult w_s(uint32_t a, Rm rm = Rm::RTZ) { return cvt<F32>(a, true, 32, rm); }
IntResult wu_s(uint32_t a, Rm rm = Rm::RTZ) { return cvt<F32>(a, false, 32, rm); }
IntResult l_d(uint64_t a, Rm rm = Rm::RTZ) { return cvt<F64>(a, true, 64, rm); }
IntResult lu_d(uint64_t a, Rm rm = Rm::RTZ) { return cvt<F64>(a, false, 64, rm); }
IntResult w_d(uint64_t a, Rm rm = Rm::RTZ) { return cvt<F64>(a, true, 32, rm); }
IntResult wu_d(uint64_t a, Rm rm = Rm::RTZ) { return cvt<F64>(a, false, 32, rm); }
IntResult l_s(uint32_t a, Rm rm = Rm::RTZ) { return cvt<F32>(a, true, 64, rm); }
IntResult lu_s(uint32_t a, Rm rm = Rm::RTZ) { return cvt<F32>(a, false, 64, rm); }

constexpr uint32_t kInfS = 0x7f800000, kNegInfS = 0xff800000, kQNaNS = 0x7fc00000, kSNaNS = 0xff800001;
constexpr uint64_t kInfD = 0x7ff0000000000000, kNegInfD = 0xfff0000000000000, kQNaND = 0xfff8000000000001;
constexpr uint64_t kIntMax32 = 0x7fffffff, kIntMin32 = 0xffffffff80000000, kAllOnes = ~0ull;
constexpr uint64_t kIntMax64 = 0x7fffffffffffffff, kIntMin64 = 0x8000000000000000;

TEST(FpConvert, SaturationTable) {
  // fcvt.w: NaN and too large -> 2^31 - 1; too small -> -2^31 (sign-extended).
  EXPECT_EQ(w_s(kQNaNS), (IntResult{kIntMax32, NV}));
  EXPECT_EQ(w_s(kSNaNS), (IntResult{kIntMax32, NV}));  // a negative NaN is still "NaN"
  EXPECT_EQ(w_s(kInfS), (IntResult{kIntMax32, NV}));
  EXPECT_EQ(w_s(kNegInfS), (IntResult{kIntMin32, NV}));
  EXPECT_EQ(w_s(0x4f000000), (IntResult{kIntMax32, NV}));                   // 2^31
  EXPECT_EQ(w_s(0xcf000000), (IntResult{kIntMin32, 0}));                    // -2^31 fits
  EXPECT_EQ(w_s(0xcf000001), (IntResult{kIntMin32, NV}));                   // just below
  EXPECT_EQ(w_d(0x41dfffffffc00000), (IntResult{kIntMax32, 0}));            // 2^31 - 1
  EXPECT_EQ(w_d(0x41dfffffffe00000), (IntResult{kIntMax32, NX}));           // 2^31 - 0.5, RTZ
  EXPECT_EQ(w_d(0x41dfffffffe00000, Rm::RNE), (IntResult{kIntMax32, NV}));  // rounds to 2^31
  EXPECT_EQ(w_d(0xc1e00000001fffff), (IntResult{kIntMin32, NX}));           // -2^31 - 0.9999995, RTZ
  // fcvt.wu: NaN and too large -> 2^32 - 1, which sign-extends to all ones; below 0 -> 0.
  EXPECT_EQ(wu_s(kQNaNS), (IntResult{kAllOnes, NV}));
  EXPECT_EQ(wu_s(kInfS), (IntResult{kAllOnes, NV}));
  EXPECT_EQ(wu_s(kNegInfS), (IntResult{0, NV}));
  EXPECT_EQ(wu_s(0xbf800000), (IntResult{0, NV}));                          // -1
  EXPECT_EQ(wu_s(0x4f800000), (IntResult{kAllOnes, NV}));                   // 2^32
  EXPECT_EQ(wu_s(0x4f32d05e), (IntResult{0xffffffffb2d05e00, 0}));          // 3e9: bit 31 set, sign-extended
  EXPECT_EQ(wu_d(0x41efffffffe00000), (IntResult{0xffffffffffffffff, 0}));  // 2^32 - 1
  // fcvt.l / fcvt.lu.
  EXPECT_EQ(l_d(kQNaND), (IntResult{kIntMax64, NV}));
  EXPECT_EQ(l_d(kInfD), (IntResult{kIntMax64, NV}));
  EXPECT_EQ(l_d(kNegInfD), (IntResult{kIntMin64, NV}));
  EXPECT_EQ(l_d(0x43e0000000000000), (IntResult{kIntMax64, NV}));  // 2^63
  EXPECT_EQ(l_d(0xc3e0000000000000), (IntResult{kIntMin64, 0}));   // -2^63
  EXPECT_EQ(l_d(0x43dfffffffffffff), (IntResult{0x7ffffffffffffc00, 0}));
  EXPECT_EQ(l_s(0x5f000000), (IntResult{kIntMax64, NV}));
  EXPECT_EQ(lu_d(kQNaND), (IntResult{kAllOnes, NV}));
  EXPECT_EQ(lu_d(kNegInfD), (IntResult{0, NV}));
  EXPECT_EQ(lu_d(0x43f0000000000000), (IntResult{kAllOnes, NV}));  // 2^64
  EXPECT_EQ(lu_d(0x43efffffffffffff), (IntResult{0xfffffffffffff800, 0}));
  EXPECT_EQ(lu_s(0x5f7fffff), (IntResult{0xffffff0000000000, 0}));
  EXPECT_EQ(lu_d(0x7fefffffffffffff), (IntResult{kAllOnes, NV}));  // huge
}

TEST(FpConvert, SmallNegativeValuesToUnsigned) {
  // -0.5 rounds to -0 in RNE and RTZ (inexact, in range) and to -1 in RDN and RMM (invalid).
  EXPECT_EQ(wu_s(0xbf000000, Rm::RNE), (IntResult{0, NX}));
  EXPECT_EQ(wu_s(0xbf000000, Rm::RTZ), (IntResult{0, NX}));
  EXPECT_EQ(wu_s(0xbf000000, Rm::RUP), (IntResult{0, NX}));
  EXPECT_EQ(wu_s(0xbf000000, Rm::RDN), (IntResult{0, NV}));
  EXPECT_EQ(wu_s(0xbf000000, Rm::RMM), (IntResult{0, NV}));
  EXPECT_EQ(lu_d(0x8000000000000000), (IntResult{0, 0}));  // -0
  EXPECT_EQ(lu_d(0x8000000000000001, Rm::RDN), (IntResult{0, NV}));
  EXPECT_EQ(lu_d(0x8000000000000001, Rm::RNE), (IntResult{0, NX}));
}

TEST(FpConvert, RoundingToIntegerInEveryMode) {
  const Rm modes[] = {Rm::RNE, Rm::RTZ, Rm::RDN, Rm::RUP, Rm::RMM};
  const uint64_t two_and_half[] = {2, 2, 2, 3, 3}, minus_two_and_half[] = {~1ull, ~1ull, ~2ull, ~1ull, ~2ull};
  const uint64_t three_and_half[] = {4, 3, 3, 4, 4}, one_and_quarter[] = {1, 1, 1, 2, 1};
  for (int m = 0; m < 5; m++) {
    EXPECT_EQ(w_s(0x40200000, modes[m]), (IntResult{two_and_half[m], NX})) << m;
    EXPECT_EQ(w_s(0xc0200000, modes[m]), (IntResult{minus_two_and_half[m], NX})) << m;
    EXPECT_EQ(l_d(0x400c000000000000, modes[m]), (IntResult{three_and_half[m], NX})) << m;
    EXPECT_EQ(lu_d(0x3ff4000000000000, modes[m]), (IntResult{one_and_quarter[m], NX})) << m;
    EXPECT_EQ(w_s(0x00000001, modes[m]).flags, NX) << m;                                  // subnormal
    EXPECT_EQ(l_d(0x4330000000000001, modes[m]), (IntResult{0x10000000000001, 0})) << m;  // exact
  }
}

template <typename F>
std::pair<uint64_t, uint32_t> from_i(int64_t v, Rm rm) {
  uint32_t flags = 0;
  const uint64_t r = from_int<F>(v, rm, flags);
  return {r, flags};
}
template <typename F>
std::pair<uint64_t, uint32_t> from_u(uint64_t v, Rm rm) {
  uint32_t flags = 0;
  const uint64_t r = from_uint<F>(v, rm, flags);
  return {r, flags};
}

TEST(FpConvert, FromIntegers) {
  using P = std::pair<uint64_t, uint32_t>;
  // 2^24 + 1 is halfway between two floats.
  EXPECT_EQ(from_i<F32>(16777217, Rm::RNE), (P{0x4b800000, NX}));
  EXPECT_EQ(from_i<F32>(16777217, Rm::RMM), (P{0x4b800001, NX}));
  EXPECT_EQ(from_i<F32>(16777217, Rm::RUP), (P{0x4b800001, NX}));
  EXPECT_EQ(from_i<F32>(-16777217, Rm::RDN), (P{0xcb800001, NX}));
  EXPECT_EQ(from_i<F32>(-16777217, Rm::RTZ), (P{0xcb800000, NX}));
  EXPECT_EQ(from_i<F32>(INT64_MIN, Rm::RNE), (P{0xdf000000, 0}));
  EXPECT_EQ(from_i<F64>(INT64_MIN, Rm::RNE), (P{0xc3e0000000000000, 0}));
  EXPECT_EQ(from_i<F64>(0, Rm::RDN), (P{0, 0}));  // +0 in every mode
  EXPECT_EQ(from_i<F64>(-1, Rm::RNE), (P{0xbff0000000000000, 0}));
  EXPECT_EQ(from_u<F32>(~0ull, Rm::RNE), (P{0x5f800000, NX}));
  EXPECT_EQ(from_u<F32>(~0ull, Rm::RTZ), (P{0x5f7fffff, NX}));
  EXPECT_EQ(from_u<F64>(~0ull, Rm::RDN), (P{0x43efffffffffffff, NX}));
  EXPECT_EQ(from_u<F64>((1ull << 53) + 1, Rm::RMM), (P{0x4340000000000001, NX}));
  EXPECT_EQ(from_u<F64>((1ull << 53) + 1, Rm::RNE), (P{0x4340000000000000, NX}));
}

TEST(FpConvert, BetweenFormats) {
  uint32_t flags = 0;
  EXPECT_EQ((convert<F64, F32>(0x7fc12345, Rm::RNE, flags)), F64::kCanonicalNaN);
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ((convert<F64, F32>(0xff800001, Rm::RNE, flags)), F64::kCanonicalNaN);
  EXPECT_EQ(flags, NV);
  flags = 0;
  EXPECT_EQ((convert<F32, F64>(0xfff0000000000001, Rm::RNE, flags)), F32::kCanonicalNaN);
  EXPECT_EQ(flags, NV);
  flags = 0;
  EXPECT_EQ((convert<F64, F32>(0x00000001, Rm::RNE, flags)), 0x36a0000000000000u);  // 2^-149, exact
  EXPECT_EQ((convert<F64, F32>(0x80000000, Rm::RNE, flags)), 0x8000000000000000u);
  EXPECT_EQ((convert<F64, F32>(0xff800000, Rm::RNE, flags)), 0xfff0000000000000u);
  EXPECT_EQ((convert<F64, F32>(0x3eaaaaab, Rm::RNE, flags)), 0x3fd5555560000000u);
  EXPECT_EQ((convert<F32, F64>(0x3ff0000000000000, Rm::RDN, flags)), 0x3f800000u);
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ((convert<F32, F64>(0x3fd5555555555555, Rm::RNE, flags)), 0x3eaaaaabu);
  EXPECT_EQ(flags, NX);
  flags = 0;
  EXPECT_EQ((convert<F32, F64>(0x7e37e43c8800759c, Rm::RNE, flags)), 0x7f800000u);  // 1e300
  EXPECT_EQ(flags, OF | NX);
  flags = 0;
  EXPECT_EQ((convert<F32, F64>(0xfe37e43c8800759c, Rm::RTZ, flags)), 0xff7fffffu);
  EXPECT_EQ(flags, OF | NX);
  flags = 0;
  EXPECT_EQ((convert<F32, F64>(0x3690000000000000, Rm::RUP, flags)), 0x00000001u);  // 2^-150
  EXPECT_EQ(flags, UF | NX);
  flags = 0;
  EXPECT_EQ((convert<F32, F64>(0x3690000000000000, Rm::RNE, flags)), 0x00000000u);
  EXPECT_EQ(flags, UF | NX);
}

}  // namespace
}  // namespace strata::testing
