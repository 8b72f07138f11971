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
    case Op::Mulh:
    case Op::Mulhu:
    case Op::Div:
    case Op::Divu:
    case Op::Rem:
    case Op::Remu:
    case Op::Divw:
    case Op::Divuw:
    case Op::Remw:
    case Op::Remuw:
      return true;
    default:
      return false;
  }
}

// The result is computed in rd's host register when rd is cached (so a chain of operations
// stays in registers), else in rax and stored to the hart. When rd is cached in the register
// of a second source that is still to be read, rax takes the result instead.
bool BlockEmitter::emit_alu_native(const Decoded& d, const sem::Operands& o) {
  if (!alu_is_native(d.op)) return false;
  if (emit_muldiv(d.op, o)) return true;
  Xbyak::CodeGenerator& g = g_;
  const GuestOperand &a = x(o.rs1), &b = x(o.rs2), &r = x(o.rd);
  const int32_t imm = o.imm;
  const OpKind kind = op_info(d.op).kind;
  const bool shift_by_reg = d.op == Op::Sll || d.op == Op::Srl || d.op == Op::Sra || d.op == Op::Sllw ||
                            d.op == Op::Srlw || d.op == Op::Sraw;
  if (shift_by_reg) g.mov(ecx, b.d());  // read first: the result may land in b's register
  const bool b_pending = kind == OpKind::AluRegReg && !shift_by_reg && o.rs2 != o.rs1;
  const bool in_place = r.cached && !(b_pending && b.cached && o.rs2 == o.rd);
  const Xbyak::Reg64 t = in_place ? r.reg : rax;
  const Xbyak::Reg32 t32 = t.cvt32();
  const auto load = [&] {
    if (!(a.cached && a.reg.getIdx() == t.getIdx())) g.mov(t, a.q());
  };
  const auto load32 = [&] {
    if (!(a.cached && a.reg.getIdx() == t.getIdx())) g.mov(t32, a.d());
  };
  // W forms: the 32-bit result is sign-extended, except where it cannot be negative.
  bool extend = false;
  switch (d.op) {
    case Op::Add:
      load();
      g.add(t, b.q());
      break;
    case Op::Sub:
      load();
      g.sub(t, b.q());
      break;
    case Op::And:
      load();
      g.and_(t, b.q());
      break;
    case Op::Or:
      load();
      g.or_(t, b.q());
      break;
    case Op::Xor:
      load();
      g.xor_(t, b.q());
      break;
    case Op::Addi:
      if (o.rs1 == 0) {
        g.mov(t, imm);  // li
      } else {
        load();
        if (imm) g.add(t, imm);
      }
      break;
    case Op::Andi:
      load();
      g.and_(t, imm);
      break;
    case Op::Ori:
      load();
      g.or_(t, imm);
      break;
    case Op::Xori:
      load();
      if (imm == -1)
        g.not_(t);
      else
        g.xor_(t, imm);
      break;
    case Op::Slli:
      load();
      g.shl(t, imm & 63);
      break;
    case Op::Srli:
      load();
      g.shr(t, imm & 63);
      break;
    case Op::Srai:
      load();
      g.sar(t, imm & 63);
      break;
    // x86 masks 64-bit shift counts to 6 bits and 32-bit ones to 5, as RISC-V does.
    case Op::Sll:
      load();
      g.shl(t, cl);
      break;
    case Op::Srl:
      load();
      g.shr(t, cl);
      break;
    case Op::Sra:
      load();
      g.sar(t, cl);
      break;
    case Op::Addw:
      load32();
      g.add(t32, b.d());
      extend = true;
      break;
    case Op::Subw:
      load32();
      g.sub(t32, b.d());
      extend = true;
      break;
    case Op::Addiw:
      load32();
      if (imm) g.add(t32, imm);
      extend = true;
      break;
    case Op::Slliw:
      load32();
      g.shl(t32, imm & 31);
      extend = true;
      break;
    case Op::Srliw:
      load32();
      g.shr(t32, imm & 31);
      extend = (imm & 31) == 0;  // a shift of at least one clears bit 31
      break;
    case Op::Sraiw:
      load32();
      g.sar(t32, imm & 31);
      extend = true;
      break;
    case Op::Sllw:
      load32();
      g.shl(t32, cl);
      extend = true;
      break;
    case Op::Srlw:
      load32();
      g.shr(t32, cl);
      extend = true;
      break;
    case Op::Sraw:
      load32();
      g.sar(t32, cl);
      extend = true;
      break;
    case Op::Mul:
      load();
      g.imul(t, b.q());
      break;
    case Op::Mulw:
      load32();
      g.imul(t32, b.d());
      extend = true;
      break;
    // Comparisons: the immediate is sign-extended, and sltiu compares it unsigned.
    case Op::Slt:
    case Op::Sltu:
    case Op::Slti:
    case Op::Sltiu: {
      g.mov(rdx, a.q());
      if (kind == OpKind::AluRegReg)
        g.cmp(rdx, b.q());
      else
        g.cmp(rdx, imm);
      const bool is_signed = d.op == Op::Slt || d.op == Op::Slti;
      is_signed ? g.setl(dl) : g.setb(dl);
      g.movzx(t32, dl);
      break;
    }
    default:
      return false;
  }
  if (extend) g.movsxd(t, t32);
  const GuestOperand& out = dst(o.rd);
  if (!in_place) g.mov(out.q(), rax);
  return true;
}

// High multiplies and divisions on x86's rdx:rax forms. RISC-V defines what x86 traps on: a
// zero divisor (quotient all ones, remainder the dividend) and MIN / -1 (quotient MIN,
// remainder 0), which the divisor -1 case covers (the negation of MIN wraps to MIN). W forms
// divide the low words and sign-extend the 32-bit result, whatever their signedness.
bool BlockEmitter::emit_muldiv(Op op, const sem::Operands& o) {
  Xbyak::CodeGenerator& g = g_;
  const GuestOperand &a = x(o.rs1), &b = x(o.rs2);
  if (op == Op::Mulh || op == Op::Mulhu) {
    g.mov(rax, a.q());
    op == Op::Mulh ? g.imul(b.q()) : g.mul(b.q());  // rdx:rax = rax * b
    g.mov(dst(o.rd).q(), rdx);
    return true;
  }
  const bool word = op == Op::Divw || op == Op::Divuw || op == Op::Remw || op == Op::Remuw;
  const bool is_signed = op == Op::Div || op == Op::Rem || op == Op::Divw || op == Op::Remw;
  const bool rem = op == Op::Rem || op == Op::Remu || op == Op::Remw || op == Op::Remuw;
  if (!word && !is_signed && !rem && op != Op::Divu) return false;
  const Xbyak::Reg& divisor = word ? static_cast<const Xbyak::Reg&>(ecx) : rcx;
  const Xbyak::Reg& acc = word ? static_cast<const Xbyak::Reg&>(eax) : rax;
  word ? g.mov(ecx, b.d()) : g.mov(rcx, b.q());
  word ? g.mov(eax, a.d()) : g.mov(rax, a.q());
  Xbyak::Label zero, minus_one, done;
  g.test(divisor, divisor);
  g.jz(zero);
  if (is_signed) {
    g.cmp(divisor, -1);
    g.je(minus_one);
    word ? g.cdq() : g.cqo();
    g.idiv(divisor);
  } else {
    g.xor_(edx, edx);
    g.div(divisor);
  }
  if (rem) word ? g.mov(eax, edx) : g.mov(rax, rdx);
  g.jmp(done);
  g.L(zero);
  if (!rem) g.mov(rax, -1);  // the remainder is the dividend, already in acc
  if (is_signed) {
    g.jmp(done);
    g.L(minus_one);
    rem ? g.xor_(eax, eax) : g.neg(acc);
  }
  g.L(done);
  if (word) g.movsxd(rax, eax);
  g.mov(dst(o.rd).q(), rax);
  return true;
}

void BlockEmitter::emit_alu_call(const Decoded& d, const sem::Operands& o) {
  const OpInfo& info = op_info(d.op);
  save_caller_saved();
  // rsi first: rs2 may be cached in rdi.
  if (info.kind == OpKind::AluRegReg) g_.mov(rsi, x(o.rs2).q());
  if (info.kind == OpKind::AluRegImm) g_.mov(rsi, int64_t(o.imm));
  g_.mov(rdi, x(o.rs1).q());
  g_.mov(rax, info.kind == OpKind::AluReg ? reinterpret_cast<uintptr_t>(info.unary)
                                          : reinterpret_cast<uintptr_t>(info.binary));
  g_.call(rax);
  restore_caller_saved();
  g_.mov(dst(o.rd).q(), rax);
}

void BlockEmitter::emit_upper(const sem::Operands& o, uint64_t pc) {
  const uint64_t value = o.op == Op::Lui ? uint64_t(int64_t(o.imm)) : pc + uint64_t(int64_t(o.imm));
  const GuestOperand& out = dst(o.rd);
  g_.mov(out.cached ? out.reg : rax, value);
  if (!out.cached) g_.mov(out.q(), rax);
}

}  // namespace strata::jit
