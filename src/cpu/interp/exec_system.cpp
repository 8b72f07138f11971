// Zicsr and the privileged instructions.
#include <atomic>

#include "cpu/csr/csr.h"
#include "cpu/firmware.h"
#include "cpu/interp/handler_table.h"
#include "cpu/interp/handler_util.h"

namespace strata {
namespace {

enum class CsrOp { Write, Set, Clear };

// csrrw reads only when rd is not x0; csrrs/csrrc write only when the source is not x0 (or
// the immediate is not zero). Any write may change interrupt or translation state, so a
// writing instruction leaves to the dispatcher.
template <CsrOp Kind, bool Immediate>
const Insn* csr_op(Hart& h, const Insn* i) {
  const uint16_t number = uint16_t(i->imm);
  const uint64_t source = Immediate ? i->rs1 : h.x[i->rs1];
  const bool reads = Kind != CsrOp::Write || i->rd != kZeroSink;
  const bool writes = Kind == CsrOp::Write || i->rs1 != 0;
  uint64_t old = 0;
  if (reads && !csr_read(h, number, old)) return illegal(h, i);
  if (!writes) {
    h.x[i->rd] = old;
    return next(i);
  }
  uint64_t base = old;
  if (Kind != CsrOp::Write) csr_update_base(h, number, base);
  const uint64_t value = Kind == CsrOp::Write ? source : Kind == CsrOp::Set ? base | source : base & ~source;
  if (!csr_write(h, number, value)) return illegal(h, i);
  h.x[i->rd] = old;
  return complete_and_dispatch(h, i);
}

const Insn* ecall(Hart& h, const Insn* i) {
  const uint64_t pc = h.pc_of(i);
  if (h.config.user_abi) {
    h.pc = pc + 4;
    h.request_exit({ExitReason::Syscall});
    return nullptr;
  }
  if (h.priv == Priv::S && h.firmware && !(h.csr.medeleg & (1ull << cause::kEcallS))) {
    h.pc = pc + 4;
    if (h.firmware->ecall(h)) return nullptr;
    h.pc = pc;
  }
  const uint64_t cause = h.priv == Priv::U ? cause::kEcallU : h.priv == Priv::S ? cause::kEcallS : cause::kEcallM;
  raise_exception(h, cause, 0, pc);
  return nullptr;
}

const Insn* ebreak(Hart& h, const Insn* i) {
  const uint64_t pc = h.pc_of(i);
  raise_exception(h, cause::kBreakpoint, pc, pc);
  return nullptr;
}

const Insn* mret(Hart& h, const Insn* i) { return return_from_m(h) ? nullptr : illegal(h, i); }
const Insn* sret(Hart& h, const Insn* i) { return return_from_s(h) ? nullptr : illegal(h, i); }

// WFI: illegal in U-mode, and in S-mode when mstatus.TW is set. Otherwise the hart stops
// until an interrupt is pending (the caller sleeps).
const Insn* wfi(Hart& h, const Insn* i) {
  if (h.priv == Priv::U || (h.priv == Priv::S && (h.csr.mstatus & mstatus::kTW))) return illegal(h, i);
  if (interrupt_waiting(h)) return next(i);
  h.request_exit({ExitReason::WaitForInterrupt});
  return complete_and_dispatch(h, i);
}

const Insn* sfence_vma(Hart& h, const Insn* i) {
  if (h.priv == Priv::U || (h.priv == Priv::S && (h.csr.mstatus & mstatus::kTVM))) return illegal(h, i);
  const bool has_va = i->rs1 != 0, has_asid = i->rs2 != 0;
  const uint64_t va = h.x[i->rs1], asid = h.x[i->rs2];
  h.translator->fence(h, has_va, va, has_asid, asid);
  if (has_va)
    h.flush_tlb_page(va);
  else
    h.flush_tlbs();
  return complete_and_dispatch(h, i);
}

const Insn* illegal_op(Hart& h, const Insn* i) { return illegal(h, i); }

}  // namespace

void add_system_handlers(HandlerTable& t) {
  t.set<illegal_op>(Op::Illegal);
  t.set<csr_op<CsrOp::Write, false>>(Op::Csrrw);
  t.set<csr_op<CsrOp::Set, false>>(Op::Csrrs);
  t.set<csr_op<CsrOp::Clear, false>>(Op::Csrrc);
  t.set<csr_op<CsrOp::Write, true>>(Op::Csrrwi);
  t.set<csr_op<CsrOp::Set, true>>(Op::Csrrsi);
  t.set<csr_op<CsrOp::Clear, true>>(Op::Csrrci);
  t.set<ecall>(Op::Ecall);
  t.set<ebreak>(Op::Ebreak);
  t.set<mret>(Op::Mret);
  t.set<sret>(Op::Sret);
  t.set<wfi>(Op::Wfi);
  t.set<sfence_vma>(Op::SfenceVma);
}

const Insn* illegal_instruction_handler(Hart& h, const Insn* i) { return illegal(h, i); }

}  // namespace strata
