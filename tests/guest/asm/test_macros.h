// Stand-alone assembly tests (no runtime): end through HTIF tohost, riscv-tests style.
#pragma once

#define TOHOST_SECTION  \
  .section .tohost, "aw", @progbits; \
  .align 6;                        \
  .globl tohost;                   \
  tohost: .dword 0;                \
  .align 6;                        \
  .globl fromhost;                 \
  fromhost: .dword 0

// Ends with exit status 0.
#define PASS          \
  li t6, 1;           \
  la t5, tohost;      \
  sd t6, 0(t5);       \
  1: j 1b

// Ends with `FAIL: test n` (n in a register, not zero).
#define FAIL_REG(reg)     \
  slli t6, reg, 1;      \
  ori t6, t6, 1;        \
  la t5, tohost;        \
  sd t6, 0(t5);         \
  1: j 1b
