// The legacy extensions (EIDs 0x00-0x08, SBI v0.1): one call per EID, a6 ignored, one
// value returned in a0, every other register (a1 too) preserved.
//
// Hart masks are guest virtual pointers. A load from them that faults is redirected to
// the supervisor as the spec asks (sepc = the ecall, stval = the address) when that
// exception is delegated to S-mode, as a board without M-mode firmware delegates it;
// otherwise the call returns SBI_ERR_INVALID_ADDRESS. Either way the host only reads
// through the hart's MMU and never trusts the pointer.
#include "cpu/trap.h"
#include "machine/sbi/hart_mask.h"
#include "machine/sbi/remote_ops.h"
#include "machine/sbi/reset.h"
#include "machine/sbi/timer.h"

namespace strata::sbi {
namespace {

// Nothing (the hart went to its trap handler) or the error to return.
std::optional<int64_t> redirect_fault(Hart& hart, const GuestFault& fault) {
  if (!((hart.csr.medeleg >> fault.cause) & 1)) return kErrInvalidAddress;
  const uint64_t ecall_pc = hart.pc - 4;  // the interpreter moved pc past the ecall
  raise_exception(hart, fault.cause, fault.tval, ecall_pc);
  return std::nullopt;
}

int64_t clear_ipi(Hart& hart) {
  const bool pending = hart.csr.mip.load() & (1ull << irq::kSSI);
  hart.set_pending(irq::kSSI, false);
  return pending ? 1 : 0;
}

// The calls that take a hart mask pointer in a0.
std::optional<int64_t> masked_call(const Call& call) {
  std::vector<uint64_t> harts;
  GuestFault fault;
  if (!read_legacy_hart_mask(call, call.arg(0), harts, fault)) return redirect_fault(call.hart, fault);
  if (call.eid == eid::kLegacySendIpi) {
    send_ipis(call, harts);
    return kSuccess;
  }
  if (call.eid == eid::kLegacyRemoteFenceI) {
    fence_i(call, harts);
    return kSuccess;
  }
  std::optional<uint64_t> asid;
  if (call.eid == eid::kLegacyRemoteSfenceVmaAsid) asid = call.arg(3);
  const std::optional<FenceRange> range = fence_range(call.arg(1), call.arg(2), asid);
  if (!range) return kErrInvalidAddress;
  sfence_vma(call, harts, *range);
  return kSuccess;
}

}  // namespace

std::optional<int64_t> legacy_call(const Call& call) {
  switch (call.eid) {
    case eid::kLegacySetTimer:
      set_timer(call, call.arg(0));
      return kSuccess;
    case eid::kLegacyPutchar: {
      const uint8_t byte = uint8_t(call.arg(0));
      call.platform.console_write(std::span<const uint8_t>(&byte, 1));
      return kSuccess;
    }
    case eid::kLegacyGetchar:
      return call.platform.console_read();  // -1 when nothing is waiting
    case eid::kLegacyClearIpi:
      return clear_ipi(call.hart);
    case eid::kLegacySendIpi:
    case eid::kLegacyRemoteFenceI:
    case eid::kLegacyRemoteSfenceVma:
    case eid::kLegacyRemoteSfenceVmaAsid:
      return masked_call(call);
    case eid::kLegacyShutdown:
      if (const int64_t error = system_reset(call, ResetType::Shutdown, ResetReason::None)) return error;
      return std::nullopt;
  }
  return kErrNotSupported;  // reserved legacy IDs 0x09-0x0f
}

}  // namespace strata::sbi
