/* Compiled (never run) by the riscv64 cross compiler against the kernel's own uapi headers:
   the layouts Strata writes by hand (src/user) must be these. */
#include <asm/sigcontext.h>
#include <asm/signal.h>
#include <asm/stat.h>
#include <asm/ucontext.h>
#include <linux/eventpoll.h>
#include <linux/signal.h>
#include <stddef.h>

/* struct stat: GuestStat in syscalls/fs.cpp */
_Static_assert(sizeof(struct stat) == 128, "stat size");
_Static_assert(offsetof(struct stat, st_mode) == 16, "st_mode");
_Static_assert(offsetof(struct stat, st_nlink) == 20, "st_nlink");
_Static_assert(offsetof(struct stat, st_rdev) == 32, "st_rdev");
_Static_assert(offsetof(struct stat, st_size) == 48, "st_size");
_Static_assert(offsetof(struct stat, st_blksize) == 56, "st_blksize");
_Static_assert(offsetof(struct stat, st_blocks) == 64, "st_blocks");
_Static_assert(offsetof(struct stat, st_atime) == 72, "st_atime");
_Static_assert(offsetof(struct stat, st_mtime) == 88, "st_mtime");
_Static_assert(offsetof(struct stat, st_ctime) == 104, "st_ctime");

/* struct sigaction (kernel's, no sa_restorer): GuestSigaction in signals.h */
_Static_assert(sizeof(struct sigaction) == 24, "sigaction size");
_Static_assert(offsetof(struct sigaction, sa_flags) == 8, "sa_flags");
_Static_assert(offsetof(struct sigaction, sa_mask) == 16, "sa_mask");

/* stack_t: GuestStack */
_Static_assert(sizeof(stack_t) == 24 && offsetof(stack_t, ss_flags) == 8 && offsetof(stack_t, ss_size) == 16,
               "stack_t");

/* the signal frame: frame:: offsets in signals.h (the frame is siginfo (128) + ucontext) */
_Static_assert(offsetof(struct ucontext, uc_stack) == 16, "uc_stack");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 40, "uc_sigmask");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 176, "uc_mcontext");
_Static_assert(offsetof(struct sigcontext, sc_fpregs) == 256, "sc_fpregs");
_Static_assert(offsetof(struct __riscv_d_ext_state, fcsr) == 256, "fcsr");
_Static_assert(sizeof(struct ucontext) == 176 + 256 + 528, "ucontext size");

/* struct epoll_event is not packed on riscv64: GuestEpollEvent */
_Static_assert(sizeof(struct epoll_event) == 16 && offsetof(struct epoll_event, data) == 8, "epoll_event");

/* SA_ and SS_ values Strata passes to the host unchanged */
_Static_assert(SA_SIGINFO == 4 && SA_ONSTACK == 0x08000000 && SA_RESTART == 0x10000000 &&
               SA_NODEFER == 0x40000000 && SA_RESETHAND == 0x80000000u && SA_NOCLDSTOP == 1 && SA_NOCLDWAIT == 2,
               "SA_ flags");
_Static_assert(SS_ONSTACK == 1 && SS_DISABLE == 2, "SS_ flags");
