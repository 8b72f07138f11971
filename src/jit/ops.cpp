#include "jit/ops.h"

#include <array>

#include "cpu/sem/table.h"

namespace strata::jit {
namespace {

struct Sink {
  std::array<OpInfo, kOpCount>& info;
  template <sem::AluBinary F>
  void reg_reg(Op op) {
    info[size_t(op)] = {OpKind::AluRegReg, F, nullptr, nullptr};
  }
  template <sem::AluBinary F>
  void reg_imm(Op op) {
    info[size_t(op)] = {OpKind::AluRegImm, F, nullptr, nullptr};
  }
  template <sem::AluUnary F>
  void reg(Op op) {
    info[size_t(op)] = {OpKind::AluReg, nullptr, F, nullptr};
  }
};

std::array<OpInfo, kOpCount> build() {
  std::array<OpInfo, kOpCount> info{};
  for (Op op : {Op::Jal, Op::Jalr, Op::Beq, Op::Bne, Op::Blt, Op::Bge, Op::Bltu, Op::Bgeu})
    info[size_t(op)].kind = OpKind::Control;
  info[size_t(Op::Lui)].kind = info[size_t(Op::Auipc)].kind = OpKind::Upper;
  Sink sink{info};
  sem::add_integer_semantics(sink);
  for (unsigned i = 0; i < kOpCount; i++)
    if (sem::SemFn f = sem::semantic_function(Op(i)); f && info[i].kind == OpKind::None)
      info[i] = {OpKind::Semantic, nullptr, nullptr, f};
  return info;
}

}  // namespace

const OpInfo& op_info(Op op) {
  static const std::array<OpInfo, kOpCount> table = build();
  return table[size_t(op) < kOpCount ? size_t(op) : 0];
}

}  // namespace strata::jit
