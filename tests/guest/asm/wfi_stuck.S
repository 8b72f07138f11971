// WFI with no interrupt enabled in mie and no timer armed: nothing can ever wake the hart,
// so the run must end (exit 1 with a message) instead of hanging.
#include "test_macros.h"
  .section .text.init, "ax"
  .globl _start
_start:
  csrw mie, zero
  wfi
  li a0, 3                  // a wfi that falls through without a wake-up is a failure too
  FAIL_REG(a0)

TOHOST_SECTION
