// Assembled as RV32: `run --bare` must refuse it as a 32-bit ELF (exit 2).
  .section .text.init, "ax"
  .globl _start
_start:
  j _start
