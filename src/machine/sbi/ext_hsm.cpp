// Hart state management (EID "HSM"): start, stop, status, suspend. The board keeps the
// states and parks the threads; the arguments, error codes and register set-up are here.
#include "machine/sbi/hart_entry.h"
#include "machine/sbi/sbi_call.h"
#include "mem/bus.h"

namespace strata::sbi {
namespace {

// Where a hart may start or resume: RAM, at an address an instruction can start at.
bool valid_entry(const Hart& hart, uint64_t pa) {
  return (pa & 1) == 0 && hart.bus && hart.bus->ram_ptr(pa, 2) != nullptr;
}

Ret hart_start(const Call& call) {
  const uint64_t hartid = call.arg(0), start = call.arg(1), opaque = call.arg(2);
  if (hartid >= call.platform.hart_count()) return Ret::err(kErrInvalidParam);
  if (!valid_entry(call.hart, start)) return Ret::err(kErrInvalidAddress);
  return Ret::err(call.platform.hart_start(hartid, start, opaque));
}

Ret hart_stop(const Call& call) {
  if (const int64_t error = call.platform.hart_stop(call.hart)) return Ret::err(error);
  call.hart.request_exit({ExitReason::WaitForInterrupt});
  return Ret::elsewhere();
}

Ret hart_get_status(const Call& call) {
  const uint64_t hartid = call.arg(0);
  if (hartid >= call.platform.hart_count()) return Ret::err(kErrInvalidParam);
  return Ret::ok(uint64_t(call.platform.hart_state(hartid)));
}

Ret hart_suspend(const Call& call) {
  const uint32_t type = uint32_t(call.arg(0));  // a 32-bit parameter: the upper bits are not ours
  const uint64_t resume = call.arg(1), opaque = call.arg(2);
  const bool retentive = type == kSuspendDefaultRetentive;
  // Reserved and platform-specific types alike: we implement no platform-specific state.
  if (!retentive && type != kSuspendDefaultNonRetentive) return Ret::err(kErrInvalidParam);
  if (!retentive && !valid_entry(call.hart, resume)) return Ret::err(kErrInvalidAddress);
  Hart& hart = call.hart;
  if (const int64_t error = call.platform.hart_suspend(hart, retentive)) return Ret::err(error);
  // Only this thread runs the hart, and it is still here: the registers it resumes with can
  // be set now, after the board took the state.
  if (retentive) {
    hart.x[10] = uint64_t(kSuccess);
    hart.x[11] = 0;
  } else {
    enter_supervisor(hart, resume, hart.csr.mhartid, opaque);
  }
  hart.request_exit({ExitReason::WaitForInterrupt});
  return Ret::elsewhere();
}

}  // namespace

Ret hsm_call(const Call& call) {
  switch (call.fid) {
    case fid::kHartStart:
      return hart_start(call);
    case fid::kHartStop:
      return hart_stop(call);
    case fid::kHartGetStatus:
      return hart_get_status(call);
    case fid::kHartSuspend:
      return hart_suspend(call);
  }
  return Ret::err(kErrNotSupported);
}

}  // namespace strata::sbi
