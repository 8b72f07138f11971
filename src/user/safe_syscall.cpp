#include "user/safe_syscall.h"

// x86-64 (the only host): strata_safe_syscall(flag, nr, a1..a6) in the SysV ABI has
// rdi=flag, rsi=nr, rdx, rcx, r8, r9 = a1..a4, and a5, a6 on the stack.
asm(".text\n"
    ".globl strata_safe_syscall\n"
    ".type strata_safe_syscall, @function\n"
    "strata_safe_syscall:\n"
    "  push %rbx\n"
    "  mov %rdi, %rbx\n"
    "  mov %rsi, %rax\n"
    "  mov %rdx, %rdi\n"
    "  mov %rcx, %rsi\n"
    "  mov %r8, %rdx\n"
    "  mov %r9, %r10\n"
    "  mov 16(%rsp), %r8\n"
    "  mov 24(%rsp), %r9\n"
    ".globl strata_safe_syscall_start\n"
    "strata_safe_syscall_start:\n"
    "  cmpl $0, (%rbx)\n"
    "  jne strata_safe_syscall_eintr\n"
    "  syscall\n"
    ".globl strata_safe_syscall_end\n"
    "strata_safe_syscall_end:\n"
    "  pop %rbx\n"
    "  ret\n"
    ".globl strata_safe_syscall_eintr\n"
    "strata_safe_syscall_eintr:\n"
    "  mov $-4, %rax\n"  // -EINTR
    "  pop %rbx\n"
    "  ret\n"
    ".size strata_safe_syscall, .-strata_safe_syscall\n");

extern "C" char strata_safe_syscall_start[], strata_safe_syscall_end[], strata_safe_syscall_eintr[];

namespace strata::user {

uintptr_t safe_syscall_restart_pc(uintptr_t pc) {
  if (pc >= uintptr_t(strata_safe_syscall_start) && pc < uintptr_t(strata_safe_syscall_end))
    return uintptr_t(strata_safe_syscall_eintr);
  return 0;
}

}  // namespace strata::user
