#pragma once
// Zicsr and the privileged instructions. All of them are rare enough to be called out of
// line by both engines.
#include "cpu/sem/semantic.h"

namespace strata::sem {

enum class CsrOp { Write, Set, Clear };

// csrrw/csrrs/csrrc and their immediate forms (Immediate: the source is the uimm in rs1).
template <CsrOp Kind, bool Immediate>
Flow csr_op(Hart& h, const Operands& o, uint64_t pc);

Flow ecall(Hart& h, const Operands& o, uint64_t pc);
Flow ebreak(Hart& h, const Operands& o, uint64_t pc);
Flow mret(Hart& h, const Operands& o, uint64_t pc);
Flow sret(Hart& h, const Operands& o, uint64_t pc);
Flow wfi(Hart& h, const Operands& o, uint64_t pc);
Flow sfence_vma(Hart& h, const Operands& o, uint64_t pc);

template <class Sink>
void add_system_semantics(Sink& s) {
  s.template add<illegal>(Op::Illegal);
  s.template add<csr_op<CsrOp::Write, false>>(Op::Csrrw);
  s.template add<csr_op<CsrOp::Set, false>>(Op::Csrrs);
  s.template add<csr_op<CsrOp::Clear, false>>(Op::Csrrc);
  s.template add<csr_op<CsrOp::Write, true>>(Op::Csrrwi);
  s.template add<csr_op<CsrOp::Set, true>>(Op::Csrrsi);
  s.template add<csr_op<CsrOp::Clear, true>>(Op::Csrrci);
  s.template add<ecall>(Op::Ecall);
  s.template add<ebreak>(Op::Ebreak);
  s.template add<mret>(Op::Mret);
  s.template add<sret>(Op::Sret);
  s.template add<wfi>(Op::Wfi);
  s.template add<sfence_vma>(Op::SfenceVma);
}

}  // namespace strata::sem
