#pragma once
// Rounding an exact (or exact-plus-sticky) value to a format: the one place that decides
// the result bits and the NX, UF and OF flags of every arithmetic operation.
#include <algorithm>

#include "cpu/fp/format.h"

namespace strata::fp {

// What a right shift dropped, as rounding needs it.
struct Shifted {
  u128 kept;
  int vs_half;   // the dropped part compared with half an ulp of `kept`: -1, 0, 1
  bool inexact;  // something nonzero was dropped
};

// sig >> n (n may be <= 0: an exact left shift), where `sticky` stands for nonzero bits
// below the lowest bit of `sig`.
inline Shifted shift_right_for_rounding(u128 sig, int n, bool sticky) {
  if (n <= 0) return {sig << -n, -1, sticky};
  if (n > 128) return {0, -1, sig != 0 || sticky};
  const u128 dropped = n == 128 ? sig : sig & ((u128(1) << n) - 1);
  const u128 half = u128(1) << (n - 1);
  const int vs_half = dropped > half ? 1 : dropped < half ? -1 : (sticky ? 1 : 0);
  return {n == 128 ? 0 : sig >> n, vs_half, dropped != 0 || sticky};
}

// Whether rounding adds one ulp to the truncated magnitude.
inline bool rounds_up(Rm rm, bool sign, const Shifted& s) {
  if (!s.inexact) return false;
  switch (rm) {
    case Rm::RNE:
      return s.vs_half > 0 || (s.vs_half == 0 && (s.kept & 1));
    case Rm::RMM:
      return s.vs_half >= 0;
    case Rm::RTZ:
      return false;
    case Rm::RDN:
      return sign;
    case Rm::RUP:
      return !sign;
  }
  return false;
}

// The result of an overflow: infinity or the largest finite number, by mode and sign.
template <typename F>
typename F::Bits overflow_result(bool sign, Rm rm) {
  const bool to_inf = rm == Rm::RNE || rm == Rm::RMM || (rm == Rm::RDN && sign) || (rm == Rm::RUP && !sign);
  return (to_inf ? F::kInf : F::kMaxFinite) | (sign ? F::kSignMask : 0);
}

// Rounds sign * (sig + sticky) * 2^exp to format F (sig != 0). Tininess is detected after
// rounding, as RISC-V specifies: UF is raised when the result is inexact and the value
// rounded to the format's precision with an unbounded exponent is below the smallest normal.
template <typename F>
typename F::Bits round_pack(bool sign, int exp, u128 sig, bool sticky, Rm rm, uint32_t& flags) {
  constexpr int P = int(F::kPrecision);
  const int top = msb_index(sig) + exp;  // the value lies in [2^top, 2^(top + 1))
  int lsb_exp = std::max(top, F::kEmin) - (P - 1);
  const Shifted s = shift_right_for_rounding(sig, lsb_exp - exp, sticky);
  u128 q = s.kept + rounds_up(rm, sign, s);
  if (s.inexact) {
    flags |= flag::NX;
    if (top < F::kEmin) {
      bool tiny = true;
      if (top == F::kEmin - 1) {  // may round up to the smallest normal at full precision
        const Shifted u = shift_right_for_rounding(sig, top - (P - 1) - exp, sticky);
        tiny = u.kept + rounds_up(rm, sign, u) < (u128(1) << P);
      }
      if (tiny) flags |= flag::UF;
    }
  }
  if (q >> P) {  // rounding carried into a new top bit
    q >>= 1;
    lsb_exp++;
  }
  using Bits = typename F::Bits;
  const Bits sign_bit = sign ? F::kSignMask : 0;
  if (q == 0) return sign_bit;
  if (!(q >> (P - 1))) return sign_bit | Bits(q);  // subnormal
  const int biased = lsb_exp + (P - 1) + F::kBias;
  if (biased >= int(F::kMaxBiased)) {
    flags |= flag::OF | flag::NX;
    return overflow_result<F>(sign, rm);
  }
  return sign_bit | (Bits(biased) << F::kFracBits) | (Bits(q) & F::kFracMask);
}

}  // namespace strata::fp
