// RFENCE extension (EID "RFNC"): fence.i and sfence.vma on a hart mask. Harts have no
// hypervisor extension, so the hfence functions are not supported.
#include "machine/sbi/hart_mask.h"
#include "machine/sbi/remote_ops.h"

namespace strata::sbi {

Ret rfence_call(const Call& call) {
  switch (call.fid) {
    case fid::kRemoteFenceI:
    case fid::kRemoteSfenceVma:
    case fid::kRemoteSfenceVmaAsid:
      break;
    default:  // the hfence family (3..6) and anything unknown
      return Ret::err(kErrNotSupported);
  }
  std::vector<uint64_t> harts;
  if (const int64_t error = decode_hart_mask(call.platform, call.arg(0), call.arg(1), harts))
    return Ret::err(error);
  if (call.fid == fid::kRemoteFenceI) {
    fence_i(call, harts);
    return Ret::ok();
  }
  std::optional<uint64_t> asid;
  if (call.fid == fid::kRemoteSfenceVmaAsid) asid = call.arg(4);
  const std::optional<FenceRange> range = fence_range(call.arg(2), call.arg(3), asid);
  if (!range) return Ret::err(kErrInvalidAddress);
  sfence_vma(call, harts, *range);
  return Ret::ok();
}

}  // namespace strata::sbi
