#pragma once
// Integer semantics of RV64 I/M/Zba/Zbb/Zbs/Zicond as pure functions of the operand values.
// Engines (the interpreter's handlers, the JIT's helpers) and tests all use these.
#include <bit>
#include <cstdint>

namespace strata::alu {

using u64 = uint64_t;
using i64 = int64_t;
using i128 = __int128;
using u128 = unsigned __int128;

constexpr u64 sext32(u64 v) { return u64(i64(int32_t(uint32_t(v)))); }
constexpr u64 zext32(u64 v) { return uint32_t(v); }

// RV64I
constexpr u64 add(u64 a, u64 b) { return a + b; }
constexpr u64 sub(u64 a, u64 b) { return a - b; }
constexpr u64 sll(u64 a, u64 b) { return a << (b & 63); }
constexpr u64 slt(u64 a, u64 b) { return i64(a) < i64(b); }
constexpr u64 sltu(u64 a, u64 b) { return a < b; }
constexpr u64 xor_(u64 a, u64 b) { return a ^ b; }
constexpr u64 srl(u64 a, u64 b) { return a >> (b & 63); }
constexpr u64 sra(u64 a, u64 b) { return u64(i64(a) >> (b & 63)); }
constexpr u64 or_(u64 a, u64 b) { return a | b; }
constexpr u64 and_(u64 a, u64 b) { return a & b; }
constexpr u64 addw(u64 a, u64 b) { return sext32(a + b); }
constexpr u64 subw(u64 a, u64 b) { return sext32(a - b); }
constexpr u64 sllw(u64 a, u64 b) { return sext32(uint32_t(a) << (b & 31)); }
constexpr u64 srlw(u64 a, u64 b) { return sext32(uint32_t(a) >> (b & 31)); }
constexpr u64 sraw(u64 a, u64 b) { return u64(i64(int32_t(a) >> (b & 31))); }

// M: division by zero and overflow never trap; results are the spec's fixed values.
constexpr u64 mul(u64 a, u64 b) { return a * b; }
constexpr u64 mulh(u64 a, u64 b) { return u64((i128(i64(a)) * i128(i64(b))) >> 64); }
constexpr u64 mulhsu(u64 a, u64 b) { return u64((i128(i64(a)) * i128(b)) >> 64); }
constexpr u64 mulhu(u64 a, u64 b) { return u64((u128(a) * u128(b)) >> 64); }
constexpr u64 div(u64 a, u64 b) {
  if (b == 0) return ~0ull;
  if (i64(a) == INT64_MIN && i64(b) == -1) return a;
  return u64(i64(a) / i64(b));
}
constexpr u64 divu(u64 a, u64 b) { return b == 0 ? ~0ull : a / b; }
constexpr u64 rem(u64 a, u64 b) {
  if (b == 0) return a;
  if (i64(a) == INT64_MIN && i64(b) == -1) return 0;
  return u64(i64(a) % i64(b));
}
constexpr u64 remu(u64 a, u64 b) { return b == 0 ? a : a % b; }
constexpr u64 mulw(u64 a, u64 b) { return sext32(a * b); }
constexpr u64 divw(u64 a, u64 b) {
  const int32_t x = int32_t(a), y = int32_t(b);
  if (y == 0) return ~0ull;
  if (x == INT32_MIN && y == -1) return sext32(u64(uint32_t(x)));
  return sext32(u64(uint32_t(x / y)));
}
constexpr u64 divuw(u64 a, u64 b) {
  const uint32_t x = uint32_t(a), y = uint32_t(b);
  return y == 0 ? ~0ull : sext32(x / y);
}
constexpr u64 remw(u64 a, u64 b) {
  const int32_t x = int32_t(a), y = int32_t(b);
  if (y == 0) return sext32(u64(uint32_t(x)));
  if (x == INT32_MIN && y == -1) return 0;
  return sext32(u64(uint32_t(x % y)));
}
constexpr u64 remuw(u64 a, u64 b) {
  const uint32_t x = uint32_t(a), y = uint32_t(b);
  return y == 0 ? sext32(x) : sext32(x % y);
}

// Zba
constexpr u64 add_uw(u64 a, u64 b) { return zext32(a) + b; }
constexpr u64 sh1add(u64 a, u64 b) { return (a << 1) + b; }
constexpr u64 sh2add(u64 a, u64 b) { return (a << 2) + b; }
constexpr u64 sh3add(u64 a, u64 b) { return (a << 3) + b; }
constexpr u64 sh1add_uw(u64 a, u64 b) { return (zext32(a) << 1) + b; }
constexpr u64 sh2add_uw(u64 a, u64 b) { return (zext32(a) << 2) + b; }
constexpr u64 sh3add_uw(u64 a, u64 b) { return (zext32(a) << 3) + b; }
constexpr u64 slli_uw(u64 a, u64 b) { return zext32(a) << (b & 63); }

// Zbb
constexpr u64 andn(u64 a, u64 b) { return a & ~b; }
constexpr u64 orn(u64 a, u64 b) { return a | ~b; }
constexpr u64 xnor(u64 a, u64 b) { return ~(a ^ b); }
constexpr u64 clz(u64 a) { return u64(std::countl_zero(a)); }
constexpr u64 clzw(u64 a) { return u64(std::countl_zero(uint32_t(a))); }
constexpr u64 ctz(u64 a) { return u64(std::countr_zero(a)); }
constexpr u64 ctzw(u64 a) { return u64(std::countr_zero(uint32_t(a))); }
constexpr u64 cpop(u64 a) { return u64(std::popcount(a)); }
constexpr u64 cpopw(u64 a) { return u64(std::popcount(uint32_t(a))); }
constexpr u64 max(u64 a, u64 b) { return i64(a) > i64(b) ? a : b; }
constexpr u64 maxu(u64 a, u64 b) { return a > b ? a : b; }
constexpr u64 min(u64 a, u64 b) { return i64(a) < i64(b) ? a : b; }
constexpr u64 minu(u64 a, u64 b) { return a < b ? a : b; }
constexpr u64 sext_b(u64 a) { return u64(i64(int8_t(a))); }
constexpr u64 sext_h(u64 a) { return u64(i64(int16_t(a))); }
constexpr u64 zext_h(u64 a) { return uint16_t(a); }
constexpr u64 rol(u64 a, u64 b) { return std::rotl(a, int(b & 63)); }
constexpr u64 ror(u64 a, u64 b) { return std::rotr(a, int(b & 63)); }
constexpr u64 rolw(u64 a, u64 b) { return sext32(std::rotl(uint32_t(a), int(b & 31))); }
constexpr u64 rorw(u64 a, u64 b) { return sext32(std::rotr(uint32_t(a), int(b & 31))); }
constexpr u64 orc_b(u64 a) {
  u64 r = 0;
  for (int byte = 0; byte < 8; byte++)
    if ((a >> (8 * byte)) & 0xff) r |= 0xffull << (8 * byte);
  return r;
}
constexpr u64 rev8(u64 a) { return __builtin_bswap64(a); }

// Zbs
constexpr u64 bclr(u64 a, u64 b) { return a & ~(1ull << (b & 63)); }
constexpr u64 bext(u64 a, u64 b) { return (a >> (b & 63)) & 1; }
constexpr u64 binv(u64 a, u64 b) { return a ^ (1ull << (b & 63)); }
constexpr u64 bset(u64 a, u64 b) { return a | (1ull << (b & 63)); }

// Zicond
constexpr u64 czero_eqz(u64 a, u64 b) { return b == 0 ? 0 : a; }
constexpr u64 czero_nez(u64 a, u64 b) { return b != 0 ? 0 : a; }

}  // namespace strata::alu
