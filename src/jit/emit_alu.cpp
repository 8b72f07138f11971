// Integer operations: the common ones as host instructions on guest registers in the hart,
// the rest as a call to their pure function from cpu/alu.h. x0 as a destination is the
// sink register (sem::kZeroSink), so no write is ever skipped or tested.
#include <xbyak/xbyak.h>

#include "jit/emitter.h"
#include "jit/guest_operand.h"
#include "jit/ops.h"

namespace strata::jit {

using namespace Xbyak::util;

bool alu_is_native(Op op) {
  switch (op) {
    case Op::Add:
    case Op::Sub:
    case Op::And:
    case Op::Or:
    case Op::Xor:
    case Op::Addi:
    case Op::Andi:
    case Op::Ori:
    case Op::Xori:
    case Op::Slli:
    case Op::Srli:
    case Op::Srai:
    case Op::Sll:
    case Op::Srl:
    case Op::Sra:
    case Op::Addw:
    case Op::Subw:
    case Op::Addiw:
    case Op::Slliw:
    case Op::Srliw:
    case Op::Sraiw:
    case Op::Sllw:
    case Op::Srlw:
    case Op::Sraw:
    case Op::Slt:
    case Op::Sltu:
    case Op::Slti:
    case Op::Sltiu:
    case Op::Mul:
    case Op::Mulw:
      return true;
    default:
      return false;
  }
}

bool BlockEmitter::emit_alu_native(const Decoded& d, const sem::Operands& o) {
  if (!alu_is_native(d.op)) return false;
  const GuestOperand &rs1 = x(o.rs1), &rs2 = x(o.rs2);
  const auto x = [&](unsigned r) -> const Xbyak::Operand& { return r == o.rs1 ? rs1.q() : rs2.q(); };
  const auto w = [&](unsigned r) -> const Xbyak::Operand& { return r == o.rs1 ? rs1.d() : rs2.d(); };
  const int32_t imm = o.imm;
  Xbyak::CodeGenerator& g = g_;
  bool word = false;  // a W form: the 32-bit result in eax is sign-extended
  switch (d.op) {
    case Op::Add:
      g.mov(rax, x(o.rs1));
      g.add(rax, x(o.rs2));
      break;
    case Op::Sub:
      g.mov(rax, x(o.rs1));
      g.sub(rax, x(o.rs2));
      break;
    case Op::And:
      g.mov(rax, x(o.rs1));
      g.and_(rax, x(o.rs2));
      break;
    case Op::Or:
      g.mov(rax, x(o.rs1));
      g.or_(rax, x(o.rs2));
      break;
    case Op::Xor:
      g.mov(rax, x(o.rs1));
      g.xor_(rax, x(o.rs2));
      break;
    case Op::Addi:
      g.mov(rax, x(o.rs1));
      g.add(rax, imm);
      break;
    case Op::Andi:
      g.mov(rax, x(o.rs1));
      g.and_(rax, imm);
      break;
    case Op::Ori:
      g.mov(rax, x(o.rs1));
      g.or_(rax, imm);
      break;
    case Op::Xori:
      g.mov(rax, x(o.rs1));
      g.xor_(rax, imm);
      break;
    case Op::Slli:
      g.mov(rax, x(o.rs1));
      g.shl(rax, imm & 63);
      break;
    case Op::Srli:
      g.mov(rax, x(o.rs1));
      g.shr(rax, imm & 63);
      break;
    case Op::Srai:
      g.mov(rax, x(o.rs1));
      g.sar(rax, imm & 63);
      break;
    // x86 masks 64-bit shift counts to 6 bits and 32-bit ones to 5, as RISC-V does.
    case Op::Sll:
      g.mov(rax, x(o.rs1));
      g.mov(rcx, x(o.rs2));
      g.shl(rax, cl);
      break;
    case Op::Srl:
      g.mov(rax, x(o.rs1));
      g.mov(rcx, x(o.rs2));
      g.shr(rax, cl);
      break;
    case Op::Sra:
      g.mov(rax, x(o.rs1));
      g.mov(rcx, x(o.rs2));
      g.sar(rax, cl);
      break;
    case Op::Addw:
      g.mov(eax, w(o.rs1));
      g.add(eax, w(o.rs2));
      word = true;
      break;
    case Op::Subw:
      g.mov(eax, w(o.rs1));
      g.sub(eax, w(o.rs2));
      word = true;
      break;
    case Op::Addiw:
      g.mov(eax, w(o.rs1));
      g.add(eax, imm);
      word = true;
      break;
    case Op::Slliw:
      g.mov(eax, w(o.rs1));
      g.shl(eax, imm & 31);
      word = true;
      break;
    case Op::Srliw:
      g.mov(eax, w(o.rs1));
      g.shr(eax, imm & 31);
      word = true;
      break;
    case Op::Sraiw:
      g.mov(eax, w(o.rs1));
      g.sar(eax, imm & 31);
      word = true;
      break;
    case Op::Sllw:
      g.mov(eax, w(o.rs1));
      g.mov(ecx, w(o.rs2));
      g.shl(eax, cl);
      word = true;
      break;
    case Op::Srlw:
      g.mov(eax, w(o.rs1));
      g.mov(ecx, w(o.rs2));
      g.shr(eax, cl);
      word = true;
      break;
    case Op::Sraw:
      g.mov(eax, w(o.rs1));
      g.mov(ecx, w(o.rs2));
      g.sar(eax, cl);
      word = true;
      break;
    case Op::Mul:
      g.mov(rax, x(o.rs1));
      g.imul(rax, x(o.rs2));
      break;
    case Op::Mulw:
      g.mov(eax, w(o.rs1));
      g.imul(eax, w(o.rs2));
      word = true;
      break;
    // Comparisons: the immediate is sign-extended, and sltiu compares it unsigned.
    case Op::Slt:
      g.mov(rax, x(o.rs1));
      g.cmp(rax, x(o.rs2));
      g.setl(al);
      g.movzx(eax, al);
      break;
    case Op::Sltu:
      g.mov(rax, x(o.rs1));
      g.cmp(rax, x(o.rs2));
      g.setb(al);
      g.movzx(eax, al);
      break;
    case Op::Slti:
      g.mov(rax, x(o.rs1));
      g.cmp(rax, imm);
      g.setl(al);
      g.movzx(eax, al);
      break;
    case Op::Sltiu:
      g.mov(rax, x(o.rs1));
      g.cmp(rax, imm);
      g.setb(al);
      g.movzx(eax, al);
      break;
    default:
      return false;
  }
  if (word) g.movsxd(rax, eax);
  g.mov(dst(o.rd).q(), rax);
  return true;
}

void BlockEmitter::emit_alu_call(const Decoded& d, const sem::Operands& o) {
  const OpInfo& info = op_info(d.op);
  g_.mov(rdi, x(o.rs1).q());
  if (info.kind == OpKind::AluRegReg) g_.mov(rsi, x(o.rs2).q());
  if (info.kind == OpKind::AluRegImm) g_.mov(rsi, int64_t(o.imm));
  g_.mov(rax, info.kind == OpKind::AluReg ? reinterpret_cast<uintptr_t>(info.unary)
                                          : reinterpret_cast<uintptr_t>(info.binary));
  g_.call(rax);  // the cached guest registers are callee-saved: a pure function keeps them
  g_.mov(dst(o.rd).q(), rax);
}

void BlockEmitter::emit_upper(const sem::Operands& o, uint64_t pc) {
  const uint64_t value = o.op == Op::Lui ? uint64_t(int64_t(o.imm)) : pc + uint64_t(int64_t(o.imm));
  g_.mov(rax, value);
  g_.mov(dst(o.rd).q(), rax);
}

}  // namespace strata::jit
