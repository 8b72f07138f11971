// HTIF console output (device 1, command 1): one character per command, waiting for the
// host to clear tohost (and checking its answer in fromhost) before the next; then passes.
#include "test_macros.h"
  .section .text.init, "ax"
  .globl _start
_start:
  la s0, message
  la s1, tohost
  la s2, fromhost
  li s3, 0x0101000000000000   // device 1, command 1
next:
  lbu a0, 0(s0)
  beqz a0, done
  or t0, s3, a0
  sd t0, 0(s1)
wait:
  ld t1, 0(s1)
  bnez t1, wait
  ld t2, 0(s2)                // the answer: device and command echoed
  srli t2, t2, 48
  li t3, 0x0101
  bne t2, t3, bad
  sd zero, 0(s2)
  addi s0, s0, 1
  j next
done:
  PASS
bad:
  li a0, 2
  FAIL_REG(a0)

  .section .rodata
message: .asciz "hello from the guest\n"

TOHOST_SECTION
