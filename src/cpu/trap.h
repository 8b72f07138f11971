#pragma once
// Every privileged state change of a hart goes through here: trap entry (exceptions and
// interrupts, with delegation), trap return, and the privilege switch itself.
#include <cstdint>

#include "cpu/priv.h"

namespace strata {

class Hart;

// mstatus fields.
namespace mstatus {
constexpr uint64_t kSIE = 1ull << 1, kMIE = 1ull << 3, kSPIE = 1ull << 5, kMPIE = 1ull << 7, kSPP = 1ull << 8,
                   kMPP = 3ull << 11, kFS = 3ull << 13, kMPRV = 1ull << 17, kSUM = 1ull << 18,
                   kMXR = 1ull << 19, kTVM = 1ull << 20, kTW = 1ull << 21, kTSR = 1ull << 22,
                   kSD = 1ull << 63;
constexpr unsigned kMPPShift = 11, kFSShift = 13;
}  // namespace mstatus

// Takes an exception at `epc` (for an instruction that did not retire). In user-ABI mode
// it leaves run() with ExitReason::UserTrap instead.
void raise_exception(Hart& hart, uint64_t cause, uint64_t tval, uint64_t epc);

// Takes the highest-priority pending and enabled interrupt, if any. True if one was taken.
bool take_interrupt(Hart& hart);

// True when some interrupt is pending and enabled in mie (WFI's wake-up condition,
// regardless of the global enables and of delegation).
bool interrupt_waiting(const Hart& hart);

// The pending interrupts as mip reads: the lines in mip, with SEIP also set by software.
uint64_t pending_interrupts(const Hart& hart);

// Refreshes time-driven pending bits the hart owns itself (Sstc STIP from stimecmp).
void update_timer_interrupts(Hart& hart);

// mret / sret. False if not allowed at the current privilege (illegal instruction).
bool return_from_m(Hart& hart);
bool return_from_s(Hart& hart);

// Changes privilege and refreshes the translation contexts.
void set_priv(Hart& hart, Priv priv);

}  // namespace strata
