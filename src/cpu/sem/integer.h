#pragma once
// Which pure function of cpu/alu.h each one-line integer operation is, and the shape of its
// operands: listed once here for both engines. The interpreter instantiates a handler per
// entry; the JIT emits some of them as host instructions and calls the function for the rest.
#include <cstdint>

#include "cpu/alu.h"
#include "isa/op.h"

namespace strata::sem {

using AluBinary = uint64_t (*)(uint64_t, uint64_t);
using AluUnary = uint64_t (*)(uint64_t);

// Hands every entry to `s`: s.reg_reg<F>(op) (rd = F(rs1, rs2)), s.reg_imm<F>(op)
// (rd = F(rs1, sign-extended imm)) and s.reg<F>(op) (rd = F(rs1)). lui and auipc are not
// here: each engine writes them itself.
template <class Sink>
void add_integer_semantics(Sink& s) {
  using namespace alu;
  // RV64I
  s.template reg_imm<add>(Op::Addi);
  s.template reg_imm<slt>(Op::Slti);
  s.template reg_imm<sltu>(Op::Sltiu);
  s.template reg_imm<xor_>(Op::Xori);
  s.template reg_imm<or_>(Op::Ori);
  s.template reg_imm<and_>(Op::Andi);
  s.template reg_imm<sll>(Op::Slli);
  s.template reg_imm<srl>(Op::Srli);
  s.template reg_imm<sra>(Op::Srai);
  s.template reg_reg<add>(Op::Add);
  s.template reg_reg<sub>(Op::Sub);
  s.template reg_reg<sll>(Op::Sll);
  s.template reg_reg<slt>(Op::Slt);
  s.template reg_reg<sltu>(Op::Sltu);
  s.template reg_reg<xor_>(Op::Xor);
  s.template reg_reg<srl>(Op::Srl);
  s.template reg_reg<sra>(Op::Sra);
  s.template reg_reg<or_>(Op::Or);
  s.template reg_reg<and_>(Op::And);
  s.template reg_imm<addw>(Op::Addiw);
  s.template reg_imm<sllw>(Op::Slliw);
  s.template reg_imm<srlw>(Op::Srliw);
  s.template reg_imm<sraw>(Op::Sraiw);
  s.template reg_reg<addw>(Op::Addw);
  s.template reg_reg<subw>(Op::Subw);
  s.template reg_reg<sllw>(Op::Sllw);
  s.template reg_reg<srlw>(Op::Srlw);
  s.template reg_reg<sraw>(Op::Sraw);
  // M
  s.template reg_reg<mul>(Op::Mul);
  s.template reg_reg<mulh>(Op::Mulh);
  s.template reg_reg<mulhsu>(Op::Mulhsu);
  s.template reg_reg<mulhu>(Op::Mulhu);
  s.template reg_reg<div>(Op::Div);
  s.template reg_reg<divu>(Op::Divu);
  s.template reg_reg<rem>(Op::Rem);
  s.template reg_reg<remu>(Op::Remu);
  s.template reg_reg<mulw>(Op::Mulw);
  s.template reg_reg<divw>(Op::Divw);
  s.template reg_reg<divuw>(Op::Divuw);
  s.template reg_reg<remw>(Op::Remw);
  s.template reg_reg<remuw>(Op::Remuw);
  // Zba
  s.template reg_reg<add_uw>(Op::AddUw);
  s.template reg_reg<sh1add>(Op::Sh1add);
  s.template reg_reg<sh2add>(Op::Sh2add);
  s.template reg_reg<sh3add>(Op::Sh3add);
  s.template reg_reg<sh1add_uw>(Op::Sh1addUw);
  s.template reg_reg<sh2add_uw>(Op::Sh2addUw);
  s.template reg_reg<sh3add_uw>(Op::Sh3addUw);
  s.template reg_imm<slli_uw>(Op::SlliUw);
  // Zbb
  s.template reg_reg<andn>(Op::Andn);
  s.template reg_reg<orn>(Op::Orn);
  s.template reg_reg<xnor>(Op::Xnor);
  s.template reg<clz>(Op::Clz);
  s.template reg<clzw>(Op::Clzw);
  s.template reg<ctz>(Op::Ctz);
  s.template reg<ctzw>(Op::Ctzw);
  s.template reg<cpop>(Op::Cpop);
  s.template reg<cpopw>(Op::Cpopw);
  s.template reg_reg<max>(Op::Max);
  s.template reg_reg<maxu>(Op::Maxu);
  s.template reg_reg<min>(Op::Min);
  s.template reg_reg<minu>(Op::Minu);
  s.template reg<sext_b>(Op::SextB);
  s.template reg<sext_h>(Op::SextH);
  s.template reg<zext_h>(Op::ZextH);
  s.template reg_reg<rol>(Op::Rol);
  s.template reg_reg<rolw>(Op::Rolw);
  s.template reg_reg<ror>(Op::Ror);
  s.template reg_imm<ror>(Op::Rori);
  s.template reg_imm<rorw>(Op::Roriw);
  s.template reg_reg<rorw>(Op::Rorw);
  s.template reg<orc_b>(Op::OrcB);
  s.template reg<rev8>(Op::Rev8);
  // Zbs
  s.template reg_reg<bclr>(Op::Bclr);
  s.template reg_imm<bclr>(Op::Bclri);
  s.template reg_reg<bext>(Op::Bext);
  s.template reg_imm<bext>(Op::Bexti);
  s.template reg_reg<binv>(Op::Binv);
  s.template reg_imm<binv>(Op::Binvi);
  s.template reg_reg<bset>(Op::Bset);
  s.template reg_imm<bset>(Op::Bseti);
  // Zicond
  s.template reg_reg<czero_eqz>(Op::CzeroEqz);
  s.template reg_reg<czero_nez>(Op::CzeroNez);
}

}  // namespace strata::sem
