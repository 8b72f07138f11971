/* Signals: handlers with siginfo, masks and pending sets, the alternate stack, faults
   (SIGSEGV, SIGILL, SIGTRAP), SA_RESETHAND, SA_RESTART vs EINTR, sigsuspend, timers,
   sigtimedwait, and the context a handler sees and may change. */
#define _GNU_SOURCE
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

static volatile int got_sig, got_code, got_pid, count;
static volatile uintptr_t handler_sp;
static volatile double fp_seen;

static void on_info(int sig, siginfo_t* info, void* uc) {
  got_sig = sig;
  got_code = info->si_code;
  got_pid = info->si_pid;
  count++;
  int local;
  handler_sp = (uintptr_t)&local;
}

static void plain(int sig) { got_sig = sig, count++; }

/* Skips the faulting instruction by editing the saved pc (4 or 2 bytes). */
static void skip_insn(int sig, siginfo_t* info, void* ucv) {
  ucontext_t* uc = ucv;
  got_sig = sig;
  got_code = info->si_code;
  uint16_t low = *(uint16_t*)uc->uc_mcontext.__gregs[REG_PC];
  uc->uc_mcontext.__gregs[REG_PC] += (low & 3) == 3 ? 4 : 2;
  uc->uc_mcontext.__gregs[REG_A0 + 1] = 0x5eed; /* a1: visible after return */
}

static void fp_handler(int sig) {
  volatile double x = 1.5;
  fp_seen = x * 3.0; /* clobbers FP registers inside the handler */
}

/* Reads and rewrites FP state in the saved context: fs0 (f8) and the rounding mode in fcsr. */
static volatile uint64_t seen_fs0;
static volatile unsigned seen_frm;
static void fp_context(int sig, siginfo_t* info, void* ucv) {
  ucontext_t* uc = ucv;
  seen_fs0 = uc->uc_mcontext.__fpregs.__d.__f[8];
  seen_frm = (uc->uc_mcontext.__fpregs.__d.__fcsr >> 5) & 7;
  uc->uc_mcontext.__fpregs.__d.__f[8] = 0x4000000000000000ull; /* 2.0 */
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
  CHECK_EQ(kill(getpid(), SIGUSR1), 0);
  CHECK_EQ(got_sig, SIGUSR1);
  CHECK_EQ(got_code, SI_USER);
  CHECK_EQ(got_pid, getpid());
  struct sigaction old;
  CHECK_EQ(sigaction(SIGUSR1, NULL, &old), 0);
  CHECK(old.sa_sigaction == on_info);
  CHECK(old.sa_flags & SA_SIGINFO);

  /* blocked signals stay pending until unblocked */
  sigset_t set, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
  count = 0;
  raise(SIGUSR1);
  CHECK_EQ(count, 0);
  CHECK_EQ(sigpending(&pend), 0);
  CHECK(sigismember(&pend, SIGUSR1));
  CHECK_EQ(sigprocmask(SIG_UNBLOCK, &set, NULL), 0);
  CHECK_EQ(count, 1);

  /* sigtimedwait takes a blocked signal without running the handler */
  CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
  count = 0;
  union sigval v = {.sival_int = 77};
  CHECK_EQ(sigqueue(getpid(), SIGUSR1, v), 0);
  siginfo_t si;
  struct timespec ts = {1, 0};
  CHECK_EQ(sigtimedwait(&set, &si, &ts), SIGUSR1);
  CHECK_EQ(si.si_value.sival_int, 77);
  CHECK_EQ(si.si_code, SI_QUEUE);
  CHECK_EQ(count, 0);
  struct timespec short_ts = {0, 20000000};
  CHECK_EQ(sigtimedwait(&set, &si, &short_ts), -1);
  CHECK_EQ(errno, EAGAIN);
  CHECK_EQ(sigprocmask(SIG_UNBLOCK, &set, NULL), 0);

  /* the alternate stack */
  static char alt[65536];
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
  CHECK_EQ(sigaltstack(&ss, NULL), 0);
  stack_t cur;
  CHECK_EQ(sigaltstack(NULL, &cur), 0);
  CHECK(cur.ss_sp == alt && cur.ss_size == sizeof alt && cur.ss_flags == 0);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  CHECK_EQ(sigaction(SIGUSR2, &sa, NULL), 0);
  raise(SIGUSR2);
  CHECK(handler_sp > (uintptr_t)alt && handler_sp < (uintptr_t)alt + sizeof alt);
  ss.ss_flags = SS_DISABLE;
  CHECK_EQ(sigaltstack(&ss, NULL), 0);
  ss.ss_flags = 0;
  ss.ss_size = 100;
  CHECK_EQ(sigaltstack(&ss, NULL), -1);
  CHECK_EQ(errno, ENOMEM);

  /* synchronous faults: the handler edits the context to skip the instruction */
  struct sigaction fs = {0};
  fs.sa_sigaction = skip_insn;
  fs.sa_flags = SA_SIGINFO;
  sigaction(SIGILL, &fs, NULL);
  sigaction(SIGTRAP, &fs, NULL);
  sigaction(SIGSEGV, &fs, NULL);
  register long a1 asm("a1") = 1;
  asm volatile(".half 0x0000" : "+r"(a1)); /* the all-zero halfword is illegal */
  CHECK_EQ(got_sig, SIGILL);
  CHECK_EQ(got_code, ILL_ILLOPC);
  CHECK_EQ(a1, 0x5eed);
  got_sig = 0;
  asm volatile("ebreak" ::: "memory");
  CHECK_EQ(got_sig, SIGTRAP);
  got_sig = 0;
  asm volatile("ld zero, 0(zero)" ::: "memory");
  CHECK_EQ(got_sig, SIGSEGV);
  CHECK_EQ(got_code, SEGV_MAPERR);

  /* SA_RESETHAND: the second delivery takes the default (here: ignore for SIGCHLD-like? use SIGURG) */
  struct sigaction once = {0};
  once.sa_handler = plain;
  once.sa_flags = SA_RESETHAND;
  sigaction(SIGURG, &once, NULL);
  count = 0;
  raise(SIGURG);
  raise(SIGURG); /* default action for SIGURG: ignore */
  CHECK_EQ(count, 1);
  sigaction(SIGURG, NULL, &old);
  CHECK(old.sa_handler == SIG_DFL);

  /* SIG_IGN really ignores */
  signal(SIGUSR2, SIG_IGN);
  raise(SIGUSR2);

  /* a signal interrupting a blocking read: EINTR without SA_RESTART, restarted with it */
  int p[2];
  CHECK_EQ(pipe(p), 0);
  struct sigaction al = {0};
  al.sa_handler = plain;
  sigaction(SIGALRM, &al, NULL);
  struct itimerval it = {{0, 0}, {0, 50000}};
  CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
  char c;
  got_sig = 0;
  CHECK_EQ(read(p[0], &c, 1), -1);
  CHECK_EQ(errno, EINTR);
  CHECK_EQ(got_sig, SIGALRM);
  al.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &al, NULL);
  if (fork() == 0) {
    usleep(200000);
    write(p[1], "z", 1);
    _exit(0);
  }
  setitimer(ITIMER_REAL, &it, NULL);
  count = 0;
  CHECK_EQ(read(p[0], &c, 1), 1); /* interrupted by SIGALRM, restarted, then the child writes */
  CHECK_EQ(c, 'z');
  CHECK_EQ(count, 1);

  /* sigsuspend waits with a temporary mask and returns after the handler */
  sigprocmask(SIG_BLOCK, &set, NULL);
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  if (fork() == 0) {
    usleep(50000);
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  sigset_t none;
  sigemptyset(&none);
  got_sig = 0;
  CHECK_EQ(sigsuspend(&none), -1);
  CHECK_EQ(errno, EINTR);
  CHECK_EQ(got_sig, SIGUSR1);
  sigset_t now;
  sigprocmask(SIG_SETMASK, NULL, &now);
  CHECK(sigismember(&now, SIGUSR1)); /* the old mask is back */
  sigprocmask(SIG_UNBLOCK, &set, NULL);

  /* FP registers survive a handler that uses them */
  signal(SIGUSR2, fp_handler);
  volatile double keep = 2.25;
  double before = keep * 2.0;
  raise(SIGUSR2);
  double after = keep * 2.0;
  CHECK(before == 4.5 && after == 4.5);
  CHECK(fp_seen == 4.5);
  /* the FP part of the frame: what the handler sees and what it changes */
  struct sigaction fa = {0};
  fa.sa_sigaction = fp_context;
  fa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &fa, NULL);
  fesetround(FE_TOWARDZERO);
  {
    register long a0 asm("a0") = getpid();
    register long a1 asm("a1") = gettid();
    register long a2 asm("a2") = SIGUSR1;
    register long a7 asm("a7") = 131; /* tgkill, straight from here so fs0 is what we set */
    register double f8 asm("fs0") = 1.5;
    asm volatile("ecall" : "+r"(a0), "+f"(f8) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    fesetround(FE_TONEAREST);
    CHECK_EQ(seen_fs0, 0x3ff8000000000000ll); /* 1.5 */
    CHECK_EQ(seen_frm, 1);                     /* RTZ */
    CHECK(f8 == 2.0);
  }
  return report("signals");
}
