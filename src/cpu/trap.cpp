#include "cpu/trap.h"

#include "cpu/hart.h"

namespace strata {

namespace {

// Interrupts in the order the spec takes them when several for the same privilege are pending.
constexpr unsigned kPriority[] = {irq::kMEI, irq::kMSI, irq::kMTI, irq::kSEI, irq::kSSI, irq::kSTI};

uint64_t vector_target(uint64_t tvec, uint64_t cause) {
  const uint64_t base = tvec & ~3ull;
  const bool vectored = (tvec & 3) == 1;
  if (vectored && (cause & cause::kInterrupt)) return base + 4 * (cause & ~cause::kInterrupt);
  return base;
}

// The MPRV soft-TLB context holds translations made for MPP's privilege; trap entry and mret
// move MPP without going through the mstatus CSR, so they drop it here.
void mpp_moved(Hart& h, uint64_t old_status) {
  if ((old_status ^ h.csr.mstatus) & (mstatus::kMPP | mstatus::kMPRV)) h.tlbs[2].flush();
}

void enter_trap(Hart& h, uint64_t cause, uint64_t tval, uint64_t epc) {
  const uint64_t code = cause & ~cause::kInterrupt;
  const uint64_t deleg = (cause & cause::kInterrupt) ? h.csr.mideleg : h.csr.medeleg;
  uint64_t& st = h.csr.mstatus;
  // Traps never go to a less privileged mode: delegation applies only from S and U.
  if (h.priv != Priv::M && code < 64 && ((deleg >> code) & 1)) {
    h.csr.scause = cause;
    h.csr.sepc = epc;
    h.csr.stval = tval;
    st = (st & ~mstatus::kSPIE) | ((st & mstatus::kSIE) ? mstatus::kSPIE : 0);
    st = (st & ~(mstatus::kSIE | mstatus::kSPP)) | (h.priv == Priv::S ? mstatus::kSPP : 0);
    h.pc = vector_target(h.csr.stvec, cause);
    set_priv(h, Priv::S);
  } else {
    const uint64_t old = st;
    h.csr.mcause = cause;
    h.csr.mepc = epc;
    h.csr.mtval = tval;
    st = (st & ~mstatus::kMPIE) | ((st & mstatus::kMIE) ? mstatus::kMPIE : 0);
    st = (st & ~(mstatus::kMIE | mstatus::kMPP)) | (uint64_t(h.priv) << mstatus::kMPPShift);
    h.pc = vector_target(h.csr.mtvec, cause);
    mpp_moved(h, old);
    set_priv(h, Priv::M);
  }
  h.reserved = false;
  h.irq_check = true;
}

// The highest-priority interrupt in `candidates`, or -1.
int highest(uint64_t candidates) {
  for (unsigned bit : kPriority)
    if (candidates & (1ull << bit)) return int(bit);
  return -1;
}

}  // namespace

void set_priv(Hart& h, Priv p) {
  h.priv = p;
  h.update_contexts();
}

void raise_exception(Hart& h, uint64_t cause, uint64_t tval, uint64_t epc) {
  h.not_retired++;
  if (h.config.user_abi) {
    h.pc = epc;
    h.trap_tval = tval;
    h.request_exit({ExitReason::UserTrap, cause});
    return;
  }
  enter_trap(h, cause, tval, epc);
}

uint64_t pending_interrupts(const Hart& h) {
  return h.csr.mip.load() | (h.csr.seip_software ? 1ull << irq::kSEI : 0);
}

bool interrupt_waiting(const Hart& h) { return (pending_interrupts(h) & h.csr.mie) != 0; }

bool take_interrupt(Hart& h) {
  const uint64_t pending = pending_interrupts(h) & h.csr.mie;
  if (!pending) return false;
  const uint64_t st = h.csr.mstatus;
  // Interrupts for M are enabled below M, or in M with MIE; delegated ones (for S) below S,
  // or in S with SIE, and never in M. Those for the more privileged mode go first.
  const bool m_enabled = h.priv != Priv::M || (st & mstatus::kMIE);
  const bool s_enabled = h.priv == Priv::U || (h.priv == Priv::S && (st & mstatus::kSIE));
  int bit = m_enabled ? highest(pending & ~h.csr.mideleg) : -1;
  if (bit < 0 && s_enabled) bit = highest(pending & h.csr.mideleg);
  if (bit < 0) return false;
  enter_trap(h, cause::kInterrupt | unsigned(bit), 0, h.pc);
  return true;
}

void update_timer_interrupts(Hart& h) {
  constexpr uint64_t kSTCE = 1ull << 63;
  if (!(h.csr.menvcfg & kSTCE) || !h.clock) return;
  const bool due = h.clock->now() >= h.csr.stimecmp;
  const bool now_pending = h.csr.mip.load() & (1ull << irq::kSTI);
  if (due != now_pending) h.set_pending(irq::kSTI, due);
}

bool return_from_m(Hart& h) {
  if (h.priv != Priv::M) return false;
  uint64_t& st = h.csr.mstatus;
  const uint64_t old = st;
  const Priv to = Priv((st & mstatus::kMPP) >> mstatus::kMPPShift);
  st = (st & ~mstatus::kMIE) | ((st & mstatus::kMPIE) ? mstatus::kMIE : 0);
  st |= mstatus::kMPIE;
  st &= ~mstatus::kMPP;  // MPP = U, the least privileged mode
  if (to != Priv::M) st &= ~mstatus::kMPRV;
  h.pc = h.csr.mepc;
  h.reserved = false;
  mpp_moved(h, old);
  set_priv(h, to);
  h.irq_check = true;
  return true;
}

bool return_from_s(Hart& h) {
  if (h.priv == Priv::U || (h.priv == Priv::S && (h.csr.mstatus & mstatus::kTSR))) return false;
  uint64_t& st = h.csr.mstatus;
  const uint64_t old = st;
  const Priv to = (st & mstatus::kSPP) ? Priv::S : Priv::U;
  st = (st & ~mstatus::kSIE) | ((st & mstatus::kSPIE) ? mstatus::kSIE : 0);
  st |= mstatus::kSPIE;
  st &= ~mstatus::kSPP;
  st &= ~mstatus::kMPRV;  // returning to S or U
  h.pc = h.csr.sepc;
  h.reserved = false;
  mpp_moved(h, old);
  set_priv(h, to);
  h.irq_check = true;
  return true;
}

}  // namespace strata
