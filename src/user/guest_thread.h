#pragma once
// One guest thread: a Hart running on one host thread, with its own signal mask, queue and
// alternate stack. run() executes slices and serves the exits (syscalls, faults, signals).
#include <cstdint>
#include <memory>

#include "cpu/hart.h"
#include "user/signals.h"

namespace strata::user {

class Process;

class GuestThread {
 public:
  explicit GuestThread(Process& process);
  ~GuestThread();

  Process& proc;
  std::unique_ptr<Hart> hart;
  int tid = 0;
  uint64_t clear_child_tid = 0;  // set_tid_address / CLONE_CHILD_CLEARTID
  uint64_t robust_list = 0, robust_list_len = 0;

  uint64_t sigmask = 0;           // guest blocked set (bit n-1 = signal n)
  bool saved_mask_valid = false;  // sigsuspend/ppoll: mask to restore after delivery
  uint64_t saved_mask = 0;
  GuestStack altstack;
  PendingSignals pending;
  // Set by the host signal handler when it queues a signal: blocking host syscalls (which
  // test it right before entering the kernel) return -EINTR instead of sleeping.
  volatile int interrupted = 0;

  bool exiting = false;
  int exit_status = 0;

  // Runs until the thread exits; returns its exit status.
  int run();
  // Changes the guest mask (and the host mask with it).
  void set_sigmask(uint64_t mask);
  uint64_t reg(unsigned i) const { return hart->x[i]; }
};

constexpr uint64_t kSliceBudget = 100000;

}  // namespace strata::user
