#pragma once
// fclass and the sign-injection instructions: pure bit operations, no flags, no NaN
// canonicalisation.
#include "cpu/fp/format.h"

namespace strata::fp {

// The fclass result: exactly one of these bits is set.
namespace fclass_bit {
constexpr uint64_t kNegInf = 1 << 0, kNegNormal = 1 << 1, kNegSubnormal = 1 << 2, kNegZero = 1 << 3,
                   kPosZero = 1 << 4, kPosSubnormal = 1 << 5, kPosNormal = 1 << 6, kPosInf = 1 << 7,
                   kSignalingNaN = 1 << 8, kQuietNaN = 1 << 9;
}

template <typename F>
uint64_t fclass(typename F::Bits a) {
  using namespace fclass_bit;
  const bool neg = sign_of<F>(a);
  if (is_nan<F>(a)) return is_snan<F>(a) ? kSignalingNaN : kQuietNaN;
  if (is_inf<F>(a)) return neg ? kNegInf : kPosInf;
  if (is_zero<F>(a)) return neg ? kNegZero : kPosZero;
  if (biased_exp<F>(a) == 0) return neg ? kNegSubnormal : kPosSubnormal;
  return neg ? kNegNormal : kPosNormal;
}

// fsgnj (a's magnitude, b's sign), fsgnjn (b's sign inverted), fsgnjx (the two signs xored).
template <typename F>
typename F::Bits fsgnj(typename F::Bits a, typename F::Bits b) {
  return (a & ~F::kSignMask) | (b & F::kSignMask);
}
template <typename F>
typename F::Bits fsgnjn(typename F::Bits a, typename F::Bits b) {
  return (a & ~F::kSignMask) | (~b & F::kSignMask);
}
template <typename F>
typename F::Bits fsgnjx(typename F::Bits a, typename F::Bits b) {
  return a ^ (b & F::kSignMask);
}

}  // namespace strata::fp
