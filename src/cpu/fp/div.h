#pragma once
// Division: a long integer division of the significands gives more quotient bits than
// rounding needs; a nonzero remainder is the sticky bit.
#include "cpu/fp/round.h"

namespace strata::fp {

template <typename F>
typename F::Bits div(typename F::Bits a, typename F::Bits b, Rm rm, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(a, b, flags);
  const bool sign = sign_of<F>(a) != sign_of<F>(b);
  if (is_inf<F>(a)) return is_inf<F>(b) ? invalid<F>(flags) : signed_inf<F>(sign);
  if (is_inf<F>(b)) return signed_zero<F>(sign);
  if (is_zero<F>(b)) {
    if (is_zero<F>(a)) return invalid<F>(flags);  // 0 / 0
    flags |= flag::DZ;
    return signed_inf<F>(sign);
  }
  if (is_zero<F>(a)) return signed_zero<F>(sign);
  Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  normalize<F>(ua);
  normalize<F>(ub);
  // Both significands are in [2^(P-1), 2^P): the quotient has at least 126 - P bits.
  constexpr int kShift = 127 - int(F::kPrecision);
  const u128 dividend = u128(ua.sig) << kShift;
  const u128 quotient = dividend / ub.sig;
  const bool sticky = dividend % ub.sig != 0;
  return round_pack<F>(sign, ua.exp - ub.exp - kShift, quotient, sticky, rm, flags);
}

}  // namespace strata::fp
