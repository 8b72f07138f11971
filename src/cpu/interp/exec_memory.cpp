// Loads, stores and fences.
#include <atomic>
#include <type_traits>

#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"
#include "cpu/interp/memory_ops.h"

namespace strata {
namespace {

// Forced inline into their chain handlers: the compiler otherwise splits each into a call
// (loads and stores are a third of a kernel's instructions).
template <typename T>
[[gnu::always_inline]] inline const Insn* load_op(Hart& h, const Insn* i) {
  T v;
  if (!load(h, i, h.x[i->rs1] + uint64_t(int64_t(i->imm)), v)) return nullptr;
  using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
  h.x[i->rd] = uint64_t(Wide(v));
  return next(i);
}

template <typename T>
[[gnu::always_inline]] inline const Insn* store_op(Hart& h, const Insn* i) {
  if (!store(h, i, h.x[i->rs1] + uint64_t(int64_t(i->imm)), T(h.x[i->rs2]))) return nullptr;
  return next(i);
}

// The host (x86-64, TSO) keeps every order RVWMO asks for except a store followed by a
// load: only a fence ordering earlier writes before later reads needs a host fence.
const Insn* fence(Hart& h, const Insn* i) {
  const unsigned pred = (i->imm >> 4) & 0xf, succ = i->imm & 0xf;
  constexpr unsigned kR = 2, kW = 1;
  if ((pred & kW) && (succ & kR)) std::atomic_thread_fence(std::memory_order_seq_cst);
  return next(i);
}

const Insn* fence_i(Hart& h, const Insn* i) {
  h.engine()->sync_code(h);
  return complete_and_dispatch(h, i);
}

}  // namespace

void add_memory_handlers(HandlerTable& t) {
  t.set<load_op<int8_t>>(Op::Lb);
  t.set<load_op<int16_t>>(Op::Lh);
  t.set<load_op<int32_t>>(Op::Lw);
  t.set<load_op<int64_t>>(Op::Ld);
  t.set<load_op<uint8_t>>(Op::Lbu);
  t.set<load_op<uint16_t>>(Op::Lhu);
  t.set<load_op<uint32_t>>(Op::Lwu);
  t.set<store_op<uint8_t>>(Op::Sb);
  t.set<store_op<uint16_t>>(Op::Sh);
  t.set<store_op<uint32_t>>(Op::Sw);
  t.set<store_op<uint64_t>>(Op::Sd);
  t.set<fence>(Op::Fence);
  t.set<fence_i>(Op::FenceI);
}

}  // namespace strata
