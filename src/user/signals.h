#pragma once
// Guest signals. Dispositions are mirrored onto the host: SIG_DFL and SIG_IGN are set on
// the host as they are, so default actions (terminate, stop, ignore) and their exit
// statuses are the host kernel's own (SIGSEGV and SIGBUS excepted: they always have a host
// handler, which sends faults of generated code to the guest and acts out SIG_DFL or
// SIG_IGN for the rest); a guest handler installs Strata's recorder, which
// queues the signal on the guest thread that received it. Each guest thread's signal mask
// is its host thread's mask, so the kernel routes process signals as it would natively.
// Queued signals are delivered between slices, by building the riscv64 signal frame.
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace strata::user {

class GuestThread;

constexpr int kMaxSignal = 64;
constexpr uint64_t kUnblockable = (1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1));
inline uint64_t sigbit(int sig) { return 1ull << (sig - 1); }

// The riscv64 kernel's struct sigaction (no sa_restorer on riscv).
struct GuestSigaction {
  uint64_t handler = 0;  // 0 = SIG_DFL, 1 = SIG_IGN
  uint64_t flags = 0;
  uint64_t mask = 0;
};
static_assert(sizeof(GuestSigaction) == 24);

// stack_t (same on riscv64 and x86-64).
struct GuestStack {
  uint64_t sp = 0;
  int32_t flags = SS_DISABLE;
  int32_t pad = 0;
  uint64_t size = 0;
};
static_assert(sizeof(GuestStack) == 24);

// The riscv64 rt_sigframe: siginfo then ucontext (mcontext at 176 within it).
namespace frame {
constexpr uint64_t kInfo = 0, kUc = 128;
constexpr uint64_t kUcFlags = 0, kUcLink = 8, kUcStack = 16, kUcSigmask = 40, kUcMcontext = 176;
constexpr uint64_t kGregs = kUcMcontext, kFpregs = kUcMcontext + 256, kFcsr = kFpregs + 256;
constexpr uint64_t kUcSize = kUcMcontext + 256 + 528;
constexpr uint64_t kSize = kUc + kUcSize;  // 1088
}  // namespace frame

class SignalTable {
 public:
  SignalTable();
  GuestSigaction get(int sig);
  // Stores the guest disposition and mirrors it on the host. -errno on a bad signal.
  int set(int sig, const GuestSigaction& action);
  // SA_RESETHAND: back to SIG_DFL on delivery.
  void reset(int sig);

 private:
  // Installs the host handler that stands for `action` (SIGSEGV and SIGBUS always get one:
  // a host fault may be a guest fault seen by generated code).
  int mirror(int sig, const GuestSigaction& action);
  std::mutex mutex_;
  GuestSigaction actions_[kMaxSignal + 1];
};

// Signals queued by the host recorder for one thread. Only that thread touches it: the
// recorder runs on it, and the consumer blocks host signals while it pops.
struct PendingSignals {
  static constexpr int kCapacity = 64;
  siginfo_t queue[kCapacity];
  int count = 0;
  std::atomic<uint64_t> mask{0};
};

// Sets the calling host thread's mask to the guest mask.
void apply_host_mask(uint64_t guest_mask);
// Blocks every host signal on the calling thread (so its queue can be edited) and back.
uint64_t block_host_signals();
void restore_host_signals(uint64_t old);
// Removes entry `index` from a thread's queue (host signals must be blocked).
siginfo_t take_queued(PendingSignals& p, int index);
// The calling host thread's current mask (a new process inherits its guest mask from it).
uint64_t read_host_mask();
// Records which guest thread runs on the calling host thread (for the recorder).
void set_current_thread(GuestThread* t);
GuestThread* current_thread();

// Delivers the first queued signal the thread does not block. True if one was delivered
// (or acted on by default).
bool deliver_pending(GuestThread& t);
// Whether some queued signal is deliverable now and its handler asked for SA_RESTART.
bool restart_pending(GuestThread& t);
bool signal_deliverable(GuestThread& t);
// A synchronous fault from the guest (cause and tval from the hart): builds the siginfo and
// delivers it, or kills the process the way the host kernel would.
void deliver_fault(GuestThread& t, uint64_t cause, uint64_t tval);
// Delivers `info` to the thread now (handler frame, ignore, or default action).
void deliver(GuestThread& t, const siginfo_t& info);
// rt_sigreturn: restores the context saved by deliver(). False if the frame is unreadable.
bool sigreturn(GuestThread& t);
// Terminates the whole process with `sig` as its status, through the host kernel.
[[noreturn]] void die_by_signal(int sig);

}  // namespace strata::user
