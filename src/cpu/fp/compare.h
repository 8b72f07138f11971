#pragma once
// Comparisons (feq quiet, flt/fle signalling) and fmin/fmax (IEEE 754-2019 minimumNumber
// and maximumNumber, with -0 below +0).
#include "cpu/fp/format.h"

namespace strata::fp {

// a < b for non-NaN values, with +0 == -0 (or_equal: a <= b).
template <typename F>
bool ordered_less(typename F::Bits a, typename F::Bits b, bool or_equal) {
  const bool sa = sign_of<F>(a), sb = sign_of<F>(b);
  if (is_zero<F>(a) && is_zero<F>(b)) return or_equal;
  if (sa != sb) return sa;
  if (a == b) return or_equal;
  return sa ? a > b : a < b;  // same sign: magnitude order, reversed for negatives
}

// feq: NV only for a signalling NaN.
template <typename F>
bool feq(typename F::Bits a, typename F::Bits b, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) {
    if (is_snan<F>(a) || is_snan<F>(b)) flags |= flag::NV;
    return false;
  }
  return a == b || (is_zero<F>(a) && is_zero<F>(b));
}

// flt and fle: NV for any NaN.
template <typename F>
bool flt(typename F::Bits a, typename F::Bits b, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) {
    flags |= flag::NV;
    return false;
  }
  return ordered_less<F>(a, b, false);
}
template <typename F>
bool fle(typename F::Bits a, typename F::Bits b, uint32_t& flags) {
  if (is_nan<F>(a) || is_nan<F>(b)) {
    flags |= flag::NV;
    return false;
  }
  return ordered_less<F>(a, b, true);
}

// fmin/fmax: NV on a signalling NaN; one NaN operand gives the other operand, two give the
// canonical NaN; -0 counts as smaller than +0.
template <typename F>
typename F::Bits min_max(typename F::Bits a, typename F::Bits b, bool want_max, uint32_t& flags) {
  if (is_snan<F>(a) || is_snan<F>(b)) flags |= flag::NV;
  if (is_nan<F>(a) && is_nan<F>(b)) return F::kCanonicalNaN;
  if (is_nan<F>(a)) return b;
  if (is_nan<F>(b)) return a;
  const bool sa = sign_of<F>(a), sb = sign_of<F>(b);
  bool a_less;
  if (sa != sb)
    a_less = sa;
  else
    a_less = sa ? a > b : a < b;
  return (a_less != want_max) ? a : b;
}
template <typename F>
typename F::Bits fmin(typename F::Bits a, typename F::Bits b, uint32_t& flags) {
  return min_max<F>(a, b, false, flags);
}
template <typename F>
typename F::Bits fmax(typename F::Bits a, typename F::Bits b, uint32_t& flags) {
  return min_max<F>(a, b, true, flags);
}

}  // namespace strata::fp
