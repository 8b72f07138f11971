#pragma once
// A host syscall that a guest signal can always interrupt. Signals are queued by Strata's
// host handler and delivered between slices, so a signal that arrives after the last check
// but before a blocking syscall starts would otherwise wait until that syscall returns on
// its own (perhaps never). Here the flag is tested immediately before the `syscall`
// instruction, and the host handler, when it interrupts that window, moves the thread to
// the -EINTR exit (the way qemu-user's safe_syscall works).
#include <cstdint>

extern "C" long strata_safe_syscall(volatile int* interrupted, long number, long a1, long a2, long a3,
                                    long a4, long a5, long a6);

namespace strata::user {

// For the host signal handler: if `pc` lies in the window between the flag test and the
// syscall instruction, returns the address to continue at (the -EINTR exit), else 0.
uintptr_t safe_syscall_restart_pc(uintptr_t pc);

}  // namespace strata::user
