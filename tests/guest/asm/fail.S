// Deliberately fails test 5: `strata run --bare` must exit 1 and print `FAIL: test 5`.
#include "test_macros.h"
  .section .text.init, "ax"
  .globl _start
_start:
  li a0, 5
  FAIL_REG(a0)

TOHOST_SECTION
