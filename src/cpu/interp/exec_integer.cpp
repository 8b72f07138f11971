// Register-register and register-immediate integer operations: one template per operand
// shape, instantiated with the pure semantics of cpu/alu.h as cpu/sem/integer.h lists them.
#include "cpu/alu.h"
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"
#include "cpu/sem/integer.h"

namespace strata {
namespace {

using Binary = uint64_t (*)(uint64_t, uint64_t);
using Unary = uint64_t (*)(uint64_t);

template <Binary F>
const Insn* reg_reg(Hart& h, const Insn* i) {
  h.x[i->rd] = F(h.x[i->rs1], h.x[i->rs2]);
  return next(i);
}

template <Binary F>
const Insn* reg_imm(Hart& h, const Insn* i) {
  h.x[i->rd] = F(h.x[i->rs1], uint64_t(int64_t(i->imm)));
  return next(i);
}

template <Unary F>
const Insn* reg(Hart& h, const Insn* i) {
  h.x[i->rd] = F(h.x[i->rs1]);
  return next(i);
}

const Insn* lui(Hart& h, const Insn* i) {
  h.x[i->rd] = uint64_t(int64_t(i->imm));
  return next(i);
}

const Insn* auipc(Hart& h, const Insn* i) {
  h.x[i->rd] = pc_of(i) + uint64_t(int64_t(i->imm));
  return next(i);
}

struct IntegerSink {
  HandlerTable& t;
  template <Binary F>
  void reg_reg(Op op) {
    t.set<strata::reg_reg<F>>(op);
  }
  template <Binary F>
  void reg_imm(Op op) {
    t.set<strata::reg_imm<F>>(op);
  }
  template <Unary F>
  void reg(Op op) {
    t.set<strata::reg<F>>(op);
  }
};

}  // namespace

void add_integer_handlers(HandlerTable& t) {
  using namespace alu;
  t.set<lui>(Op::Lui);
  t.set<auipc>(Op::Auipc);
  IntegerSink sink{t};
  sem::add_integer_semantics(sink);
}

}  // namespace strata
