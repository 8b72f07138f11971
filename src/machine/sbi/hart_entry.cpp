#include "machine/sbi/hart_entry.h"

#include "cpu/csr/csr.h"
#include "cpu/hart.h"
#include "cpu/translator.h"
#include "cpu/trap.h"

namespace strata {
namespace {
constexpr uint16_t kSstatus = 0x100, kSatp = 0x180;
}

void enter_supervisor(Hart& h, uint64_t pc, uint64_t a0, uint64_t a1) {
  // The CSR writes go through the CSR objects as M-mode firmware's would (no TVM check),
  // so their side effects (translation contexts, interrupt re-evaluation) happen.
  set_priv(h, Priv::M);
  uint64_t sstatus = 0;
  csr_read(h, kSstatus, sstatus);
  csr_write(h, kSstatus, sstatus & ~mstatus::kSIE);
  csr_write(h, kSatp, 0);
  set_priv(h, Priv::S);

  // Nothing cached from before may survive: remote fences skip stopped harts.
  h.translator->fence(h, false, 0, false, 0);
  h.flush_tlbs();
  h.engine()->flush_code(h);
  h.reserved = false;
  h.irq_check = true;

  h.pc = pc;
  h.x[10] = a0;
  h.x[11] = a1;
}

}  // namespace strata
