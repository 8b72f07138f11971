# Bare-metal entry for the benchmark: stack, FP on, call workload, then ecall with a0 = result.
  .section .text.start
  .globl _start
_start:
  la sp, __stack_top
  li t0, (1 << 13)            # mstatus.FS = Initial
  csrs mstatus, t0
  call workload
  ecall
1:j 1b
