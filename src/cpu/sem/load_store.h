#pragma once
// Integer loads and stores, and the memory-ordering fences.
#include <atomic>
#include <type_traits>

#include "cpu/sem/memory.h"
#include "cpu/sem/semantic.h"

namespace strata::sem {

// Forced inline into the interpreter's chain handlers: the compiler otherwise splits each
// into a call (loads and stores are a third of a kernel's instructions).
template <typename T>
[[gnu::always_inline]] inline Flow load_op(Hart& h, const Operands& o, uint64_t pc) {
  T v;
  if (const Flow f = load(h, pc, o.len, h.x[o.rs1] + uint64_t(int64_t(o.imm)), v); f != Flow::Continue)
    return f;
  using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
  h.x[o.rd] = uint64_t(Wide(v));
  return Flow::Continue;
}

template <typename T>
[[gnu::always_inline]] inline Flow store_op(Hart& h, const Operands& o, uint64_t pc) {
  return store(h, pc, o.len, h.x[o.rs1] + uint64_t(int64_t(o.imm)), T(h.x[o.rs2]));
}

// The host (x86-64, TSO) keeps every order RVWMO asks for except a store followed by a
// load: only a fence ordering earlier writes before later reads needs a host fence.
inline bool fence_needs_host_fence(int32_t imm) {
  const unsigned pred = (imm >> 4) & 0xf, succ = imm & 0xf;
  constexpr unsigned kR = 2, kW = 1;
  return (pred & kW) && (succ & kR);
}
inline Flow fence(Hart&, const Operands& o, uint64_t) {
  if (fence_needs_host_fence(o.imm)) std::atomic_thread_fence(std::memory_order_seq_cst);
  return Flow::Continue;
}

// fence.i: code derived from memory must agree with it again.
inline Flow fence_i(Hart& h, const Operands& o, uint64_t pc) {
  h.engine()->sync_code(h);
  return complete_and_leave(h, o, pc);
}

template <class Sink>
void add_load_store_semantics(Sink& s) {
  s.template add<load_op<int8_t>>(Op::Lb);
  s.template add<load_op<int16_t>>(Op::Lh);
  s.template add<load_op<int32_t>>(Op::Lw);
  s.template add<load_op<int64_t>>(Op::Ld);
  s.template add<load_op<uint8_t>>(Op::Lbu);
  s.template add<load_op<uint16_t>>(Op::Lhu);
  s.template add<load_op<uint32_t>>(Op::Lwu);
  s.template add<store_op<uint8_t>>(Op::Sb);
  s.template add<store_op<uint16_t>>(Op::Sh);
  s.template add<store_op<uint32_t>>(Op::Sw);
  s.template add<store_op<uint64_t>>(Op::Sd);
  s.template add<fence>(Op::Fence);
  s.template add<fence_i>(Op::FenceI);
}

}  // namespace strata::sem
