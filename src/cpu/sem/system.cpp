#include "cpu/sem/system.h"

#include "cpu/csr/csr.h"
#include "cpu/firmware.h"

namespace strata::sem {

// csrrw reads only when rd is not x0; csrrs/csrrc write only when the source is not x0 (or
// the immediate is not zero). Any write may change interrupt or translation state, so a
// writing instruction leaves to the dispatcher.
template <CsrOp Kind, bool Immediate>
Flow csr_op(Hart& h, const Operands& o, uint64_t pc) {
  const uint16_t number = uint16_t(o.imm);
  const uint64_t source = Immediate ? o.rs1 : h.x[o.rs1];
  const bool reads = Kind != CsrOp::Write || o.rd != kZeroSink;
  const bool writes = Kind == CsrOp::Write || o.rs1 != 0;
  uint64_t old = 0;
  if (reads && !csr_read(h, number, old)) return illegal(h, o, pc);
  if (!writes) {
    h.x[o.rd] = old;
    return Flow::Continue;
  }
  uint64_t base = old;
  if (Kind != CsrOp::Write) csr_update_base(h, number, base);
  const uint64_t value = Kind == CsrOp::Write ? source : Kind == CsrOp::Set ? base | source : base & ~source;
  if (!csr_write(h, number, value)) return illegal(h, o, pc);
  h.x[o.rd] = old;
  return complete_and_leave(h, o, pc);
}

template Flow csr_op<CsrOp::Write, false>(Hart&, const Operands&, uint64_t);
template Flow csr_op<CsrOp::Set, false>(Hart&, const Operands&, uint64_t);
template Flow csr_op<CsrOp::Clear, false>(Hart&, const Operands&, uint64_t);
template Flow csr_op<CsrOp::Write, true>(Hart&, const Operands&, uint64_t);
template Flow csr_op<CsrOp::Set, true>(Hart&, const Operands&, uint64_t);
template Flow csr_op<CsrOp::Clear, true>(Hart&, const Operands&, uint64_t);

Flow ecall(Hart& h, const Operands& o, uint64_t pc) {
  if (h.config.user_abi) {
    h.pc = pc + 4;
    h.request_exit({ExitReason::Syscall});
    return Flow::LeaveBlock;
  }
  if (h.priv == Priv::S && h.firmware && !(h.csr.medeleg & (1ull << cause::kEcallS))) {
    h.pc = pc + 4;
    if (h.firmware->ecall(h)) return Flow::LeaveBlock;
    h.pc = pc;
  }
  const uint64_t cause = h.priv == Priv::U   ? cause::kEcallU
                         : h.priv == Priv::S ? cause::kEcallS
                                             : cause::kEcallM;
  raise_exception(h, cause, 0, pc);
  return Flow::Trapped;
}

Flow ebreak(Hart& h, const Operands&, uint64_t pc) {
  raise_exception(h, cause::kBreakpoint, pc, pc);
  return Flow::Trapped;
}

Flow mret(Hart& h, const Operands& o, uint64_t pc) {
  return return_from_m(h) ? Flow::LeaveBlock : illegal(h, o, pc);
}
Flow sret(Hart& h, const Operands& o, uint64_t pc) {
  return return_from_s(h) ? Flow::LeaveBlock : illegal(h, o, pc);
}

// WFI: illegal in U-mode, and in S-mode when mstatus.TW is set. Otherwise the hart stops
// until an interrupt is pending (the caller sleeps).
Flow wfi(Hart& h, const Operands& o, uint64_t pc) {
  if (h.priv == Priv::U || (h.priv == Priv::S && (h.csr.mstatus & mstatus::kTW))) return illegal(h, o, pc);
  if (interrupt_waiting(h)) return Flow::Continue;
  h.request_exit({ExitReason::WaitForInterrupt});
  return complete_and_leave(h, o, pc);
}

Flow sfence_vma(Hart& h, const Operands& o, uint64_t pc) {
  if (h.priv == Priv::U || (h.priv == Priv::S && (h.csr.mstatus & mstatus::kTVM))) return illegal(h, o, pc);
  const bool has_va = o.rs1 != 0, has_asid = o.rs2 != 0;
  const uint64_t va = h.x[o.rs1], asid = h.x[o.rs2];
  h.translator->fence(h, has_va, va, has_asid, asid);
  if (has_va)
    h.flush_tlb_page(va);
  else
    h.flush_tlbs();
  return complete_and_leave(h, o, pc);
}

}  // namespace strata::sem
