// Zba/Zbb/Zbs/Zicond have no Unicorn oracle (Unicorn 2.0.1 predates them), so the pure
// semantics in cpu/alu.h are checked against naive bit-by-bit reference definitions written
// straight from the specification's pseudocode, over edge values and random inputs.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "cpu/alu.h"

namespace strata {
namespace {

using u64 = uint64_t;

u64 bit(u64 v, unsigned i) { return (v >> i) & 1; }
u64 ref_sext(u64 v, unsigned width) {
  u64 r = v & (width == 64 ? ~0ull : (1ull << width) - 1);
  if (width < 64 && bit(v, width - 1)) r |= ~0ull << width;
  return r;
}
u64 ref_clz(u64 v, unsigned width) {
  u64 n = 0;
  for (int i = int(width) - 1; i >= 0 && !bit(v, unsigned(i)); i--) n++;
  return n;
}
u64 ref_ctz(u64 v, unsigned width) {
  u64 n = 0;
  for (unsigned i = 0; i < width && !bit(v, i); i++) n++;
  return n;
}
u64 ref_cpop(u64 v, unsigned width) {
  u64 n = 0;
  for (unsigned i = 0; i < width; i++) n += bit(v, i);
  return n;
}
u64 ref_rotate_left(u64 v, unsigned amount, unsigned width) {
  u64 r = 0;
  for (unsigned i = 0; i < width; i++) r |= bit(v, i) << ((i + amount) % width);
  return width == 32 ? ref_sext(r, 32) : r;
}
u64 ref_rotate_right(u64 v, unsigned amount, unsigned width) {
  return ref_rotate_left(v, (width - amount % width) % width, width);
}
u64 ref_orc_b(u64 v) {
  u64 r = 0;
  for (unsigned byte = 0; byte < 8; byte++) {
    bool any = false;
    for (unsigned i = 0; i < 8; i++) any |= bit(v, 8 * byte + i);
    if (any) r |= 0xffull << (8 * byte);
  }
  return r;
}
u64 ref_rev8(u64 v) {
  u64 r = 0;
  for (unsigned byte = 0; byte < 8; byte++) r |= ((v >> (8 * byte)) & 0xff) << (8 * (7 - byte));
  return r;
}
bool ref_signed_less(u64 a, u64 b) {
  if (bit(a, 63) != bit(b, 63)) return bit(a, 63);
  return a < b;
}

std::vector<u64> inputs() {
  std::vector<u64> v = {0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0x7fffffff, 0x80000000,
                        0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000, ~0ull, ~1ull,
                        0x0123456789abcdef, 0xff00ff00ff00ff00};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 600; i++) v.push_back(rng() >> (rng() % 64));
  return v;
}

TEST(AluReference, Zba) {
  for (u64 a : inputs())
    for (u64 b : {0ull, 1ull, 0xffffffffull, ~0ull, 0x123456789ull}) {
      const u64 wa = a & 0xffffffff;
      EXPECT_EQ(alu::add_uw(a, b), b + wa) << a;
      EXPECT_EQ(alu::sh1add(a, b), b + a * 2) << a;
      EXPECT_EQ(alu::sh2add(a, b), b + a * 4) << a;
      EXPECT_EQ(alu::sh3add(a, b), b + a * 8) << a;
      EXPECT_EQ(alu::sh1add_uw(a, b), b + wa * 2) << a;
      EXPECT_EQ(alu::sh2add_uw(a, b), b + wa * 4) << a;
      EXPECT_EQ(alu::sh3add_uw(a, b), b + wa * 8) << a;
      for (unsigned sh : {0u, 1u, 31u, 32u, 63u}) EXPECT_EQ(alu::slli_uw(a, sh), wa << sh) << a << " " << sh;
    }
}

TEST(AluReference, ZbbCounts) {
  for (u64 a : inputs()) {
    EXPECT_EQ(alu::clz(a), ref_clz(a, 64)) << a;
    EXPECT_EQ(alu::ctz(a), ref_ctz(a, 64)) << a;
    EXPECT_EQ(alu::cpop(a), ref_cpop(a, 64)) << a;
    EXPECT_EQ(alu::clzw(a), ref_clz(a, 32)) << a;
    EXPECT_EQ(alu::ctzw(a), ref_ctz(a, 32)) << a;
    EXPECT_EQ(alu::cpopw(a), ref_cpop(a, 32)) << a;
  }
}

TEST(AluReference, ZbbLogicExtendReverse) {
  const auto values = inputs();
  for (u64 a : values) {
    EXPECT_EQ(alu::sext_b(a), ref_sext(a, 8)) << a;
    EXPECT_EQ(alu::sext_h(a), ref_sext(a, 16)) << a;
    EXPECT_EQ(alu::zext_h(a), a & 0xffff) << a;
    EXPECT_EQ(alu::orc_b(a), ref_orc_b(a)) << a;
    EXPECT_EQ(alu::rev8(a), ref_rev8(a)) << a;
    for (size_t k = 0; k < values.size(); k += 37) {
      const u64 b = values[k];
      EXPECT_EQ(alu::andn(a, b), a & (b ^ ~0ull));
      EXPECT_EQ(alu::orn(a, b), a | (b ^ ~0ull));
      EXPECT_EQ(alu::xnor(a, b), (a ^ b) ^ ~0ull);
      EXPECT_EQ(alu::min(a, b), ref_signed_less(a, b) ? a : b);
      EXPECT_EQ(alu::max(a, b), ref_signed_less(a, b) ? b : a);
      EXPECT_EQ(alu::minu(a, b), a < b ? a : b);
      EXPECT_EQ(alu::maxu(a, b), a < b ? b : a);
    }
  }
}

TEST(AluReference, ZbbRotates) {
  for (u64 a : inputs())
    for (u64 amount : {0ull, 1ull, 5ull, 31ull, 32ull, 33ull, 63ull, 64ull, 0xffffffffffffffc1ull}) {
      EXPECT_EQ(alu::rol(a, amount), ref_rotate_left(a, unsigned(amount % 64), 64)) << a << " " << amount;
      EXPECT_EQ(alu::ror(a, amount), ref_rotate_right(a, unsigned(amount % 64), 64)) << a << " " << amount;
      EXPECT_EQ(alu::rolw(a, amount), ref_rotate_left(a, unsigned(amount % 32), 32)) << a << " " << amount;
      EXPECT_EQ(alu::rorw(a, amount), ref_rotate_right(a, unsigned(amount % 32), 32)) << a << " " << amount;
    }
}

TEST(AluReference, ZbsAndZicond) {
  for (u64 a : inputs())
    for (u64 index : {0ull, 1ull, 31ull, 32ull, 63ull, 64ull, 65ull, 127ull}) {
      const unsigned i = unsigned(index % 64);
      EXPECT_EQ(alu::bext(a, index), bit(a, i));
      EXPECT_EQ(bit(alu::bset(a, index), i), 1u);
      EXPECT_EQ(bit(alu::bclr(a, index), i), 0u);
      EXPECT_EQ(bit(alu::binv(a, index), i), 1 - bit(a, i));
      EXPECT_EQ(alu::bset(a, index) & ~(1ull << i), a & ~(1ull << i));  // other bits unchanged
      EXPECT_EQ(alu::binv(a, index) & ~(1ull << i), a & ~(1ull << i));
      EXPECT_EQ(alu::czero_eqz(a, index), index == 0 ? 0 : a);
      EXPECT_EQ(alu::czero_nez(a, index), index != 0 ? 0 : a);
    }
}

}  // namespace
}  // namespace strata
