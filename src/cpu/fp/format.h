#pragma once
// IEEE 754 binary formats as the F and D extensions see them, the rounding modes and the
// exception flags. The arithmetic in this folder is exact software arithmetic: the host's
// SSE has no round-to-nearest-max-magnitude mode, detects tininess before rounding and
// propagates NaN payloads, none of which RISC-V does.
#include <cstdint>

namespace strata::fp {

using u128 = unsigned __int128;

// The rm field encodings (frm holds the same values; 7 in an instruction means "use frm").
enum class Rm : uint8_t { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 };
constexpr unsigned kDynamicRm = 7;

// fflags bits.
namespace flag {
constexpr uint32_t NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
}

template <unsigned ExpBits, unsigned FracBits, typename BitsT>
struct Format {
  using Bits = BitsT;
  static constexpr unsigned kExpBits = ExpBits, kFracBits = FracBits;
  static constexpr unsigned kPrecision = FracBits + 1;  // significand bits with the hidden one
  static constexpr int kBias = (1 << (ExpBits - 1)) - 1;
  static constexpr int kEmin = 1 - kBias;                      // exponent of the smallest normal
  static constexpr unsigned kMaxBiased = (1u << ExpBits) - 1;  // biased exponent of inf and NaN
  static constexpr Bits kSignMask = Bits(1) << (ExpBits + FracBits);
  static constexpr Bits kExpMask = Bits(kMaxBiased) << FracBits;
  static constexpr Bits kFracMask = (Bits(1) << FracBits) - 1;
  static constexpr Bits kQuietBit = Bits(1) << (FracBits - 1);
  static constexpr Bits kCanonicalNaN = kExpMask | kQuietBit;
  static constexpr Bits kInf = kExpMask;
  static constexpr Bits kMaxFinite = kExpMask - 1;
};

using F32 = Format<8, 23, uint32_t>;
using F64 = Format<11, 52, uint64_t>;

template <typename F>
constexpr bool sign_of(typename F::Bits a) {
  return a & F::kSignMask;
}
template <typename F>
constexpr unsigned biased_exp(typename F::Bits a) {
  return unsigned((a & F::kExpMask) >> F::kFracBits);
}
template <typename F>
constexpr bool is_nan(typename F::Bits a) {
  return (a & F::kExpMask) == F::kExpMask && (a & F::kFracMask);
}
template <typename F>
constexpr bool is_snan(typename F::Bits a) {
  return is_nan<F>(a) && !(a & F::kQuietBit);
}
template <typename F>
constexpr bool is_inf(typename F::Bits a) {
  return (a & ~F::kSignMask) == F::kInf;
}
template <typename F>
constexpr bool is_zero(typename F::Bits a) {
  return (a & ~F::kSignMask) == 0;
}

template <typename F>
constexpr typename F::Bits signed_zero(bool sign) {
  return sign ? F::kSignMask : 0;
}
template <typename F>
constexpr typename F::Bits signed_inf(bool sign) {
  return F::kInf | (sign ? F::kSignMask : 0);
}

// A finite value as sign * sig * 2^exp (subnormals are not normalised; sig may be 0).
struct Unpacked {
  bool sign;
  int exp;
  uint64_t sig;
};

template <typename F>
constexpr Unpacked unpack(typename F::Bits a) {
  const unsigned e = biased_exp<F>(a);
  const uint64_t frac = a & F::kFracMask;
  if (e == 0) return {sign_of<F>(a), F::kEmin - int(F::kFracBits), frac};
  return {sign_of<F>(a), int(e) - F::kBias - int(F::kFracBits), frac | (uint64_t(1) << F::kFracBits)};
}

// Index of the most significant set bit (v != 0).
inline int msb_index(u128 v) {
  const uint64_t hi = uint64_t(v >> 64);
  return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll(uint64_t(v));
}

// Shifts a nonzero significand up so its top bit sits at bit `precision - 1`.
template <typename F>
constexpr void normalize(Unpacked& u) {
  const int shift = int(F::kPrecision) - 1 - msb_index(u.sig);
  u.sig <<= shift;
  u.exp -= shift;
}

// The result of an invalid operation, raising NV.
template <typename F>
typename F::Bits invalid(uint32_t& flags) {
  flags |= flag::NV;
  return F::kCanonicalNaN;
}

// A NaN result from NaN operands: always the canonical NaN (RISC-V does not propagate
// payloads), NV if any operand is signalling.
template <typename F>
typename F::Bits nan_result(typename F::Bits a, typename F::Bits b, uint32_t& flags) {
  if (is_snan<F>(a) || is_snan<F>(b)) flags |= flag::NV;
  return F::kCanonicalNaN;
}

}  // namespace strata::fp
