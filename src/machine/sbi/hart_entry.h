#pragma once
// How a hart enters supervisor mode on the firmware's behalf: the boot hart at the kernel,
// a hart started by sbi_hart_start, a hart resuming from a non-retentive sbi_hart_suspend.
#include <cstdint>

namespace strata {

class Hart;

// Puts the hart in S-mode at `pc` with a0 = `a0`, a1 = `a1`, satp = 0 (Bare) and
// sstatus.SIE = 0, as the SBI spec's HSM start/resume register state requires, and empties
// everything it cached from an earlier life: soft TLB, the MMU's translation cache, decoded
// code, the LR reservation. Other registers keep their values (the spec leaves them
// undefined). Call it on the hart's own thread, or while its thread is parked (not in run()).
void enter_supervisor(Hart& hart, uint64_t pc, uint64_t a0, uint64_t a1);

}  // namespace strata
