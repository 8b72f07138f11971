#pragma once
// Addition and subtraction, and the exact signed sum both they and the fused
// multiply-add round once.
#include "cpu/fp/round.h"

namespace strata::fp {

// A nonzero magnitude sig * 2^exp with its sign (sig up to 120 bits).
struct Term {
  bool sign;
  int exp;
  u128 sig;
};

// x + y rounded once (both nonzero). The larger term is placed with its top bit at bit 125;
// bits of the smaller one that fall below bit 0 are folded into bit 0 ("jamming"), which
// keeps every rounding decision exact because the rounding point lies far above bit 1.
template <typename F>
typename F::Bits add_terms(Term x, Term y, Rm rm, uint32_t& flags) {
  if (msb_index(x.sig) + x.exp < msb_index(y.sig) + y.exp) std::swap(x, y);
  const int up = 125 - msb_index(x.sig);
  x.sig <<= up;
  x.exp -= up;
  const int down = x.exp - y.exp;  // y's shift into x's frame
  if (down <= 0) {
    y.sig <<= -down;
  } else if (down >= 127) {
    y.sig = 1;
  } else {
    y.sig = (y.sig >> down) | ((y.sig & ((u128(1) << down) - 1)) != 0);
  }
  if (x.sign == y.sign) return round_pack<F>(x.sign, x.exp, x.sig + y.sig, false, rm, flags);
  if (x.sig == y.sig) return signed_zero<F>(rm == Rm::RDN);  // exact cancellation
  if (x.sig > y.sig) return round_pack<F>(x.sign, x.exp, x.sig - y.sig, false, rm, flags);
  return round_pack<F>(y.sign, x.exp, y.sig - x.sig, false, rm, flags);
}

template <typename F>
typename F::Bits add(typename F::Bits a, typename F::Bits b, Rm rm, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(a, b, flags);
  if (is_inf<F>(a)) return (is_inf<F>(b) && a != b) ? invalid<F>(flags) : a;
  if (is_inf<F>(b)) return b;
  if (is_zero<F>(a) && is_zero<F>(b))  // equal signs keep theirs; opposite ones give +0 (-0 in RDN)
    return sign_of<F>(a) == sign_of<F>(b) ? a : signed_zero<F>(rm == Rm::RDN);
  if (is_zero<F>(a)) return b;
  if (is_zero<F>(b)) return a;
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  return add_terms<F>({ua.sign, ua.exp, ua.sig}, {ub.sign, ub.exp, ub.sig}, rm, flags);
}

template <typename F>
typename F::Bits sub(typename F::Bits a, typename F::Bits b, Rm rm, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(a, b, flags);
  return add<F>(a, b ^ F::kSignMask, rm, flags);
}

}  // namespace strata::fp
