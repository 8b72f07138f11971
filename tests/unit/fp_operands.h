#pragma once
// Operand generators for the floating-point tests: random values weighted toward the cases
// that break arithmetic (specials, subnormals, nearly equal exponents, few significand
// bits so that exact halfway cases happen, extreme exponents).
#include <cstdint>
#include <iterator>
#include <random>

#include "cpu/fp/format.h"

namespace strata::testing {

template <typename F>
typename F::Bits make_float(bool sign, unsigned biased, uint64_t frac) {
  using Bits = typename F::Bits;
  return (sign ? F::kSignMask : 0) | (Bits(biased) << F::kFracBits) | (Bits(frac) & F::kFracMask);
}

template <typename F>
typename F::Bits special_value(std::mt19937_64& rng) {
  using Bits = typename F::Bits;
  const Bits one = Bits(F::kBias) << F::kFracBits;
  const Bits values[] = {0,
                         1,                        // smallest subnormal
                         F::kFracMask,             // largest subnormal
                         Bits(1) << F::kFracBits,  // smallest normal
                         (Bits(1) << F::kFracBits) | 1,
                         F::kMaxFinite,
                         F::kMaxFinite - 1,
                         F::kInf,
                         F::kCanonicalNaN,
                         F::kCanonicalNaN | 1,           // quiet NaN with a payload
                         F::kInf | 1,                    // signalling NaN
                         F::kInf | (F::kQuietBit >> 1),  // signalling NaN
                         one,
                         one | 1,
                         one + (Bits(1) << F::kFracBits),                // 2.0
                         one - 1,                                        // just below 1.0
                         one | F::kQuietBit,                             // 1.5
                         Bits(F::kBias + F::kFracBits) << F::kFracBits,  // 2^P-1: ulp 1
                         Bits(F::kBias + F::kFracBits + 1) << F::kFracBits,
                         Bits(F::kBias + 62) << F::kFracBits,  // 2^62, 2^63, 2^31
                         Bits(F::kBias + 63) << F::kFracBits,
                         Bits(F::kBias + 31) << F::kFracBits,
                         Bits(F::kBias + 32) << F::kFracBits,
                         (Bits(F::kBias - 1) << F::kFracBits),  // 0.5
                         (Bits(F::kBias - 1) << F::kFracBits) | 1};
  return values[rng() % std::size(values)] | (rng() & 1 ? F::kSignMask : 0);
}

// Bits of a significand with only a few set bits, at the top or the bottom, so that sums
// and products are often exact or exactly halfway.
template <typename F>
uint64_t sparse_frac(std::mt19937_64& rng) {
  const uint64_t r = rng();
  switch (rng() % 3) {
    case 0:
      return r & ~(F::kFracMask >> (rng() % 6 + 1)) & F::kFracMask;  // top bits only
    case 1:
      return r & ((uint64_t(1) << (rng() % 6 + 1)) - 1);  // bottom bits only
    default:
      return (r & ((uint64_t(1) << (rng() % 4)))) | (uint64_t(1) << (F::kFracBits - 1 - rng() % 3));
  }
}

template <typename F>
typename F::Bits random_operand(std::mt19937_64& rng) {
  const bool sign = rng() & 1;
  const uint64_t frac = rng();
  const int bias = F::kBias;
  switch (rng() % 10) {
    case 0:
      return special_value<F>(rng);
    case 1:
      return typename F::Bits(rng());  // uniform bits
    case 2:
      return make_float<F>(sign, rng() % 4, frac);  // subnormal, tiny normals
    case 3:
      return make_float<F>(sign, F::kMaxBiased - 1 - rng() % 3, frac);  // near overflow
    case 4:
      return make_float<F>(sign, unsigned(bias - 8 + int(rng() % 16)), sparse_frac<F>(rng));
    case 5:
      return make_float<F>(sign, unsigned(bias / 2 + rng() % bias), frac);  // wide exponent range
    case 6:
      return make_float<F>(sign, 1 + rng() % (F::kPrecision + 2), frac);  // results land subnormal
    default:
      return make_float<F>(sign, unsigned(bias - 4 + int(rng() % 8)), frac);
  }
}

// A second operand related to the first: nearly equal magnitude (cancellation), or an
// exponent a significand width away (rounding of the smaller one).
template <typename F>
typename F::Bits related_operand(typename F::Bits a, std::mt19937_64& rng) {
  using Bits = typename F::Bits;
  switch (rng() % 4) {
    case 0:
      return a ^ (Bits(rng()) & 0xff) ^ (rng() & 1 ? F::kSignMask : 0);  // near a, either sign
    case 1: {
      const int e = int((a & F::kExpMask) >> F::kFracBits) - int(rng() % (F::kPrecision + 4));
      return make_float<F>(rng() & 1, unsigned(e < 0 ? 0 : e), rng() & 1 ? rng() : sparse_frac<F>(rng));
    }
    case 2:
      return a ^ F::kSignMask;
    default:
      return random_operand<F>(rng);
  }
}

}  // namespace strata::testing
