#pragma once
// Square root: an integer square root of the significand scaled to an even exponent; a
// nonzero remainder is the sticky bit (a root is never exactly halfway).
#include <cmath>

#include "cpu/fp/round.h"

namespace strata::fp {

// floor(sqrt(n)) for n < 2^126, and whether that is exact. The host's extended-precision
// square root (64-bit significand) gives an estimate within a unit or so; exact integer
// steps then settle it, so the result never depends on the estimate being good.
inline u128 integer_sqrt(u128 n, bool& exact) {
  const long double approx = (long double)uint64_t(n >> 64) * 0x1p64L + (long double)uint64_t(n);
  u128 root = uint64_t(sqrtl(approx));  // < 2^63
  while (root * root > n) root--;
  while ((root + 1) * (root + 1) <= n) root++;
  exact = root * root == n;
  return root;
}

template <typename F>
typename F::Bits sqrt(typename F::Bits a, Rm rm, uint32_t& flags) {
  if (is_nan<F>(a)) return nan_result<F>(a, a, flags);
  if (is_zero<F>(a)) return a;  // sqrt(-0) = -0
  if (sign_of<F>(a)) return invalid<F>(flags);
  if (is_inf<F>(a)) return a;
  Unpacked u = unpack<F>(a);
  normalize<F>(u);
  u128 radicand = u.sig;
  if (u.exp & 1) {
    radicand <<= 1;
    u.exp--;
  }
  // Scale by an even power of two so the root has at least P + 2 bits.
  constexpr int kScale = 2 * ((126 - int(F::kPrecision) - 1) / 2);
  radicand <<= kScale;
  bool exact;
  const u128 root = integer_sqrt(radicand, exact);
  return round_pack<F>(false, (u.exp - kScale) / 2, root, !exact, rm, flags);
}

}  // namespace strata::fp
