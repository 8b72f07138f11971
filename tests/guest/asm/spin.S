// Never ends: only --max-instructions stops it (exit status 3).
#include "test_macros.h"
  .section .text.init, "ax"
  .globl _start
_start:
  addi a0, a0, 1
  j _start

TOHOST_SECTION
