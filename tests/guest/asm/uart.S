// The 16550 UART at 0x10000000 (output to stdout in a bare run): waits for THRE in LSR
// before each byte of the message, then passes through HTIF.
#include "test_macros.h"
  .section .text.init, "ax"
  .globl _start
_start:
  li s0, 0x10000000
  la s1, message
next:
  lbu a0, 0(s1)
  beqz a0, done
wait:
  lbu t0, 5(s0)             // LSR
  andi t0, t0, 0x20         // THRE
  beqz t0, wait
  sb a0, 0(s0)              // THR
  addi s1, s1, 1
  j next
done:
  PASS

  .section .rodata
message: .asciz "hello through the uart\n"

TOHOST_SECTION
