// Jumps and branches: each ends its block, chained to the next one when it is direct and
// stays in the page, else with the next guest pc in hart.pc.
#include <xbyak/xbyak.h>

#include "jit/emitter.h"
#include "jit/guest_operand.h"

namespace strata::jit {

using namespace Xbyak::util;

void BlockEmitter::emit_control(unsigned k, const sem::Operands& o) {
  const uint64_t pc = b_.pcs[k], next = pc + o.len, target = pc + uint64_t(int64_t(o.imm));
  Xbyak::CodeGenerator& g = g_;
  const auto x = [&](unsigned r) { return BlockEmitter::x(r); };
  if (o.op == Op::Jal) {
    g.mov(rax, next);
    g.mov(dst(o.rd).q(), rax);
    exit_to(target);
    return;
  }
  if (o.op == Op::Jalr) {
    g.mov(rax, x(o.rs1).q());  // read before rd is written (rd may be rs1)
    g.add(rax, o.imm);
    g.and_(rax, -2);
    g.mov(rcx, next);
    g.mov(dst(o.rd).q(), rcx);
    g.mov(qword[rbx + l_.pc], rax);
    jump_through_cache();
    return;
  }
  Xbyak::Label taken;
  if (const GuestOperand& a = x(o.rs1); a.cached) {
    g.cmp(a.reg, x(o.rs2).q());
  } else {
    g.mov(rax, a.q());
    g.cmp(rax, x(o.rs2).q());
  }
  switch (o.op) {
    case Op::Beq:
      g.je(taken, Xbyak::CodeGenerator::T_NEAR);
      break;
    case Op::Bne:
      g.jne(taken, Xbyak::CodeGenerator::T_NEAR);
      break;
    case Op::Blt:
      g.jl(taken, Xbyak::CodeGenerator::T_NEAR);
      break;
    case Op::Bge:
      g.jge(taken, Xbyak::CodeGenerator::T_NEAR);
      break;
    case Op::Bltu:
      g.jb(taken, Xbyak::CodeGenerator::T_NEAR);
      break;
    default:
      g.jae(taken, Xbyak::CodeGenerator::T_NEAR);
      break;  // Bgeu
  }
  exit_to(next);
  g.L(taken);
  exit_to(target);
}

}  // namespace strata::jit
