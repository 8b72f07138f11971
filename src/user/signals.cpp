#include "user/signals.h"

#include <fmt/format.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "jit/fault_sites.h"
#include "user/guest_thread.h"
#include "user/process.h"
#include "user/safe_syscall.h"

// The x86-64 kernel returns from a host signal handler through this restorer (glibc's own
// is private, and glibc refuses signals 32 and 33, so Strata installs handlers itself).
extern "C" void strata_restore_rt();
asm(".text\n"
    ".globl strata_restore_rt\n"
    ".type strata_restore_rt, @function\n"
    "strata_restore_rt:\n"
    "  mov $15, %rax\n"  // rt_sigreturn
    "  syscall\n"
    ".size strata_restore_rt, .-strata_restore_rt\n");

namespace strata::user {
namespace {

constexpr unsigned long kSaRestorer = 0x04000000;
constexpr uint64_t kSsAutodisarm = 1u << 31;

struct KernelSigaction {
  void* handler;
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

thread_local GuestThread* g_current = nullptr;

long raw_sigaction(int sig, const KernelSigaction* act, KernelSigaction* old) {
  return syscall(SYS_rt_sigaction, sig, act, old, 8);
}

long raw_sigmask(int how, const uint64_t* set, uint64_t* old) {
  return syscall(SYS_rt_sigprocmask, how, set, old, 8);
}

bool is_fault_signal(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

// A host fault: a guest load in generated code that reached a guest page it may not read
// goes on at that instruction's slow path (jit/fault_sites.h), which raises the guest's fault.
// Anything else is a fault inside Strata itself: die of it, as the host would. False when the
// signal was not a fault (sent by kill, say).
bool handle_host_fault(int sig, siginfo_t* info, void* context) {
  if (!is_fault_signal(sig) || info->si_code <= 0) return false;
  auto* uc = static_cast<ucontext_t*>(context);
  auto rip = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  if ((sig == SIGSEGV || sig == SIGBUS) && jit::redirect_host_fault(rip)) {
    uc->uc_mcontext.gregs[REG_RIP] = greg_t(rip);
    return true;
  }
  static const char msg[] = "strata: internal fault\n";
  [[maybe_unused]] ssize_t n = write(2, msg, sizeof msg - 1);
  KernelSigaction dfl{};
  dfl.handler = reinterpret_cast<void*>(SIG_DFL);
  raw_sigaction(sig, &dfl, nullptr);
  return true;
}

// SIGSEGV and SIGBUS always have a host handler (for the faults above); these two stand for
// the guest's SIG_DFL and SIG_IGN when the signal was sent rather than caused.
void fault_or_default(int sig, siginfo_t* info, void* context) {
  if (!handle_host_fault(sig, info, context)) die_by_signal(sig);
}
void fault_or_ignore(int sig, siginfo_t* info, void* context) { handle_host_fault(sig, info, context); }

// The host handler for every signal the guest handles: queue it on this thread's guest.
void recorder(int sig, siginfo_t* info, void* context) {
  if (handle_host_fault(sig, info, context)) return;
  GuestThread* t = g_current;
  if (!t) return;
  PendingSignals& p = t->pending;
  if (sig < SIGRTMIN && (p.mask.load(std::memory_order_relaxed) & sigbit(sig))) return;
  if (p.count >= PendingSignals::kCapacity) return;
  p.queue[p.count++] = *info;
  p.mask.fetch_or(sigbit(sig));
  t->interrupted = 1;
  // Between the flag test and the syscall instruction of a blocking syscall: make it return
  // -EINTR instead of entering the kernel.
  auto* uc = static_cast<ucontext_t*>(context);
  if (const uintptr_t resume = safe_syscall_restart_pc(uintptr_t(uc->uc_mcontext.gregs[REG_RIP])))
    uc->uc_mcontext.gregs[REG_RIP] = greg_t(resume);
}

void default_action(int sig) {
  switch (sig) {
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
    case SIGCONT:
      return;
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
      kill(getpid(), SIGSTOP);
      return;
    default:
      die_by_signal(sig);
  }
}

bool on_altstack(const GuestThread& t, uint64_t sp) {
  return t.altstack.flags != SS_DISABLE && sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size;
}

template <typename T>
void put(uint8_t* buf, uint64_t off, T v) {
  std::memcpy(buf + off, &v, sizeof v);
}
template <typename T>
T get(const uint8_t* buf, uint64_t off) {
  T v;
  std::memcpy(&v, buf + off, sizeof v);
  return v;
}

void setup_frame(GuestThread& t, const siginfo_t& info, const GuestSigaction& act) {
  Hart& h = *t.hart;
  const int sig = info.si_signo;
  uint64_t sp = h.x[2];
  const bool was_on_alt = on_altstack(t, sp);
  bool switched = false;
  if ((act.flags & SA_ONSTACK) && t.altstack.flags != SS_DISABLE && t.altstack.size && !was_on_alt) {
    sp = t.altstack.sp + t.altstack.size;
    switched = true;
  }
  sp = (sp - frame::kSize) & ~uint64_t(15);

  uint8_t buf[frame::kSize] = {};
  std::memcpy(buf + frame::kInfo, &info, sizeof info);
  const uint64_t uc = frame::kUc;
  put<uint64_t>(buf, uc + frame::kUcStack, t.altstack.sp);
  int32_t ss_flags = t.altstack.flags == SS_DISABLE ? SS_DISABLE : was_on_alt ? SS_ONSTACK : 0;
  put<int32_t>(buf, uc + frame::kUcStack + 8, ss_flags | int32_t(t.altstack.flags & kSsAutodisarm));
  put<uint64_t>(buf, uc + frame::kUcStack + 16, t.altstack.size);
  put<uint64_t>(buf, uc + frame::kUcSigmask, t.saved_mask_valid ? t.saved_mask : t.sigmask);
  put<uint64_t>(buf, uc + frame::kGregs, h.pc);
  for (unsigned i = 1; i < 32; ++i) put<uint64_t>(buf, uc + frame::kGregs + 8 * i, h.x[i]);
  for (unsigned i = 0; i < 32; ++i) put<uint64_t>(buf, uc + frame::kFpregs + 8 * i, h.f[i]);
  put<uint32_t>(buf, uc + frame::kFcsr, h.csr.fflags | (h.csr.frm << 5));
  if (!t.proc.mem.write(sp, buf, sizeof buf)) die_by_signal(SIGSEGV);

  if (switched && (t.altstack.flags & kSsAutodisarm)) t.altstack = GuestStack{};
  const uint64_t old_mask = t.saved_mask_valid ? t.saved_mask : t.sigmask;
  t.saved_mask_valid = false;
  uint64_t mask = old_mask | act.mask;
  if (!(act.flags & SA_NODEFER)) mask |= sigbit(sig);
  t.set_sigmask(mask);
  if (act.flags & SA_RESETHAND) t.proc.signals.reset(sig);

  h.x[2] = sp;
  h.x[1] = t.proc.sigreturn_trampoline;
  h.x[10] = uint64_t(sig);
  h.x[11] = sp + frame::kInfo;
  h.x[12] = sp + frame::kUc;
  h.pc = act.handler;
  h.reserved = false;
}

// strace's line for a signal: --- SIGSEGV {si_signo=SIGSEGV, si_code=1, si_addr=0x0} ---
void trace_signal(GuestThread& t, const siginfo_t& info, const std::string& extra) {
  const char* name = sigabbrev_np(info.si_signo);
  const std::string sig = name ? fmt::format("SIG{}", name) : fmt::format("{}", info.si_signo);
  const std::string line = fmt::format("--- {} {{si_signo={}, si_code={}, si_addr=0x{:x}}}{} ---\n", sig, sig,
                                       info.si_code, uint64_t(info.si_addr), extra);
  [[maybe_unused]] ssize_t n = write(2, line.data(), line.size());
}

}  // namespace

SignalTable::SignalTable() {
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    KernelSigaction old{};
    if (raw_sigaction(sig, nullptr, &old) == 0 && old.handler == reinterpret_cast<void*>(SIG_IGN))
      actions_[sig].handler = 1;
  }
  for (int sig : {SIGSEGV, SIGBUS}) mirror(sig, actions_[sig]);
}

GuestSigaction SignalTable::get(int sig) {
  std::lock_guard lock(mutex_);
  return sig >= 1 && sig <= kMaxSignal ? actions_[sig] : GuestSigaction{};
}

int SignalTable::set(int sig, const GuestSigaction& action) {
  if (sig < 1 || sig > kMaxSignal || sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
  std::lock_guard lock(mutex_);
  actions_[sig] = action;
  return mirror(sig, action);
}

int SignalTable::mirror(int sig, const GuestSigaction& action) {
  KernelSigaction k{};
  k.restorer = strata_restore_rt;
  k.flags = kSaRestorer | (action.flags & (SA_NOCLDSTOP | SA_NOCLDWAIT));
  const bool fault = sig == SIGSEGV || sig == SIGBUS;
  void (*handler)(int, siginfo_t*, void*) = &recorder;
  if (action.handler == 0) {
    k.handler = reinterpret_cast<void*>(SIG_DFL);
    handler = fault ? &fault_or_default : nullptr;
  } else if (action.handler == 1) {
    k.handler = reinterpret_cast<void*>(SIG_IGN);
    handler = fault ? &fault_or_ignore : nullptr;
  }
  if (handler) {
    k.handler = reinterpret_cast<void*>(handler);
    k.flags |= SA_SIGINFO;
    k.mask = ~0ull;
  }
  return raw_sigaction(sig, &k, nullptr) == 0 ? 0 : -errno;
}

void SignalTable::reset(int sig) {
  GuestSigaction dfl;
  set(sig, dfl);
}

void apply_host_mask(uint64_t guest_mask) {
  const uint64_t m = guest_mask & ~kUnblockable;
  raw_sigmask(SIG_SETMASK, &m, nullptr);
}

uint64_t block_host_signals() {
  uint64_t all = ~0ull, old = 0;
  raw_sigmask(SIG_SETMASK, &all, &old);
  return old;
}

void restore_host_signals(uint64_t old) { raw_sigmask(SIG_SETMASK, &old, nullptr); }

siginfo_t take_queued(PendingSignals& p, int index) {
  const siginfo_t info = p.queue[index];
  for (int j = index + 1; j < p.count; ++j) p.queue[j - 1] = p.queue[j];
  p.count--;
  bool more = false;
  for (int j = 0; j < p.count; ++j) more |= p.queue[j].si_signo == info.si_signo;
  if (!more) p.mask.fetch_and(~sigbit(info.si_signo));
  return info;
}

uint64_t read_host_mask() {
  uint64_t m = 0;
  raw_sigmask(SIG_BLOCK, nullptr, &m);
  return m;
}

void set_current_thread(GuestThread* t) { g_current = t; }
GuestThread* current_thread() { return g_current; }

[[noreturn]] void die_by_signal(int sig) {
  KernelSigaction dfl{};
  dfl.handler = reinterpret_cast<void*>(SIG_DFL);
  raw_sigaction(sig, &dfl, nullptr);
  const uint64_t bit = sigbit(sig);
  raw_sigmask(SIG_UNBLOCK, &bit, nullptr);
  syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
  // Still here: the signal does not kill by default (or was caught by a race); exit like a
  // shell reports a signal death.
  syscall(SYS_exit_group, 128 + sig);
  __builtin_unreachable();
}

namespace {
// Index of the first queued signal the thread does not block, or -1.
int first_deliverable(GuestThread& t) {
  for (int i = 0; i < t.pending.count; ++i)
    if (!(t.sigmask & sigbit(t.pending.queue[i].si_signo))) return i;
  return -1;
}
}  // namespace

bool signal_deliverable(GuestThread& t) {
  return (t.pending.mask.load(std::memory_order_relaxed) & ~t.sigmask) != 0;
}

bool restart_pending(GuestThread& t) {
  const uint64_t old = block_host_signals();
  const int i = first_deliverable(t);
  const int sig = i >= 0 ? t.pending.queue[i].si_signo : 0;
  restore_host_signals(old);
  if (!sig) return true;
  const GuestSigaction act = t.proc.signals.get(sig);
  return act.handler <= 1 || (act.flags & SA_RESTART);
}

bool deliver_pending(GuestThread& t) {
  const uint64_t old = block_host_signals();
  const int i = first_deliverable(t);
  siginfo_t info;
  if (i >= 0) info = take_queued(t.pending, i);
  restore_host_signals(old);
  if (i < 0) return false;
  deliver(t, info);
  return true;
}

void deliver(GuestThread& t, const siginfo_t& info) {
  if (t.proc.options.strace) trace_signal(t, info, "");
  const GuestSigaction act = t.proc.signals.get(info.si_signo);
  if (act.handler == 1) return;
  if (act.handler == 0) {
    default_action(info.si_signo);
    return;
  }
  setup_frame(t, info, act);
}

void deliver_fault(GuestThread& t, uint64_t cause, uint64_t tval) {
  siginfo_t info;
  std::memset(&info, 0, sizeof info);
  uint64_t addr = tval;
  switch (cause) {
    case 12:
    case 13:
    case 15:
      info.si_signo = SIGSEGV;
      info.si_code = t.proc.mem.prot_at(tval) ? SEGV_ACCERR : SEGV_MAPERR;
      break;
    case 1:
    case 5:
    case 7:
      info.si_signo = SIGSEGV;
      info.si_code = SEGV_ACCERR;
      break;
    case 0:
    case 4:
    case 6:
      info.si_signo = SIGBUS;
      info.si_code = BUS_ADRALN;
      break;
    case 3:
      info.si_signo = SIGTRAP;
      info.si_code = TRAP_BRKPT;
      addr = t.hart->pc;
      break;
    default:
      info.si_signo = SIGILL;
      info.si_code = ILL_ILLOPC;
      addr = t.hart->pc;
      break;
  }
  info.si_addr = reinterpret_cast<void*>(addr);
  if (t.proc.options.strace) {
    uint32_t insn = 0;
    t.proc.mem.read(t.hart->pc, &insn, 4);
    trace_signal(t, info, fmt::format(" at pc 0x{:x} (insn 0x{:08x})", t.hart->pc, insn));
  }
  const GuestSigaction act = t.proc.signals.get(info.si_signo);
  if ((t.sigmask & sigbit(info.si_signo)) || act.handler <= 1) die_by_signal(info.si_signo);
  setup_frame(t, info, act);
}

bool sigreturn(GuestThread& t) {
  Hart& h = *t.hart;
  uint8_t buf[frame::kSize];
  if (!t.proc.mem.read(h.x[2], buf, sizeof buf)) return false;
  const uint64_t uc = frame::kUc;
  h.pc = get<uint64_t>(buf, uc + frame::kGregs);
  for (unsigned i = 1; i < 32; ++i) h.x[i] = get<uint64_t>(buf, uc + frame::kGregs + 8 * i);
  for (unsigned i = 0; i < 32; ++i) h.f[i] = get<uint64_t>(buf, uc + frame::kFpregs + 8 * i);
  const uint32_t fcsr = get<uint32_t>(buf, uc + frame::kFcsr);
  h.csr.fflags = fcsr & 0x1f;
  h.csr.frm = (fcsr >> 5) & 7;
  t.set_sigmask(get<uint64_t>(buf, uc + frame::kUcSigmask));
  GuestStack ss;
  ss.sp = get<uint64_t>(buf, uc + frame::kUcStack);
  ss.flags = get<int32_t>(buf, uc + frame::kUcStack + 8);
  ss.size = get<uint64_t>(buf, uc + frame::kUcStack + 16);
  const int32_t mode = ss.flags & ~int32_t(kSsAutodisarm);
  if (mode == SS_DISABLE) {
    t.altstack = GuestStack{};
  } else if (mode == 0 || mode == SS_ONSTACK) {
    ss.flags &= int32_t(kSsAutodisarm);
    t.altstack = ss;
  }
  h.reserved = false;
  return true;
}

}  // namespace strata::user
