// Randomised cross-check of the software floating-point core against the host's SSE/AVX
// arithmetic, in every rounding mode the host has (all but RMM, which the Unicorn test
// covers). Results must match bit for bit (any NaN result must be our canonical NaN) and
// so must the flags, with one known difference: x86 detects tininess before rounding and
// RISC-V after, so UF is not compared when the result is the smallest normal.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <sstream>
#include <string>

#include "cpu/fp/fp.h"
#include "fp_operands.h"

namespace strata::testing {
namespace {

using namespace strata::fp;

constexpr int kPairs = 100000;

// MXCSR: exception flags in bits 0-5 (IE, DE, ZE, OE, UE, PE), rounding control in 13-14.
struct HostResult {
  uint64_t bits;
  uint32_t flags;  // as fflags
};

unsigned mxcsr_rounding(Rm rm) {
  switch (rm) {
    case Rm::RNE:
      return 0;
    case Rm::RDN:
      return 1;
    case Rm::RUP:
      return 2;
    case Rm::RTZ:
      return 3;
    default:
      return 0;
  }
}

uint32_t fflags_from_mxcsr(uint32_t m) {
  return ((m & 1) ? flag::NV : 0) | ((m & 4) ? flag::DZ : 0) | ((m & 8) ? flag::OF : 0) |
         ((m & 16) ? flag::UF : 0) | ((m & 32) ? flag::NX : 0);
}

// Runs `op` with the host in rounding mode `rm`, all exceptions masked and flags cleared.
template <typename Op>
HostResult on_host(Rm rm, Op op) {
  uint32_t saved, after;
  const uint32_t mode = 0x1f80 | mxcsr_rounding(rm) << 13;
  asm volatile("stmxcsr %0" : "=m"(saved));
  asm volatile("ldmxcsr %0" : : "m"(mode));
  const uint64_t bits = op();
  asm volatile("stmxcsr %0" : "=m"(after));
  asm volatile("ldmxcsr %0" : : "m"(saved));
  return {bits, fflags_from_mxcsr(after)};
}

template <typename T, typename B>
T as(B b) {
  T t;
  std::memcpy(&t, &b, sizeof t);
  return t;
}

// Host operations: the arithmetic in inline assembly so the compiler cannot fold it or move
// it outside the MXCSR window.
#define HOST_BINARY(name, insn_s, insn_d)              \
  inline uint64_t name##_s(uint32_t a, uint32_t b) {   \
    float x = as<float>(a), y = as<float>(b);          \
    asm volatile(insn_s " %1, %0" : "+x"(x) : "x"(y)); \
    return as<uint32_t>(x);                            \
  }                                                    \
  inline uint64_t name##_d(uint64_t a, uint64_t b) {   \
    double x = as<double>(a), y = as<double>(b);       \
    asm volatile(insn_d " %1, %0" : "+x"(x) : "x"(y)); \
    return as<uint64_t>(x);                            \
  }
HOST_BINARY(host_add, "addss", "addsd")
HOST_BINARY(host_sub, "subss", "subsd")
HOST_BINARY(host_mul, "mulss", "mulsd")
HOST_BINARY(host_div, "divss", "divsd")
#undef HOST_BINARY

inline uint64_t host_sqrt_s(uint32_t a) {
  float x = as<float>(a), r;
  asm volatile("sqrtss %1, %0" : "=x"(r) : "x"(x));
  return as<uint32_t>(r);
}
inline uint64_t host_sqrt_d(uint64_t a) {
  double x = as<double>(a), r;
  asm volatile("sqrtsd %1, %0" : "=x"(r) : "x"(x));
  return as<uint64_t>(r);
}
// a * b + c
inline uint64_t host_fma_s(uint32_t a, uint32_t b, uint32_t c) {
  float x = as<float>(a), y = as<float>(b), z = as<float>(c);
  asm volatile("vfmadd213ss %2, %1, %0" : "+x"(x) : "x"(y), "x"(z));
  return as<uint32_t>(x);
}
inline uint64_t host_fma_d(uint64_t a, uint64_t b, uint64_t c) {
  double x = as<double>(a), y = as<double>(b), z = as<double>(c);
  asm volatile("vfmadd213sd %2, %1, %0" : "+x"(x) : "x"(y), "x"(z));
  return as<uint64_t>(x);
}
inline uint64_t host_d_to_s(uint64_t a) {
  double x = as<double>(a);
  float r;
  asm volatile("cvtsd2ss %1, %0" : "=x"(r) : "x"(x));
  return as<uint32_t>(r);
}
inline uint64_t host_s_to_d(uint32_t a) {
  float x = as<float>(a);
  double r;
  asm volatile("cvtss2sd %1, %0" : "=x"(r) : "x"(x));
  return as<uint64_t>(r);
}
// Comparison predicates of cmpss/cmpsd: 0 EQ_OQ (quiet), 1 LT_OS and 2 LE_OS (signalling).
template <int kPredicate>
uint64_t host_cmp_s(uint32_t a, uint32_t b) {
  float x = as<float>(a), y = as<float>(b);
  asm volatile("cmpss %2, %1, %0" : "+x"(x) : "x"(y), "i"(kPredicate));
  return as<uint32_t>(x) & 1;
}
template <int kPredicate>
uint64_t host_cmp_d(uint64_t a, uint64_t b) {
  double x = as<double>(a), y = as<double>(b);
  asm volatile("cmpsd %2, %1, %0" : "+x"(x) : "x"(y), "i"(kPredicate));
  return as<uint64_t>(x) & 1;
}

template <typename F>
bool is_min_normal(typename F::Bits r) {
  return (r & ~F::kSignMask) == (typename F::Bits(1) << F::kFracBits);
}

// Compares one result; returns a description of the difference or "".
template <typename F>
std::string check(const char* what, Rm rm, std::initializer_list<uint64_t> operands, typename F::Bits ours,
                  uint32_t our_flags, HostResult host) {
  using Bits = typename F::Bits;
  const Bits theirs = Bits(host.bits);
  uint32_t host_flags = host.flags;
  bool same = is_nan<F>(theirs) ? ours == F::kCanonicalNaN : ours == theirs;
  if (is_min_normal<F>(ours)) {  // tininess before (x86) vs after (RISC-V) rounding
    host_flags &= ~flag::UF;
    our_flags &= ~flag::UF;
  }
  same = same && our_flags == host_flags;
  if (same) return "";
  std::ostringstream out;
  out << std::hex << what << " rm=" << int(rm) << " operands";
  for (uint64_t o : operands) out << " 0x" << o;
  out << ": ours 0x" << uint64_t(ours) << " flags 0x" << our_flags << ", host 0x" << uint64_t(theirs)
      << " flags 0x" << host_flags;
  return out.str();
}

const Rm kHostModes[] = {Rm::RNE, Rm::RTZ, Rm::RDN, Rm::RUP};

// Runs `pairs` random operand pairs through both implementations in every host mode.
template <typename F, typename Ours, typename Host>
void cross_check_binary(const char* what, Ours ours, Host host, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (Rm rm : kHostModes) {
    for (int n = 0; n < kPairs / 4; n++) {
      const auto a = random_operand<F>(rng);
      const auto b = rng() % 2 ? related_operand<F>(a, rng) : random_operand<F>(rng);
      uint32_t flags = 0;
      const auto r = ours(a, b, rm, flags);
      const std::string diff = check<F>(what, rm, {a, b}, r, flags, on_host(rm, [&] { return host(a, b); }));
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
    }
  }
  EXPECT_EQ(failures, 0) << what;
}

TEST(FpHost, AddSingle) { cross_check_binary<F32>("fadd.s", add<F32>, host_add_s, 1); }
TEST(FpHost, AddDouble) { cross_check_binary<F64>("fadd.d", add<F64>, host_add_d, 2); }
TEST(FpHost, SubSingle) { cross_check_binary<F32>("fsub.s", sub<F32>, host_sub_s, 3); }
TEST(FpHost, SubDouble) { cross_check_binary<F64>("fsub.d", sub<F64>, host_sub_d, 4); }
TEST(FpHost, MulSingle) { cross_check_binary<F32>("fmul.s", mul<F32>, host_mul_s, 5); }
TEST(FpHost, MulDouble) { cross_check_binary<F64>("fmul.d", mul<F64>, host_mul_d, 6); }
TEST(FpHost, DivSingle) { cross_check_binary<F32>("fdiv.s", div<F32>, host_div_s, 7); }
TEST(FpHost, DivDouble) { cross_check_binary<F64>("fdiv.d", div<F64>, host_div_d, 8); }

template <typename F, typename Host>
void cross_check_sqrt(const char* what, Host host, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (Rm rm : kHostModes) {
    for (int n = 0; n < kPairs / 4; n++) {
      auto a = random_operand<F>(rng);
      if (rng() % 2) a &= ~F::kSignMask;  // mostly valid inputs
      uint32_t flags = 0;
      const auto r = fp::sqrt<F>(a, rm, flags);
      const std::string diff = check<F>(what, rm, {a}, r, flags, on_host(rm, [&] { return host(a); }));
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
    }
  }
  EXPECT_EQ(failures, 0) << what;
}
// Every single-precision significand in two binades (both exponent parities) rounded to
// nearest, and every subnormal rounded toward zero.
TEST(FpHost, SqrtSingleExhaustiveBinades) {
  int failures = 0;
  auto check_range = [&](uint32_t begin, uint32_t end, Rm rm) {
    for (uint32_t a = begin; a < end; a++) {
      uint32_t flags = 0;
      const uint32_t r = fp::sqrt<F32>(a, rm, flags);
      const std::string diff =
          check<F32>("fsqrt.s", rm, {a}, r, flags, on_host(rm, [&] { return host_sqrt_s(a); }));
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
    }
  };
  check_range(0x3f800000, 0x40800000, Rm::RNE);  // [1, 4)
  check_range(0, 0x00800000, Rm::RTZ);           // zero and the subnormals
  EXPECT_EQ(failures, 0);
}

TEST(FpHost, SqrtSingle) { cross_check_sqrt<F32>("fsqrt.s", host_sqrt_s, 9); }
TEST(FpHost, SqrtDouble) { cross_check_sqrt<F64>("fsqrt.d", host_sqrt_d, 10); }

// The addend is often close to minus the product, so the sum cancels.
template <typename F, typename Host>
void cross_check_fma(const char* what, Host host, uint64_t seed) {
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "host has no FMA";
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (Rm rm : kHostModes) {
    for (int n = 0; n < kPairs / 4; n++) {
      const auto a = random_operand<F>(rng);
      const auto b = rng() % 3 ? random_operand<F>(rng) : related_operand<F>(a, rng);
      typename F::Bits c;
      if (rng() % 2) {
        uint32_t ignored = 0;
        c = mul<F>(a, b, Rm(rng() % 5), ignored) ^ F::kSignMask;
        if (rng() % 2) c ^= rng() & 3;
      } else {
        c = related_operand<F>(a, rng);
      }
      uint32_t flags = 0;
      const auto r = fma<F>(a, b, c, false, false, rm, flags);
      const std::string diff =
          check<F>(what, rm, {a, b, c}, r, flags, on_host(rm, [&] { return host(a, b, c); }));
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
    }
  }
  EXPECT_EQ(failures, 0) << what;
}
TEST(FpHost, FmaSingle) { cross_check_fma<F32>("fmadd.s", host_fma_s, 11); }
TEST(FpHost, FmaDouble) { cross_check_fma<F64>("fmadd.d", host_fma_d, 12); }

TEST(FpHost, NarrowAndWiden) {
  std::mt19937_64 rng(13);
  int failures = 0;
  for (Rm rm : kHostModes) {
    for (int n = 0; n < kPairs / 4; n++) {
      uint64_t a = random_operand<F64>(rng);
      if (rng() % 2)
        a = make_float<F64>(rng() & 1, unsigned(F64::kBias - 160 + rng() % 320),
                            rng());  // near float's range
      uint32_t flags = 0;
      const uint32_t r = convert<F32, F64>(a, rm, flags);
      std::string diff =
          check<F32>("fcvt.s.d", rm, {a}, r, flags, on_host(rm, [&] { return host_d_to_s(a); }));
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
      const uint32_t s = random_operand<F32>(rng);
      flags = 0;
      const uint64_t w = convert<F64, F32>(s, rm, flags);
      diff = check<F64>("fcvt.d.s", rm, {s}, w, flags, on_host(rm, [&] { return host_s_to_d(s); }));
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
    }
  }
  EXPECT_EQ(failures, 0);
}

// Comparisons: the result bit and NV (quiet feq, signalling flt/fle).
template <typename F, typename Ours, typename Host>
void cross_check_compare(const char* what, Ours ours, Host host, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int n = 0; n < kPairs / 4; n++) {
    const auto a = random_operand<F>(rng);
    const auto b = rng() % 2 ? related_operand<F>(a, rng) : rng() % 2 ? a : random_operand<F>(rng);
    uint32_t flags = 0;
    const uint64_t r = ours(a, b, flags);
    const HostResult h = on_host(Rm::RNE, [&] { return host(a, b); });
    if ((r != h.bits || flags != h.flags) && failures++ < 10)
      ADD_FAILURE() << std::hex << what << " 0x" << uint64_t(a) << " 0x" << uint64_t(b) << ": ours " << r
                    << " flags " << flags << ", host " << h.bits << " flags " << h.flags;
  }
  EXPECT_EQ(failures, 0) << what;
}
TEST(FpHost, Compare) {
  cross_check_compare<F32>("feq.s", feq<F32>, host_cmp_s<0>, 14);
  cross_check_compare<F32>("flt.s", flt<F32>, host_cmp_s<1>, 15);
  cross_check_compare<F32>("fle.s", fle<F32>, host_cmp_s<2>, 16);
  cross_check_compare<F64>("feq.d", feq<F64>, host_cmp_d<0>, 17);
  cross_check_compare<F64>("flt.d", flt<F64>, host_cmp_d<1>, 18);
  cross_check_compare<F64>("fle.d", fle<F64>, host_cmp_d<2>, 19);
}

// Integer conversions. The host has the rounding of in-range values and their flags; it
// answers out-of-range ones with the "integer indefinite" and IE, where RISC-V saturates,
// so for those only NV is compared (the saturated values have their own unit tests).
inline uint64_t host_d_to_l(uint64_t a) {
  int64_t r;
  asm volatile("cvtsd2si %1, %0" : "=r"(r) : "x"(as<double>(a)));
  return uint64_t(r);
}
inline uint64_t host_d_to_w(uint64_t a) {
  int32_t r;
  asm volatile("cvtsd2si %1, %k0" : "=r"(r) : "x"(as<double>(a)));
  return uint64_t(int64_t(r));
}
inline uint64_t host_s_to_l(uint32_t a) {
  int64_t r;
  asm volatile("cvtss2si %1, %0" : "=r"(r) : "x"(as<float>(a)));
  return uint64_t(r);
}
inline uint64_t host_s_to_w(uint32_t a) {
  int32_t r;
  asm volatile("cvtss2si %1, %k0" : "=r"(r) : "x"(as<float>(a)));
  return uint64_t(int64_t(r));
}
inline uint64_t host_d_to_lu(uint64_t a) {
  uint64_t r;
  asm volatile("vcvtsd2usi %1, %0" : "=r"(r) : "x"(as<double>(a)));
  return r;
}
inline uint64_t host_d_to_wu(uint64_t a) {
  uint32_t r;
  asm volatile("vcvtsd2usi %1, %k0" : "=r"(r) : "x"(as<double>(a)));
  return uint64_t(int64_t(int32_t(r)));
}

template <typename F, typename Host>
void cross_check_to_int(const char* what, bool is_signed, unsigned width, Host host, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (Rm rm : kHostModes) {
    for (int n = 0; n < kPairs / 8; n++) {
      auto a = random_operand<F>(rng);
      if (rng() % 2) a = make_float<F>(rng() & 1, unsigned(F::kBias - 3 + int(rng() % (width + 5))), rng());
      if (rng() % 4 == 0)
        a = make_float<F>(rng() & 1, unsigned(F::kBias - 1 + int(rng() % 3)), sparse_frac<F>(rng));
      uint32_t flags = 0;
      const uint64_t r = to_int<F>(a, rm, is_signed, width, flags);
      const HostResult h = on_host(rm, [&] { return host(a); });
      const bool same = (flags & flag::NV) ? h.flags == flag::NV : (r == h.bits && flags == h.flags);
      if (!same && failures++ < 10)
        ADD_FAILURE() << std::hex << what << " rm=" << int(rm) << " 0x" << uint64_t(a) << ": ours 0x" << r
                      << " flags " << flags << ", host 0x" << h.bits << " flags " << h.flags;
    }
  }
  EXPECT_EQ(failures, 0) << what;
}
TEST(FpHost, ToSignedInt) {
  cross_check_to_int<F64>("fcvt.l.d", true, 64, host_d_to_l, 20);
  cross_check_to_int<F64>("fcvt.w.d", true, 32, host_d_to_w, 21);
  cross_check_to_int<F32>("fcvt.l.s", true, 64, host_s_to_l, 22);
  cross_check_to_int<F32>("fcvt.w.s", true, 32, host_s_to_w, 23);
}
TEST(FpHost, ToUnsignedInt) {
  if (!__builtin_cpu_supports("avx512f")) GTEST_SKIP() << "host has no unsigned conversions";
  cross_check_to_int<F64>("fcvt.lu.d", false, 64, host_d_to_lu, 24);
  cross_check_to_int<F64>("fcvt.wu.d", false, 32, host_d_to_wu, 25);
}

inline uint64_t host_l_to_d(uint64_t v) {
  double r;
  asm volatile("cvtsi2sdq %1, %0" : "=x"(r) : "r"(v));
  return as<uint64_t>(r);
}
inline uint64_t host_l_to_s(uint64_t v) {
  float r;
  asm volatile("cvtsi2ssq %1, %0" : "=x"(r) : "r"(v));
  return as<uint32_t>(r);
}
inline uint64_t host_lu_to_d(uint64_t v) {
  double r = 0;
  asm volatile("vcvtusi2sdq %1, %0, %0" : "+x"(r) : "r"(v));
  return as<uint64_t>(r);
}
inline uint64_t host_lu_to_s(uint64_t v) {
  float r = 0;
  asm volatile("vcvtusi2ssq %1, %0, %0" : "+x"(r) : "r"(v));
  return as<uint32_t>(r);
}

uint64_t random_integer(std::mt19937_64& rng) {
  const uint64_t r = rng();
  switch (rng() % 4) {
    case 0:
      return r >> (rng() % 64);
    case 1:
      return r & ~((uint64_t(1) << (rng() % 40)) - 1);  // low zeros: exact or halfway
    case 2:
      return (r >> (rng() % 64)) | (uint64_t(1) << (rng() % 64));
    default:
      return r;
  }
}

TEST(FpHost, FromInt) {
  std::mt19937_64 rng(26);
  int failures = 0;
  const bool unsigned_ok = __builtin_cpu_supports("avx512f");
  for (Rm rm : kHostModes) {
    for (int n = 0; n < kPairs / 4; n++) {
      const uint64_t v = random_integer(rng);
      std::string diff;
      // Each conversion's flags are read after it ran (argument order is unspecified).
      auto compare = [&](const char* what, auto ours, auto host, auto format) {
        using F = decltype(format);
        uint32_t flags = 0;
        const typename F::Bits r = ours(flags);
        diff += check<F>(what, rm, {v}, r, flags, on_host(rm, host));
      };
      compare(
          "fcvt.d.l", [&](uint32_t& f) { return from_int<F64>(int64_t(v), rm, f); },
          [&] { return host_l_to_d(v); }, F64{});
      compare(
          "fcvt.s.l", [&](uint32_t& f) { return from_int<F32>(int64_t(v), rm, f); },
          [&] { return host_l_to_s(v); }, F32{});
      if (unsigned_ok) {
        compare(
            "fcvt.d.lu", [&](uint32_t& f) { return from_uint<F64>(v, rm, f); },
            [&] { return host_lu_to_d(v); }, F64{});
        compare(
            "fcvt.s.lu", [&](uint32_t& f) { return from_uint<F32>(v, rm, f); },
            [&] { return host_lu_to_s(v); }, F32{});
      }
      if (!diff.empty() && failures++ < 10) ADD_FAILURE() << diff;
    }
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace strata::testing
