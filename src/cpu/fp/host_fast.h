#pragma once
// Fast paths on the host's own floating point for the common case: round to nearest even,
// normal operands, and exponents far enough from both ends of the range that the result can
// neither overflow nor come near the subnormal range. There the host's IEEE result is the
// RISC-V result bit for bit (no NaN, no tininess question), and the only flag that can arise
// is NX, which error-free transformations (TwoSum, a product error computed with FMA) detect
// exactly. Anything else returns false and the exact software core answers.
//
// NX is sticky, so when the guest's fflags already hold it (the usual state) the check is
// skipped and the operation is a single host instruction.
//
// The checks need the host's FMA instruction; on a host without it every call returns false.
#include <xmmintrin.h>

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "cpu/fp/format.h"

namespace strata::fp::host {

extern const bool kHostHasFma;

// The host rounds to nearest even without flush-to-zero or denormals-are-zero (the process
// default; a library could change it).
inline bool ieee_nearest() {
  constexpr unsigned kRoundingControl = 0x6000, kFlushToZero = 0x8000, kDenormalsAreZero = 0x40;
  return (_mm_getcsr() & (kRoundingControl | kFlushToZero | kDenormalsAreZero)) == 0;
}

// FMA present (the NX checks need it), and the host's rounding as above.
inline bool usable() { return kHostHasFma && ieee_nearest(); }

// With NX detection (host_fast.cpp).

[[gnu::target("fma")]] void add_impl(float a, float b, float& r, uint32_t& flags);
[[gnu::target("fma")]] void add_impl(double a, double b, double& r, uint32_t& flags);
[[gnu::target("fma")]] void mul_impl(float a, float b, float& r, uint32_t& flags);
[[gnu::target("fma")]] void mul_impl(double a, double b, double& r, uint32_t& flags);
[[gnu::target("fma")]] void div_impl(float a, float b, float& r, uint32_t& flags);
[[gnu::target("fma")]] void div_impl(double a, double b, double& r, uint32_t& flags);
[[gnu::target("fma")]] void sqrt_impl(float a, float& r, uint32_t& flags);
[[gnu::target("fma")]] void sqrt_impl(double a, double& r, uint32_t& flags);
[[gnu::target("fma")]] void fma_impl(float a, float b, float c, float& r, uint32_t& flags);
[[gnu::target("fma")]] void fma_impl(double a, double b, double c, double& r, uint32_t& flags);
// One host FMA instruction.
[[gnu::target("fma")]] float fused(float a, float b, float c);
[[gnu::target("fma")]] double fused(double a, double b, double c);

// The host type of a format.
template <typename F>
using Native = std::conditional_t<sizeof(typename F::Bits) == 4, float, double>;

// Unbiased exponent of a normal number.
template <typename F>
constexpr int exponent(typename F::Bits a) {
  return int(biased_exp<F>(a)) - F::kBias;
}
template <typename F>
constexpr bool is_finite(typename F::Bits a) {
  return biased_exp<F>(a) != F::kMaxBiased;
}
template <typename F>
constexpr bool is_normal(typename F::Bits a) {
  const unsigned e = biased_exp<F>(a);
  return e != 0 && e != F::kMaxBiased;
}
// A normal number whose exponent lies in [lo, hi].
template <typename F>
constexpr bool normal_within(typename F::Bits a, int lo, int hi) {
  const int e = exponent<F>(a);
  return is_normal<F>(a) && e >= lo && e <= hi;
}

template <typename F>
Native<F> to_native(typename F::Bits a) {
  return __builtin_bit_cast(Native<F>, a);
}
template <typename F>
typename F::Bits from_native(Native<F> a) {
  return __builtin_bit_cast(typename F::Bits, a);
}

// Exponent bounds of the safe region (see the .cpp for why each holds). The JIT's inline FP
// code (jit/emit_fp.cpp) checks its results instead; its tests pick operands at these edges.
// Operands of add, sub, sqrt, a dividend, an fma addend, and the exponent sum of a product.
template <typename F>
constexpr int kLow = F::kEmin + int(F::kPrecision) + 2;
template <typename F>
constexpr int kHigh = F::kBias - 3;
// The lowest exponent difference of a quotient.
template <typename F>
constexpr int kQuotientLow = kLow<F> + 1;
// The lowest exponent sum of an fma's product (with a nonzero addend).
template <typename F>
constexpr int kFusedProductLow = F::kEmin + 2 * int(F::kPrecision);

// Each returns false outside its safe region; `want_nx` asks for NX detection.

// a + b (callers pass b with its sign flipped for a subtraction: exact).
template <typename F>
[[gnu::always_inline]] inline bool add(typename F::Bits a, typename F::Bits b, typename F::Bits& r,
                                       uint32_t& flags, bool want_nx) {
  if (!normal_within<F>(a, kLow<F>, kHigh<F>) || !normal_within<F>(b, kLow<F>, kHigh<F>) || !usable())
    return false;
  Native<F> out;
  if (want_nx)
    add_impl(to_native<F>(a), to_native<F>(b), out, flags);
  else
    out = to_native<F>(a) + to_native<F>(b);
  r = from_native<F>(out);
  return true;
}

template <typename F>
[[gnu::always_inline]] inline bool mul(typename F::Bits a, typename F::Bits b, typename F::Bits& r,
                                       uint32_t& flags, bool want_nx) {
  if (!is_normal<F>(a) || !is_normal<F>(b)) return false;
  const int e = exponent<F>(a) + exponent<F>(b);
  if (e < kLow<F> || e > kHigh<F> || !usable()) return false;
  Native<F> out;
  if (want_nx)
    mul_impl(to_native<F>(a), to_native<F>(b), out, flags);
  else
    out = to_native<F>(a) * to_native<F>(b);
  r = from_native<F>(out);
  return true;
}

template <typename F>
[[gnu::always_inline]] inline bool div(typename F::Bits a, typename F::Bits b, typename F::Bits& r,
                                       uint32_t& flags, bool want_nx) {
  if (!normal_within<F>(a, kLow<F>, kHigh<F>) || !is_normal<F>(b)) return false;
  const int e = exponent<F>(a) - exponent<F>(b);
  if (e < kQuotientLow<F> || e > kHigh<F> || !usable()) return false;
  Native<F> out;
  if (want_nx)
    div_impl(to_native<F>(a), to_native<F>(b), out, flags);
  else
    out = to_native<F>(a) / to_native<F>(b);
  r = from_native<F>(out);
  return true;
}

template <typename F>
[[gnu::always_inline]] inline bool sqrt(typename F::Bits a, typename F::Bits& r, uint32_t& flags,
                                        bool want_nx) {
  if (sign_of<F>(a) || !normal_within<F>(a, kLow<F>, kHigh<F>) || !usable()) return false;
  Native<F> out;
  if (want_nx)
    sqrt_impl(to_native<F>(a), out, flags);
  else
    out = std::sqrt(to_native<F>(a));
  r = from_native<F>(out);
  return true;
}

// a * b + c (callers flip signs for the negated forms: exact).
template <typename F>
[[gnu::always_inline]] inline bool fma(typename F::Bits a, typename F::Bits b, typename F::Bits c,
                                       typename F::Bits& r, uint32_t& flags, bool want_nx) {
  if (is_zero<F>(c)) return mul<F>(a, b, r, flags, want_nx);  // a nonzero product plus a zero is the product
  if ((is_zero<F>(a) && is_finite<F>(b)) || (is_zero<F>(b) && is_finite<F>(a))) {
    if (is_zero<F>(c) || !is_finite<F>(c)) return false;
    r = c;  // a zero product plus a nonzero number is that number, exactly
    return true;
  }
  if (!is_normal<F>(a) || !is_normal<F>(b) || !normal_within<F>(c, kLow<F>, kHigh<F>)) return false;
  const int e = exponent<F>(a) + exponent<F>(b);
  if (e < kFusedProductLow<F> || e > kHigh<F> || !usable()) return false;
  Native<F> out;
  if (want_nx)
    fma_impl(to_native<F>(a), to_native<F>(b), to_native<F>(c), out, flags);
  else
    out = fused(to_native<F>(a), to_native<F>(b), to_native<F>(c));
  r = from_native<F>(out);
  return true;
}

}  // namespace strata::fp::host
