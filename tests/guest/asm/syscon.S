// The syscon (QEMU's sifive_test at 0x100000): with SYSCON_CODE 0 it powers off (exit 0),
// otherwise it reports failure SYSCON_CODE (0x3333 | code << 16, exit 1); with
// SYSCON_REBOOT it asks for a reboot (a bare run then stops with exit 0). No HTIF at all.
  .section .text.init, "ax"
  .globl _start
_start:
  li t0, 0x100000
#if defined(SYSCON_REBOOT)
  li t1, 0x7777
#elif SYSCON_CODE == 0
  li t1, 0x5555
#else
  li t1, 0x3333 | (SYSCON_CODE << 16)
#endif
  sw t1, 0(t0)
1:
  j 1b
