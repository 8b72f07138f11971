// Register-register and register-immediate integer operations: one template per operand
// shape, instantiated with the pure semantics of cpu/alu.h.
#include "cpu/alu.h"
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"

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
  h.x[i->rd] = h.pc_of(i) + uint64_t(int64_t(i->imm));
  return next(i);
}

}  // namespace

void add_integer_handlers(HandlerTable& t) {
  using namespace alu;
  auto set = [&t](Op op, Handler fn) { t[size_t(op)] = fn; };
  set(Op::Lui, lui);
  set(Op::Auipc, auipc);
  // RV64I
  set(Op::Addi, reg_imm<add>);
  set(Op::Slti, reg_imm<slt>);
  set(Op::Sltiu, reg_imm<sltu>);
  set(Op::Xori, reg_imm<xor_>);
  set(Op::Ori, reg_imm<or_>);
  set(Op::Andi, reg_imm<and_>);
  set(Op::Slli, reg_imm<sll>);
  set(Op::Srli, reg_imm<srl>);
  set(Op::Srai, reg_imm<sra>);
  set(Op::Add, reg_reg<add>);
  set(Op::Sub, reg_reg<sub>);
  set(Op::Sll, reg_reg<sll>);
  set(Op::Slt, reg_reg<slt>);
  set(Op::Sltu, reg_reg<sltu>);
  set(Op::Xor, reg_reg<xor_>);
  set(Op::Srl, reg_reg<srl>);
  set(Op::Sra, reg_reg<sra>);
  set(Op::Or, reg_reg<or_>);
  set(Op::And, reg_reg<and_>);
  set(Op::Addiw, reg_imm<addw>);
  set(Op::Slliw, reg_imm<sllw>);
  set(Op::Srliw, reg_imm<srlw>);
  set(Op::Sraiw, reg_imm<sraw>);
  set(Op::Addw, reg_reg<addw>);
  set(Op::Subw, reg_reg<subw>);
  set(Op::Sllw, reg_reg<sllw>);
  set(Op::Srlw, reg_reg<srlw>);
  set(Op::Sraw, reg_reg<sraw>);
  // M
  set(Op::Mul, reg_reg<mul>);
  set(Op::Mulh, reg_reg<mulh>);
  set(Op::Mulhsu, reg_reg<mulhsu>);
  set(Op::Mulhu, reg_reg<mulhu>);
  set(Op::Div, reg_reg<div>);
  set(Op::Divu, reg_reg<divu>);
  set(Op::Rem, reg_reg<rem>);
  set(Op::Remu, reg_reg<remu>);
  set(Op::Mulw, reg_reg<mulw>);
  set(Op::Divw, reg_reg<divw>);
  set(Op::Divuw, reg_reg<divuw>);
  set(Op::Remw, reg_reg<remw>);
  set(Op::Remuw, reg_reg<remuw>);
  // Zba
  set(Op::AddUw, reg_reg<add_uw>);
  set(Op::Sh1add, reg_reg<sh1add>);
  set(Op::Sh2add, reg_reg<sh2add>);
  set(Op::Sh3add, reg_reg<sh3add>);
  set(Op::Sh1addUw, reg_reg<sh1add_uw>);
  set(Op::Sh2addUw, reg_reg<sh2add_uw>);
  set(Op::Sh3addUw, reg_reg<sh3add_uw>);
  set(Op::SlliUw, reg_imm<slli_uw>);
  // Zbb
  set(Op::Andn, reg_reg<andn>);
  set(Op::Orn, reg_reg<orn>);
  set(Op::Xnor, reg_reg<xnor>);
  set(Op::Clz, reg<clz>);
  set(Op::Clzw, reg<clzw>);
  set(Op::Ctz, reg<ctz>);
  set(Op::Ctzw, reg<ctzw>);
  set(Op::Cpop, reg<cpop>);
  set(Op::Cpopw, reg<cpopw>);
  set(Op::Max, reg_reg<max>);
  set(Op::Maxu, reg_reg<maxu>);
  set(Op::Min, reg_reg<min>);
  set(Op::Minu, reg_reg<minu>);
  set(Op::SextB, reg<sext_b>);
  set(Op::SextH, reg<sext_h>);
  set(Op::ZextH, reg<zext_h>);
  set(Op::Rol, reg_reg<rol>);
  set(Op::Rolw, reg_reg<rolw>);
  set(Op::Ror, reg_reg<ror>);
  set(Op::Rori, reg_imm<ror>);
  set(Op::Roriw, reg_imm<rorw>);
  set(Op::Rorw, reg_reg<rorw>);
  set(Op::OrcB, reg<orc_b>);
  set(Op::Rev8, reg<rev8>);
  // Zbs
  set(Op::Bclr, reg_reg<bclr>);
  set(Op::Bclri, reg_imm<bclr>);
  set(Op::Bext, reg_reg<bext>);
  set(Op::Bexti, reg_imm<bext>);
  set(Op::Binv, reg_reg<binv>);
  set(Op::Binvi, reg_imm<binv>);
  set(Op::Bset, reg_reg<bset>);
  set(Op::Bseti, reg_imm<bset>);
  // Zicond
  set(Op::CzeroEqz, reg_reg<czero_eqz>);
  set(Op::CzeroNez, reg_reg<czero_nez>);
}

}  // namespace strata
