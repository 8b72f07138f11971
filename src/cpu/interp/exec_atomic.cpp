// The A extension on host atomics, so harts on different host threads see each other's
// read-modify-writes atomically. LR/SC: SC succeeds when memory still holds the value LR
// saw (compare-and-swap), the usual way to build LR/SC on a host without reservations.
#include <type_traits>

#include "cpu/alu.h"
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"
#include "cpu/interp/memory_ops.h"

namespace strata {
namespace {

template <typename T>
uint64_t widen(T v) {
  return uint64_t(int64_t(std::make_signed_t<T>(v)));  // .w results are sign-extended
}

template <typename T>
const Insn* lr(Hart& h, const Insn* i) {
  const uint64_t va = h.x[i->rs1];
  if (va & (sizeof(T) - 1)) {
    raise_exception(h, cause::kLoadMisaligned, va, h.pc_of(i));
    return nullptr;
  }
  T v;
  if (!load(h, i, va, v)) return nullptr;
  h.reserved = true;
  h.reserved_size = sizeof(T);
  h.reserved_addr = va;
  h.reserved_value = v;
  h.x[i->rd] = widen(v);
  return next(i);
}

template <typename T>
const Insn* sc(Hart& h, const Insn* i) {
  const uint64_t va = h.x[i->rs1];
  const bool held = h.reserved && h.reserved_addr == va && h.reserved_size == sizeof(T);
  h.reserved = false;
  if (!held) {
    h.x[i->rd] = 1;
    return next(i);
  }
  const AtomicTarget target = atomic_target(h, i, va, sizeof(T));
  if (!target.host) return nullptr;
  T expected = T(h.reserved_value);
  const bool stored = __atomic_compare_exchange_n(reinterpret_cast<T*>(target.host), &expected, T(h.x[i->rs2]),
                                                  false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  h.x[i->rd] = stored ? 0 : 1;
  return target.code_written ? complete_and_dispatch(h, i) : next(i);
}

// A read-modify-write: F computes the new memory value from the old one and rs2.
template <typename T, T (*F)(T, T)>
const Insn* amo(Hart& h, const Insn* i) {
  const AtomicTarget target = atomic_target(h, i, h.x[i->rs1], sizeof(T));
  if (!target.host) return nullptr;
  T* p = reinterpret_cast<T*>(target.host);
  const T operand = T(h.x[i->rs2]);
  T old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(p, &old, F(old, operand), true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
  }
  h.x[i->rd] = widen(old);
  return target.code_written ? complete_and_dispatch(h, i) : next(i);
}

template <typename T> T swap_(T, T b) { return b; }
template <typename T> T add_(T a, T b) { return T(a + b); }
template <typename T> T xor_(T a, T b) { return a ^ b; }
template <typename T> T and_(T a, T b) { return a & b; }
template <typename T> T or_(T a, T b) { return a | b; }
template <typename T> T min_(T a, T b) { using S = std::make_signed_t<T>; return S(a) < S(b) ? a : b; }
template <typename T> T max_(T a, T b) { using S = std::make_signed_t<T>; return S(a) > S(b) ? a : b; }
template <typename T> T minu_(T a, T b) { return a < b ? a : b; }
template <typename T> T maxu_(T a, T b) { return a > b ? a : b; }

template <typename T>
void add_width(HandlerTable& t, Op lr_op, Op sc_op, Op swap, Op add, Op x, Op a, Op o, Op mn, Op mx, Op mnu,
               Op mxu) {
  t.set<lr<T>>(lr_op);
  t.set<sc<T>>(sc_op);
  t.set<amo<T, swap_<T>>>(swap);
  t.set<amo<T, add_<T>>>(add);
  t.set<amo<T, xor_<T>>>(x);
  t.set<amo<T, and_<T>>>(a);
  t.set<amo<T, or_<T>>>(o);
  t.set<amo<T, min_<T>>>(mn);
  t.set<amo<T, max_<T>>>(mx);
  t.set<amo<T, minu_<T>>>(mnu);
  t.set<amo<T, maxu_<T>>>(mxu);
}

}  // namespace

void add_atomic_handlers(HandlerTable& t) {
  add_width<uint32_t>(t, Op::LrW, Op::ScW, Op::AmoswapW, Op::AmoaddW, Op::AmoxorW, Op::AmoandW, Op::AmoorW,
                      Op::AmominW, Op::AmomaxW, Op::AmominuW, Op::AmomaxuW);
  add_width<uint64_t>(t, Op::LrD, Op::ScD, Op::AmoswapD, Op::AmoaddD, Op::AmoxorD, Op::AmoandD, Op::AmoorD,
                      Op::AmominD, Op::AmomaxD, Op::AmominuD, Op::AmomaxuD);
}

}  // namespace strata
