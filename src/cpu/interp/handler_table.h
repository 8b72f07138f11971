#pragma once
// Which handler runs each operation. Each group of handlers lives in its own file and
// registers itself here, and the engine-neutral semantics of cpu/sem/ register through
// add(); an operation nobody registered raises illegal-instruction.
#include <array>

#include "cpu/hart.h"
#include "cpu/interp/handler_util.h"
#include "cpu/interp/insn.h"

namespace strata {

// Runs one instruction of `Slots` slots (1 compressed, 2 full), then the next one straight
// from here (a tail call) while the chain lasts. Every instruction thus ends in its own
// indirect jump, which the host predicts far better than one call site shared by all of
// them, and the chain count stays in a register. It is stored on the way (never read back,
// so no dependency through memory) for the counter CSRs and for the dispatcher, which
// counts the instructions a chain ran from it.
template <Step F, unsigned Slots>
const Insn* chained(Hart& h, const Insn* i, uint32_t left) {
  h.chain_left = left;
  const Insn* n = F(h, i);
  if (is_next(n))
    n = i + Slots;
  else if (!n)
    return nullptr;
  if (--left == 0) [[unlikely]]
    return n;
  return n->fn(h, n, left);
}

class HandlerTable {
 public:
  template <Step F>
  void set(Op op) {
    compressed_[size_t(op)] = chained<F, 1>;
    full_[size_t(op)] = chained<F, 2>;
  }
  // An engine-neutral semantic function (see cpu/sem/table.h): the table is a sink of
  // add_all_semantics.
  template <sem::SemFn F>
  void add(Op op) {
    set<via_sem<F>>(op);
  }
  template <Step F>
  void fill() {
    compressed_.fill(chained<F, 1>);
    full_.fill(chained<F, 2>);
  }
  // The handler of `op` for an instruction of `len` bytes.
  Handler get(Op op, unsigned len) const { return len == 2 ? compressed_[size_t(op)] : full_[size_t(op)]; }

 private:
  std::array<Handler, kOpCount> compressed_{};
  std::array<Handler, kOpCount> full_{};
};

const HandlerTable& handler_table();

void add_integer_handlers(HandlerTable& table);  // exec_integer.cpp: RV64I ALU, M, Zba/Zbb/Zbs, Zicond
void add_control_handlers(HandlerTable& table);  // exec_control.cpp: jal, jalr, branches
// Everything else (memory, atomics, FP, CSRs, system) comes from cpu/sem/.

}  // namespace strata
