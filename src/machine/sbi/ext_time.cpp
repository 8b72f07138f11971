// Timer extension (EID "TIME").
#include "machine/sbi/sbi_call.h"
#include "machine/sbi/timer.h"

namespace strata::sbi {

Ret time_call(const Call& call) {
  if (call.fid != fid::kSetTimer) return Ret::err(kErrNotSupported);
  set_timer(call, call.arg(0));
  return Ret::ok();
}

}  // namespace strata::sbi
