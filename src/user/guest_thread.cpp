#include "user/guest_thread.h"

#include "user/process.h"
#include "user/syscalls/syscalls.h"
#include "util/log.h"

namespace strata::user {

GuestThread::GuestThread(Process& process) : proc(process) {
  HartConfig config;
  config.user_abi = true;
  config.engine = proc.options.engine;
  hart = std::make_unique<Hart>(config, nullptr, &proc.mem, &proc.clock);
  hart->set_code_pages(&proc.code_pages);
  init_user_hart(*hart);
}

GuestThread::~GuestThread() = default;

void GuestThread::set_sigmask(uint64_t mask) {
  sigmask = mask & ~kUnblockable;
  apply_host_mask(sigmask);
}

int GuestThread::run() {
  set_current_thread(this);
  for (;;) {
    // Every deliverable signal gets its frame now (the last one's handler runs first).
    for (int n = 0; n < 8 && signal_deliverable(*this); ++n)
      if (!deliver_pending(*this)) break;
    interrupted = signal_deliverable(*this);
    if (saved_mask_valid) {  // sigsuspend-style temporary mask, no signal taken it over
      saved_mask_valid = false;
      set_sigmask(saved_mask);
    }
    const Exit e = hart->run(kSliceBudget);
    switch (e.reason) {
      case ExitReason::BudgetSpent:
        break;
      case ExitReason::Syscall:
        do_syscall(*this);
        if (exiting) return exit_status;
        break;
      case ExitReason::UserTrap:
        deliver_fault(*this, e.detail, hart->trap_tval);
        break;
      default:
        warn("guest thread {} stopped: unexpected exit {} (detail {}) at pc 0x{:x}", tid, int(e.reason),
             e.detail, hart->pc);
        die_by_signal(SIGILL);
    }
  }
}

}  // namespace strata::user
