// The host fast paths (cpu/fp/host_fast.h) against the exact software core: wherever a fast
// path accepts its operands, its result bits and NX must equal the core's in round to
// nearest even. Operands are drawn with exponents spread over the whole range, with extra
// weight at the edges of the fast paths' safe regions and on values with few significant
// bits (so exact results, NX clear, come up often).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "cpu/fp/fp.h"
#include "cpu/fp/host_fast.h"

namespace strata::fp {
namespace {

template <typename F>
class HostFast : public ::testing::Test {
 protected:
  using Bits = typename F::Bits;

  Bits random_value() {
    const Bits sign = (rng_() & 1) ? F::kSignMask : 0;
    unsigned exp;
    switch (rng_() % 4) {
      case 0:  // anywhere, including zero, subnormal, inf and NaN
        exp = unsigned(rng_() % (F::kMaxBiased + 1));
        break;
      case 1: {  // near an edge of a safe region
        const int edges[] = {host::kLow<F>, host::kHigh<F>, F::kEmin + 2 * int(F::kPrecision), 0, F::kBias};
        const int e = edges[rng_() % 5] + int(rng_() % 7) - 3;
        exp = unsigned(std::clamp(e + F::kBias, 0, int(F::kMaxBiased)));
        break;
      }
      default:  // the ordinary range
        exp = unsigned(F::kBias + int(rng_() % 40) - 20);
    }
    Bits frac = Bits(rng_()) & F::kFracMask;
    if (rng_() % 2) frac &= ~((Bits(1) << (rng_() % F::kFracBits)) - 1);  // few significant bits
    return sign | (Bits(exp) << F::kFracBits) | frac;
  }

  // Checks one fast-path answer against the core; counts how often the fast path answered.
  template <typename Fast, typename Soft>
  void check(const char* what, Fast fast, Soft soft, std::initializer_list<Bits> operands) {
    for (bool want_nx : {true, false}) {
      Bits fast_result = 0;
      uint32_t fast_flags = 0;
      if (!fast(fast_result, fast_flags, want_nx)) return;
      hits_ += want_nx;
      uint32_t soft_flags = 0;
      const Bits soft_result = soft(soft_flags);
      std::ostringstream ops;
      for (Bits b : operands) ops << std::hex << uint64_t(b) << ' ';
      ASSERT_EQ(fast_result, soft_result) << what << " of " << ops.str();
      if (want_nx)
        ASSERT_EQ(fast_flags, soft_flags) << what << " flags of " << ops.str();
      else
        ASSERT_EQ(fast_flags, 0u) << what << " of " << ops.str();
    }
  }

  std::mt19937_64 rng_{20261130};
  uint64_t hits_ = 0;
};

using Formats = ::testing::Types<F32, F64>;
TYPED_TEST_SUITE(HostFast, Formats);

TYPED_TEST(HostFast, AgreesWithTheSoftwareCore) {
  using F = TypeParam;
  using Bits = typename F::Bits;
  if (!host::kHostHasFma) GTEST_SKIP() << "the host has no FMA: the fast paths are off";
  constexpr int kRounds = 200000;
  for (int n = 0; n < kRounds; n++) {
    const Bits a = this->random_value(), b = this->random_value(), c = this->random_value();
    this->check(
        "add", [&](Bits& r, uint32_t& f, bool nx) { return host::add<F>(a, b, r, f, nx); },
        [&](uint32_t& f) { return add<F>(a, b, Rm::RNE, f); }, {a, b});
    this->check(
        "mul", [&](Bits& r, uint32_t& f, bool nx) { return host::mul<F>(a, b, r, f, nx); },
        [&](uint32_t& f) { return mul<F>(a, b, Rm::RNE, f); }, {a, b});
    this->check(
        "div", [&](Bits& r, uint32_t& f, bool nx) { return host::div<F>(a, b, r, f, nx); },
        [&](uint32_t& f) { return fp::div<F>(a, b, Rm::RNE, f); }, {a, b});
    this->check(
        "sqrt", [&](Bits& r, uint32_t& f, bool nx) { return host::sqrt<F>(a, r, f, nx); },
        [&](uint32_t& f) { return fp::sqrt<F>(a, Rm::RNE, f); }, {a});
    this->check(
        "fma", [&](Bits& r, uint32_t& f, bool nx) { return host::fma<F>(a, b, c, r, f, nx); },
        [&](uint32_t& f) { return fma<F>(a, b, c, false, false, Rm::RNE, f); }, {a, b, c});
    const Bits zero = ((this->rng_() & 1) ? F::kSignMask : 0);
    this->check(
        "fma with a zero addend",
        [&](Bits& r, uint32_t& f, bool nx) { return host::fma<F>(a, b, zero, r, f, nx); },
        [&](uint32_t& f) { return fma<F>(a, b, zero, false, false, Rm::RNE, f); }, {a, b, zero});
    this->check(
        "fma with a zero factor",
        [&](Bits& r, uint32_t& f, bool nx) { return host::fma<F>(zero, b, c, r, f, nx); },
        [&](uint32_t& f) { return fma<F>(zero, b, c, false, false, Rm::RNE, f); }, {zero, b, c});
    // a*b - RTZ(a*b) is the product's exact error: fma's NX-clear case.
    uint32_t ignored = 0;
    const Bits exact_c = mul<F>(a, b, Rm::RTZ, ignored) ^ F::kSignMask;
    this->check(
        "fma exact", [&](Bits& r, uint32_t& f, bool nx) { return host::fma<F>(a, b, exact_c, r, f, nx); },
        [&](uint32_t& f) { return fma<F>(a, b, exact_c, false, false, Rm::RNE, f); }, {a, b, exact_c});
  }
  // The fast paths must actually run on ordinary operands, or this test proves nothing.
  EXPECT_GT(this->hits_, uint64_t(kRounds));
}

// The exact cases by construction: NX must stay clear.
TYPED_TEST(HostFast, ExactResultsRaiseNoFlag) {
  using F = TypeParam;
  using Bits = typename F::Bits;
  using N = host::Native<F>;
  if (!host::kHostHasFma) GTEST_SKIP() << "the host has no FMA: the fast paths are off";
  auto bits = [](N v) { return host::from_native<F>(v); };
  Bits r;
  uint32_t flags = 0;
  ASSERT_TRUE(host::add<F>(bits(1.5), bits(2.25), r, flags, true));
  EXPECT_EQ(r, bits(3.75));
  ASSERT_TRUE(host::mul<F>(bits(1.5), bits(-4.0), r, flags, true));
  EXPECT_EQ(r, bits(-6.0));
  ASSERT_TRUE(host::div<F>(bits(7.5), bits(2.5), r, flags, true));
  EXPECT_EQ(r, bits(3.0));
  ASSERT_TRUE(host::sqrt<F>(bits(2.25), r, flags, true));
  EXPECT_EQ(r, bits(1.5));
  ASSERT_TRUE(host::fma<F>(bits(3.0), bits(3.0), bits(-9.0), r, flags, true));
  EXPECT_EQ(r, bits(0.0));  // an exact zero is +0 in round to nearest
  EXPECT_EQ(flags, 0u);
  ASSERT_TRUE(host::div<F>(bits(1.0), bits(3.0), r, flags, true));
  EXPECT_EQ(flags, flag::NX);
}

}  // namespace
}  // namespace strata::fp
