// Signals: dispositions, masks, the alternate stack, waiting, sending and rt_sigreturn.
#include <csignal>
#include <cstring>

#include "user/syscalls/syscalls.h"

namespace strata::user {
namespace {

constexpr int32_t kSsAutodisarm = int32_t(1u << 31);
constexpr uint64_t kMinSigStack = 2048;

int64_t sys_rt_sigaction(GuestThread& t, const uint64_t* a) {
  const int sig = int(a[0]);
  if (a[3] != 8 || sig < 1 || sig > kMaxSignal) return -EINVAL;
  GuestSigaction act;
  if (a[1] && !read_guest(t, a[1], act)) return -EFAULT;
  const GuestSigaction old = t.proc.signals.get(sig);
  if (a[1]) {
    if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
    if (int e = t.proc.signals.set(sig, act)) return e;
  }
  if (a[2] && !write_guest(t, a[2], old)) return -EFAULT;
  return 0;
}

int64_t sys_rt_sigprocmask(GuestThread& t, const uint64_t* a) {
  if (a[3] != 8) return -EINVAL;
  const uint64_t old = t.sigmask;
  if (a[1]) {
    uint64_t set;
    if (!read_guest(t, a[1], set)) return -EFAULT;
    switch (int(a[0])) {
      case SIG_BLOCK:
        t.set_sigmask(old | set);
        break;
      case SIG_UNBLOCK:
        t.set_sigmask(old & ~set);
        break;
      case SIG_SETMASK:
        t.set_sigmask(set);
        break;
      default:
        return -EINVAL;
    }
  }
  if (a[2] && !write_guest(t, a[2], old)) return -EFAULT;
  return 0;
}

int64_t sys_rt_sigpending(GuestThread& t, const uint64_t* a) {
  if (a[1] != 8) return -EINVAL;
  uint64_t host_set = 0;
  if (syscall(SYS_rt_sigpending, &host_set, 8) != 0) return -errno;
  const uint64_t set = host_set | t.pending.mask.load();
  return write_guest(t, a[0], set) ? 0 : -EFAULT;
}

int64_t sys_rt_sigsuspend(GuestThread& t, const uint64_t* a) {
  if (a[1] != 8) return -EINVAL;
  uint64_t m;
  if (!read_guest(t, a[0], m)) return -EFAULT;
  m &= ~kUnblockable;
  t.saved_mask = t.sigmask;
  t.saved_mask_valid = true;
  t.sigmask = m;
  if (signal_deliverable(t)) return -EINTR;  // already queued: no need to sleep
  host_blocking(t, SYS_rt_sigsuspend, &m, 8);
  return -EINTR;
}

int64_t sys_rt_sigtimedwait(GuestThread& t, const uint64_t* a) {
  if (a[3] != 8) return -EINVAL;
  uint64_t set;
  if (!read_guest(t, a[0], set)) return -EFAULT;
  set &= ~kUnblockable;
  // A signal Strata already took from the kernel counts as pending.
  const uint64_t old = block_host_signals();
  for (int i = 0; i < t.pending.count; ++i) {
    if (!(set & sigbit(t.pending.queue[i].si_signo))) continue;
    const siginfo_t info = take_queued(t.pending, i);
    restore_host_signals(old);
    if (a[1] && !t.proc.mem.write(a[1], &info, sizeof info)) return -EFAULT;
    return info.si_signo;
  }
  restore_host_signals(old);
  GUEST_PTR(info, a[1], sizeof(siginfo_t));
  GUEST_PTR(ts, a[2], 16);
  return host_blocking(t, SYS_rt_sigtimedwait, &set, info, ts, 8);
}

int64_t sys_sigaltstack(GuestThread& t, const uint64_t* a) {
  const uint64_t sp = t.hart->x[2];
  const bool on =
      t.altstack.flags != SS_DISABLE && sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size;
  GuestStack old = t.altstack;  // disabled: all zero but the flag
  if (old.flags != SS_DISABLE && on) old.flags |= SS_ONSTACK;
  if (a[0]) {
    GuestStack ss;
    if (!read_guest(t, a[0], ss)) return -EFAULT;
    if (on) return -EPERM;
    const int32_t mode = ss.flags & ~kSsAutodisarm;
    if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) return -EINVAL;
    if (mode == SS_DISABLE) {
      t.altstack = GuestStack{};
    } else {
      if (ss.size < kMinSigStack) return -ENOMEM;
      ss.flags &= kSsAutodisarm;
      t.altstack = ss;
    }
  }
  if (a[1] && !write_guest(t, a[1], old)) return -EFAULT;
  return 0;
}

int64_t sys_rt_sigreturn(GuestThread& t, const uint64_t*) {
  if (!sigreturn(t)) die_by_signal(SIGSEGV);
  return kNoResult;
}

template <long Number>
int64_t sys_ints(GuestThread& t, const uint64_t* a) {
  return host(Number, a[0], a[1], a[2], a[3]);
}

int64_t sys_rt_sigqueueinfo(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(info, a[2], sizeof(siginfo_t));
  return host(SYS_rt_sigqueueinfo, int(a[0]), int(a[1]), info);
}
int64_t sys_rt_tgsigqueueinfo(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(info, a[3], sizeof(siginfo_t));
  return host(SYS_rt_tgsigqueueinfo, int(a[0]), int(a[1]), int(a[2]), info);
}

}  // namespace

void register_signal_syscalls(SyscallTable& t) {
  t[129] = {"kill", sys_ints<SYS_kill>, "dS"};
  t[130] = {"tkill", sys_ints<SYS_tkill>, "dS"};
  t[131] = {"tgkill", sys_ints<SYS_tgkill>, "ddS"};
  t[132] = {"sigaltstack", sys_sigaltstack, "pp"};
  t[133] = {"rt_sigsuspend", sys_rt_sigsuspend, "pu"};
  t[133].no_restart = true;
  t[134] = {"rt_sigaction", sys_rt_sigaction, "Sppu"};
  t[135] = {"rt_sigprocmask", sys_rt_sigprocmask, "dppu"};
  t[136] = {"rt_sigpending", sys_rt_sigpending, "pu"};
  t[137] = {"rt_sigtimedwait", sys_rt_sigtimedwait, "pppu"};
  t[137].no_restart = true;
  t[138] = {"rt_sigqueueinfo", sys_rt_sigqueueinfo, "dSp"};
  t[139] = {"rt_sigreturn", sys_rt_sigreturn, ""};
  t[240] = {"rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo, "ddSp"};
}

}  // namespace strata::user
