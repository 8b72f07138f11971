// System reset extension (EID "SRST"): shutdown, cold and warm reboot.
#include "machine/sbi/reset.h"

namespace strata::sbi {

int64_t system_reset(const Call& call, ResetType type, ResetReason reason) {
  if (const int64_t error = call.platform.system_reset(type, reason)) return error;
  if (type == ResetType::Shutdown)
    call.hart.request_exit({ExitReason::Shutdown, reason == ResetReason::SystemFailure ? 1u : 0u});
  else
    call.hart.request_exit({ExitReason::Reset, uint64_t(type)});
  return kSuccess;
}

Ret srst_call(const Call& call) {
  if (call.fid != fid::kSystemReset) return Ret::err(kErrNotSupported);
  // Both parameters are 32 bits wide: the upper bits of the registers are not ours.
  const uint32_t type = uint32_t(call.arg(0)), reason = uint32_t(call.arg(1));
  // Reserved values and vendor/implementation-specific ones alike: we define none.
  if (type > uint32_t(ResetType::WarmReboot) || reason > uint32_t(ResetReason::SystemFailure))
    return Ret::err(kErrInvalidParam);
  if (const int64_t error = system_reset(call, ResetType(type), ResetReason(reason))) return Ret::err(error);
  return Ret::elsewhere();
}

}  // namespace strata::sbi
