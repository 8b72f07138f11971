#pragma once
// Multiplication: the product of two significands is exact in 128 bits.
#include "cpu/fp/round.h"

namespace strata::fp {

template <typename F>
typename F::Bits mul(typename F::Bits a, typename F::Bits b, Rm rm, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(a, b, flags);
  const bool sign = sign_of<F>(a) != sign_of<F>(b);
  if (is_inf<F>(a) || is_inf<F>(b)) {
    if (is_zero<F>(a) || is_zero<F>(b)) return invalid<F>(flags);  // inf * 0
    return signed_inf<F>(sign);
  }
  if (is_zero<F>(a) || is_zero<F>(b)) return signed_zero<F>(sign);
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  return round_pack<F>(sign, ua.exp + ub.exp, u128(ua.sig) * ub.sig, false, rm, flags);
}

}  // namespace strata::fp
