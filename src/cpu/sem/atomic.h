#pragma once
// The A extension on host atomics, so harts on different host threads see each other's
// read-modify-writes atomically. LR/SC: SC succeeds when memory still holds the value LR
// saw (compare-and-swap), the usual way to build LR/SC on a host without reservations.
#include <type_traits>

#include "cpu/sem/memory.h"
#include "cpu/sem/semantic.h"

namespace strata::sem {

template <typename T>
uint64_t widen_word(T v) {
  return uint64_t(int64_t(std::make_signed_t<T>(v)));  // .w results are sign-extended
}

template <typename T>
Flow lr(Hart& h, const Operands& o, uint64_t pc) {
  const uint64_t va = h.x[o.rs1];
  if (va & (sizeof(T) - 1)) {
    raise_exception(h, cause::kLoadMisaligned, va, pc);
    return Flow::Trapped;
  }
  T v;
  if (const Flow f = load(h, pc, o.len, va, v); f != Flow::Continue) return f;
  h.reserved = true;
  h.reserved_size = sizeof(T);
  h.reserved_addr = va;
  h.reserved_value = v;
  h.x[o.rd] = widen_word(v);
  return Flow::Continue;
}

template <typename T>
Flow sc(Hart& h, const Operands& o, uint64_t pc) {
  const uint64_t va = h.x[o.rs1];
  const bool held = h.reserved && h.reserved_addr == va && h.reserved_size == sizeof(T);
  h.reserved = false;
  if (!held) {
    h.x[o.rd] = 1;
    return Flow::Continue;
  }
  const AtomicTarget target = atomic_target(h, pc, va, sizeof(T));
  if (!target.host) return Flow::Trapped;
  T expected = T(h.reserved_value);
  const bool stored = __atomic_compare_exchange_n(reinterpret_cast<T*>(target.host), &expected, T(h.x[o.rs2]),
                                                  false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  h.x[o.rd] = stored ? 0 : 1;
  return target.code_written ? complete_and_leave(h, o, pc) : Flow::Continue;
}

// A read-modify-write: F computes the new memory value from the old one and rs2.
template <typename T, T (*F)(T, T)>
Flow amo(Hart& h, const Operands& o, uint64_t pc) {
  const AtomicTarget target = atomic_target(h, pc, h.x[o.rs1], sizeof(T));
  if (!target.host) return Flow::Trapped;
  T* p = reinterpret_cast<T*>(target.host);
  const T operand = T(h.x[o.rs2]);
  T old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(p, &old, F(old, operand), true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
  }
  h.x[o.rd] = widen_word(old);
  return target.code_written ? complete_and_leave(h, o, pc) : Flow::Continue;
}

namespace amo_fn {
template <typename T>
T swap(T, T b) {
  return b;
}
template <typename T>
T add(T a, T b) {
  return T(a + b);
}
template <typename T>
T xor_(T a, T b) {
  return a ^ b;
}
template <typename T>
T and_(T a, T b) {
  return a & b;
}
template <typename T>
T or_(T a, T b) {
  return a | b;
}
template <typename T>
T min(T a, T b) {
  using S = std::make_signed_t<T>;
  return S(a) < S(b) ? a : b;
}
template <typename T>
T max(T a, T b) {
  using S = std::make_signed_t<T>;
  return S(a) > S(b) ? a : b;
}
template <typename T>
T minu(T a, T b) {
  return a < b ? a : b;
}
template <typename T>
T maxu(T a, T b) {
  return a > b ? a : b;
}
}  // namespace amo_fn

// The operations of one width, in the order of the Op enum.
struct AtomicOps {
  Op lr, sc, swap, add, xor_, and_, or_, min, max, minu, maxu;
};

template <typename T, class Sink>
void add_atomic_width(Sink& s, const AtomicOps& o) {
  s.template add<lr<T>>(o.lr);
  s.template add<sc<T>>(o.sc);
  s.template add<amo<T, amo_fn::swap<T>>>(o.swap);
  s.template add<amo<T, amo_fn::add<T>>>(o.add);
  s.template add<amo<T, amo_fn::xor_<T>>>(o.xor_);
  s.template add<amo<T, amo_fn::and_<T>>>(o.and_);
  s.template add<amo<T, amo_fn::or_<T>>>(o.or_);
  s.template add<amo<T, amo_fn::min<T>>>(o.min);
  s.template add<amo<T, amo_fn::max<T>>>(o.max);
  s.template add<amo<T, amo_fn::minu<T>>>(o.minu);
  s.template add<amo<T, amo_fn::maxu<T>>>(o.maxu);
}

// Hands every A-extension semantic function to `s` (see sem/table.h for sinks).
template <class Sink>
void add_atomic_semantics(Sink& s) {
  add_atomic_width<uint32_t>(s, {Op::LrW, Op::ScW, Op::AmoswapW, Op::AmoaddW, Op::AmoxorW, Op::AmoandW,
                                 Op::AmoorW, Op::AmominW, Op::AmomaxW, Op::AmominuW, Op::AmomaxuW});
  add_atomic_width<uint64_t>(s, {Op::LrD, Op::ScD, Op::AmoswapD, Op::AmoaddD, Op::AmoxorD, Op::AmoandD,
                                 Op::AmoorD, Op::AmominD, Op::AmomaxD, Op::AmominuD, Op::AmomaxuD});
}

}  // namespace strata::sem
