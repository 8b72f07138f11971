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
  h.x[i->rd] = pc_of(i) + uint64_t(int64_t(i->imm));
  return next(i);
}

}  // namespace

void add_integer_handlers(HandlerTable& t) {
  using namespace alu;
  t.set<lui>(Op::Lui);
  t.set<auipc>(Op::Auipc);
  // RV64I
  t.set<reg_imm<add>>(Op::Addi);
  t.set<reg_imm<slt>>(Op::Slti);
  t.set<reg_imm<sltu>>(Op::Sltiu);
  t.set<reg_imm<xor_>>(Op::Xori);
  t.set<reg_imm<or_>>(Op::Ori);
  t.set<reg_imm<and_>>(Op::Andi);
  t.set<reg_imm<sll>>(Op::Slli);
  t.set<reg_imm<srl>>(Op::Srli);
  t.set<reg_imm<sra>>(Op::Srai);
  t.set<reg_reg<add>>(Op::Add);
  t.set<reg_reg<sub>>(Op::Sub);
  t.set<reg_reg<sll>>(Op::Sll);
  t.set<reg_reg<slt>>(Op::Slt);
  t.set<reg_reg<sltu>>(Op::Sltu);
  t.set<reg_reg<xor_>>(Op::Xor);
  t.set<reg_reg<srl>>(Op::Srl);
  t.set<reg_reg<sra>>(Op::Sra);
  t.set<reg_reg<or_>>(Op::Or);
  t.set<reg_reg<and_>>(Op::And);
  t.set<reg_imm<addw>>(Op::Addiw);
  t.set<reg_imm<sllw>>(Op::Slliw);
  t.set<reg_imm<srlw>>(Op::Srliw);
  t.set<reg_imm<sraw>>(Op::Sraiw);
  t.set<reg_reg<addw>>(Op::Addw);
  t.set<reg_reg<subw>>(Op::Subw);
  t.set<reg_reg<sllw>>(Op::Sllw);
  t.set<reg_reg<srlw>>(Op::Srlw);
  t.set<reg_reg<sraw>>(Op::Sraw);
  // M
  t.set<reg_reg<mul>>(Op::Mul);
  t.set<reg_reg<mulh>>(Op::Mulh);
  t.set<reg_reg<mulhsu>>(Op::Mulhsu);
  t.set<reg_reg<mulhu>>(Op::Mulhu);
  t.set<reg_reg<div>>(Op::Div);
  t.set<reg_reg<divu>>(Op::Divu);
  t.set<reg_reg<rem>>(Op::Rem);
  t.set<reg_reg<remu>>(Op::Remu);
  t.set<reg_reg<mulw>>(Op::Mulw);
  t.set<reg_reg<divw>>(Op::Divw);
  t.set<reg_reg<divuw>>(Op::Divuw);
  t.set<reg_reg<remw>>(Op::Remw);
  t.set<reg_reg<remuw>>(Op::Remuw);
  // Zba
  t.set<reg_reg<add_uw>>(Op::AddUw);
  t.set<reg_reg<sh1add>>(Op::Sh1add);
  t.set<reg_reg<sh2add>>(Op::Sh2add);
  t.set<reg_reg<sh3add>>(Op::Sh3add);
  t.set<reg_reg<sh1add_uw>>(Op::Sh1addUw);
  t.set<reg_reg<sh2add_uw>>(Op::Sh2addUw);
  t.set<reg_reg<sh3add_uw>>(Op::Sh3addUw);
  t.set<reg_imm<slli_uw>>(Op::SlliUw);
  // Zbb
  t.set<reg_reg<andn>>(Op::Andn);
  t.set<reg_reg<orn>>(Op::Orn);
  t.set<reg_reg<xnor>>(Op::Xnor);
  t.set<reg<clz>>(Op::Clz);
  t.set<reg<clzw>>(Op::Clzw);
  t.set<reg<ctz>>(Op::Ctz);
  t.set<reg<ctzw>>(Op::Ctzw);
  t.set<reg<cpop>>(Op::Cpop);
  t.set<reg<cpopw>>(Op::Cpopw);
  t.set<reg_reg<max>>(Op::Max);
  t.set<reg_reg<maxu>>(Op::Maxu);
  t.set<reg_reg<min>>(Op::Min);
  t.set<reg_reg<minu>>(Op::Minu);
  t.set<reg<sext_b>>(Op::SextB);
  t.set<reg<sext_h>>(Op::SextH);
  t.set<reg<zext_h>>(Op::ZextH);
  t.set<reg_reg<rol>>(Op::Rol);
  t.set<reg_reg<rolw>>(Op::Rolw);
  t.set<reg_reg<ror>>(Op::Ror);
  t.set<reg_imm<ror>>(Op::Rori);
  t.set<reg_imm<rorw>>(Op::Roriw);
  t.set<reg_reg<rorw>>(Op::Rorw);
  t.set<reg<orc_b>>(Op::OrcB);
  t.set<reg<rev8>>(Op::Rev8);
  // Zbs
  t.set<reg_reg<bclr>>(Op::Bclr);
  t.set<reg_imm<bclr>>(Op::Bclri);
  t.set<reg_reg<bext>>(Op::Bext);
  t.set<reg_imm<bext>>(Op::Bexti);
  t.set<reg_reg<binv>>(Op::Binv);
  t.set<reg_imm<binv>>(Op::Binvi);
  t.set<reg_reg<bset>>(Op::Bset);
  t.set<reg_imm<bset>>(Op::Bseti);
  // Zicond
  t.set<reg_reg<czero_eqz>>(Op::CzeroEqz);
  t.set<reg_reg<czero_nez>>(Op::CzeroNez);
}

}  // namespace strata
