// The host fast paths. Each function runs only inside the region its caller checked (see
// host_fast.h); the comments give the reason the host result and NX are exact there. P is
// the precision, emin the smallest normal exponent; kLow, kHigh, kQuotientLow and
// kFusedProductLow are the bounds host_fast.h names (the JIT checks the same ones).
#include "cpu/fp/host_fast.h"

#include <xmmintrin.h>

#include <cmath>

namespace strata::fp::host {
namespace {

// The facts about the bounds that the reasoning below relies on.
template <typename F>
constexpr bool bounds_hold() {
  const int p = int(F::kPrecision);
  return kLow<F> - p + 1 == F::kEmin + 3 &&                // sums are multiples of 2^(emin + 3)
         kHigh<F> + 2 == F::kBias - 1 &&                   // sums of two operands stay below 2^(bias - 1)
         kQuotientLow<F> == kLow<F> + 1 &&                 // quotients stay normal
         kFusedProductLow<F> - 2 * p + 2 == F::kEmin + 2;  // fma values are multiples of 2^(emin + 2)
}
static_assert(bounds_hold<F32>() && bounds_hold<F64>());

// s + t == a + b exactly (TwoSum; exact in round-to-nearest when nothing overflows).
template <typename T>
[[gnu::target("fma")]] void two_sum(T a, T b, T& s, T& t) {
  s = a + b;
  const T bb = s - a;
  t = (a - (s - bb)) + (b - bb);
}

// p + q == a * b exactly, q computed by one FMA; exact when the product's error term is
// representable, which the callers' exponent bounds guarantee.
template <typename T>
[[gnu::target("fma")]] void two_product(T a, T b, T& p, T& q) {
  p = a * b;
  q = fused(a, b, -p);
}

// Inputs normal with exponents in [kLow, kHigh]: |a + b| < 2^(bias-1), so no overflow, and
// the exact sum is a multiple of 2^(kLow - P + 1) = 2^(emin + 3), so it is zero or normal.
template <typename T>
[[gnu::target("fma")]] void add_t(T a, T b, T& r, uint32_t& flags) {
  T t;
  two_sum(a, b, r, t);
  if (t != 0) flags |= flag::NX;
}

// ea + eb in [kLow, kHigh]: the product lies in [2^kLow, 2^(bias-1)), and its error is a
// multiple of 2^(ea + eb - 2P + 2) >= 2^(emin - P + 4), so two_product is exact.
template <typename T>
[[gnu::target("fma")]] void mul_t(T a, T b, T& r, uint32_t& flags) {
  T q;
  two_product(a, b, r, q);
  if (q != 0) flags |= flag::NX;
}

// ea in [kLow, kHigh], ea - eb in [kQuotientLow, kHigh]: the quotient is normal and finite. It is
// exact iff r * b == a, checked exactly with two_product (er + eb >= ea - 1 keeps its error
// term representable).
template <typename T>
[[gnu::target("fma")]] void div_t(T a, T b, T& r, uint32_t& flags) {
  r = a / b;
  T p, q;
  two_product(r, b, p, q);
  if (p != a || q != 0) flags |= flag::NX;
}

// a positive with exponent in [kLow, bias]: the root is normal, and exact iff r * r == a.
template <typename T>
[[gnu::target("fma")]] void sqrt_t(T a, T& r, uint32_t& flags) {
  r = std::sqrt(a);
  T p, q;
  two_product(r, r, p, q);
  if (p != a || q != 0) flags |= flag::NX;
}

// ea + eb in [kFusedProductLow = emin + 2P, kHigh] and ec in [kLow, kHigh]: |a*b + c| < 2^bias, and the exact
// value is a multiple of 2^(emin + 2), so zero or normal. r is exact iff a*b == r - c; both
// sides are split exactly into (rounded value, remainder) pairs, which are unique in
// round-to-nearest-even, so the pairs are equal iff the values are.
template <typename T>
[[gnu::target("fma")]] void fma_t(T a, T b, T c, T& r, uint32_t& flags) {
  r = fused(a, b, c);
  T p, q, s, t;
  two_product(a, b, p, q);
  two_sum(r, -c, s, t);
  if (p != s || q != t) flags |= flag::NX;
}

bool detect_fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("fma");
}

}  // namespace

const bool kHostHasFma = detect_fma();

[[gnu::target("fma")]] float fused(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
[[gnu::target("fma")]] double fused(double a, double b, double c) { return __builtin_fma(a, b, c); }

// Everything below runs with the host's FMA; has_fma() gates every call.
[[gnu::target("fma")]] void add_impl(float a, float b, float& r, uint32_t& flags) { add_t(a, b, r, flags); }
[[gnu::target("fma")]] void add_impl(double a, double b, double& r, uint32_t& flags) {
  add_t(a, b, r, flags);
}
[[gnu::target("fma")]] void mul_impl(float a, float b, float& r, uint32_t& flags) { mul_t(a, b, r, flags); }
[[gnu::target("fma")]] void mul_impl(double a, double b, double& r, uint32_t& flags) {
  mul_t(a, b, r, flags);
}
[[gnu::target("fma")]] void div_impl(float a, float b, float& r, uint32_t& flags) { div_t(a, b, r, flags); }
[[gnu::target("fma")]] void div_impl(double a, double b, double& r, uint32_t& flags) {
  div_t(a, b, r, flags);
}
[[gnu::target("fma")]] void sqrt_impl(float a, float& r, uint32_t& flags) { sqrt_t(a, r, flags); }
[[gnu::target("fma")]] void sqrt_impl(double a, double& r, uint32_t& flags) { sqrt_t(a, r, flags); }
[[gnu::target("fma")]] void fma_impl(float a, float b, float c, float& r, uint32_t& flags) {
  fma_t(a, b, c, r, flags);
}
[[gnu::target("fma")]] void fma_impl(double a, double b, double c, double& r, uint32_t& flags) {
  fma_t(a, b, c, r, flags);
}

}  // namespace strata::fp::host
