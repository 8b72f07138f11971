// IPI extension (EID "sPI"): supervisor software interrupts on a hart mask.
#include "machine/sbi/hart_mask.h"
#include "machine/sbi/remote_ops.h"

namespace strata::sbi {

Ret ipi_call(const Call& call) {
  if (call.fid != fid::kSendIpi) return Ret::err(kErrNotSupported);
  std::vector<uint64_t> harts;
  if (const int64_t error = decode_hart_mask(call.platform, call.arg(0), call.arg(1), harts))
    return Ret::err(error);
  send_ipis(call, harts);
  return Ret::ok();
}

}  // namespace strata::sbi
