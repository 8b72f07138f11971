#pragma once
// Fused multiply-add, a * b + c with one rounding, and its negated forms: the exact product
// (up to 106 bits) and the addend are summed exactly by add_terms before rounding.
#include "cpu/fp/add.h"

namespace strata::fp {

// fmadd: (a*b)+c; fmsub: (a*b)-c; fnmsub: -(a*b)+c; fnmadd: -(a*b)-c. The negations are
// applied before rounding, so they are exact and a directed mode sees the negated value.
template <typename F>
typename F::Bits fma(typename F::Bits a, typename F::Bits b, typename F::Bits c, bool negate_product,
                     bool negate_addend, Rm rm, uint32_t& flags) {
  const bool inf_times_zero = (is_inf<F>(a) && is_zero<F>(b)) || (is_zero<F>(a) && is_inf<F>(b));
  if (is_nan<F>(a) || is_nan<F>(b) || is_nan<F>(c)) {
    // RISC-V raises NV for inf * 0 even when the addend is a quiet NaN.
    if (inf_times_zero || is_snan<F>(c)) flags |= flag::NV;
    return nan_result<F>(a, b, flags);
  }
  if (inf_times_zero) return invalid<F>(flags);
  const bool product_sign = (sign_of<F>(a) != sign_of<F>(b)) != negate_product;
  const bool addend_sign = sign_of<F>(c) != negate_addend;
  if (is_inf<F>(a) || is_inf<F>(b)) {
    if (is_inf<F>(c) && addend_sign != product_sign) return invalid<F>(flags);  // inf - inf
    return signed_inf<F>(product_sign);
  }
  if (is_inf<F>(c)) return signed_inf<F>(addend_sign);
  const bool product_zero = is_zero<F>(a) || is_zero<F>(b);
  if (product_zero && is_zero<F>(c))
    return signed_zero<F>(product_sign == addend_sign ? product_sign : rm == Rm::RDN);
  if (product_zero) return (c & ~F::kSignMask) | (addend_sign ? F::kSignMask : 0);
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  const Term product{product_sign, ua.exp + ub.exp, u128(ua.sig) * ub.sig};
  if (is_zero<F>(c)) return round_pack<F>(product.sign, product.exp, product.sig, false, rm, flags);
  const Unpacked uc = unpack<F>(c);
  return add_terms<F>(product, {addend_sign, uc.exp, uc.sig}, rm, flags);
}

}  // namespace strata::fp
