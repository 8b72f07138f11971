#pragma once
// System reset, shared by SRST and legacy EID 0x08.
#include "machine/sbi/sbi_call.h"

namespace strata::sbi {

// Asks the board to reset; on success ends the caller's run() with Shutdown (status 0, or
// 1 after a system failure) or Reset (detail = the type) and returns kSuccess.
int64_t system_reset(const Call& call, ResetType type, ResetReason reason);

}  // namespace strata::sbi
