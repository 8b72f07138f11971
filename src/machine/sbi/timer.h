#pragma once
// sbi_set_timer, shared by the TIME extension and legacy EID 0x00.
#include "machine/sbi/sbi_call.h"

namespace strata::sbi {

// Clears the caller's pending supervisor timer interrupt (the spec says set_timer does)
// and hands the deadline to the board, which raises STIP when the clock reaches it.
inline void set_timer(const Call& call, uint64_t deadline) {
  call.hart.set_pending(irq::kSTI, false);
  call.platform.set_timer(call.hart, deadline);
}

}  // namespace strata::sbi
