#pragma once
// Conversions: between the two formats, from integers, and to integers with the
// saturation RISC-V specifies for out-of-range and NaN inputs.
#include "cpu/fp/round.h"

namespace strata::fp {

// Between formats: narrowing rounds; widening is exact. NaNs become the canonical NaN.
template <typename To, typename From>
typename To::Bits convert(typename From::Bits a, Rm rm, uint32_t& flags) {
  if (is_nan<From>(a)) {
    if (is_snan<From>(a)) flags |= flag::NV;
    return To::kCanonicalNaN;
  }
  if (is_inf<From>(a)) return signed_inf<To>(sign_of<From>(a));
  if (is_zero<From>(a)) return signed_zero<To>(sign_of<From>(a));
  const Unpacked u = unpack<From>(a);
  return round_pack<To>(u.sign, u.exp, u.sig, false, rm, flags);
}

// From a 64-bit integer (callers extend 32-bit sources first).
template <typename F>
typename F::Bits from_int(int64_t v, Rm rm, uint32_t& flags) {
  if (v == 0) return 0;
  const bool negative = v < 0;
  return round_pack<F>(negative, 0, negative ? 0 - uint64_t(v) : uint64_t(v), false, rm, flags);
}
template <typename F>
typename F::Bits from_uint(uint64_t v, Rm rm, uint32_t& flags) {
  if (v == 0) return 0;
  return round_pack<F>(false, 0, v, false, rm, flags);
}

// To an integer of `width` bits (32 or 64), signed or not. The result is returned as the
// 64-bit register value: 32-bit results, signed or not, are sign-extended. Out-of-range
// values, infinities and NaNs raise NV (not NX) and saturate: NaN and too-large values to
// the maximum, too-small ones to the minimum.
template <typename F>
uint64_t to_int(typename F::Bits a, Rm rm, bool is_signed, unsigned width, uint32_t& flags) {
  const uint64_t max = is_signed ? (uint64_t(1) << (width - 1)) - 1 : ~uint64_t(0) >> (64 - width);
  const uint64_t min = is_signed ? 0 - (uint64_t(1) << (width - 1)) : 0;
  auto extend = [width](uint64_t v) { return width == 32 ? uint64_t(int64_t(int32_t(uint32_t(v)))) : v; };
  if (is_nan<F>(a)) {
    flags |= flag::NV;
    return extend(max);
  }
  const bool sign = sign_of<F>(a);
  if (is_inf<F>(a)) {
    flags |= flag::NV;
    return extend(sign ? min : max);
  }
  const Unpacked u = unpack<F>(a);
  if (u.sig == 0) return 0;
  bool out_of_range = false;
  uint64_t magnitude = 0;
  bool inexact = false;
  if (u.exp >= 0) {
    out_of_range = msb_index(u.sig) + u.exp >= 64;
    if (!out_of_range) magnitude = u.sig << u.exp;
  } else {
    const Shifted s = shift_right_for_rounding(u.sig, -u.exp, false);
    magnitude = uint64_t(s.kept) + rounds_up(rm, sign, s);  // at most 2^53: no wrap
    inexact = s.inexact;
  }
  if (!out_of_range) {
    if (is_signed)
      out_of_range = sign ? magnitude > (uint64_t(1) << (width - 1)) : magnitude > max;
    else
      out_of_range = sign ? magnitude != 0 : magnitude > max;
  }
  if (out_of_range) {
    flags |= flag::NV;
    return extend(sign ? min : max);
  }
  if (inexact) flags |= flag::NX;
  return extend(sign ? 0 - magnitude : magnitude);
}

}  // namespace strata::fp
