// Vectored trap modes (mtvec/stvec MODE = 1): interrupts go to BASE + 4 * cause,
// exceptions to BASE. M takes SSI (vector 1), STI (vector 5) and ecalls (base); S, with
// SSI and illegal instructions delegated, takes SSI at stvec + 4 and the exception at
// stvec's base. s0 holds the test number, s1 counts the right arrivals.
#include "test_macros.h"

#define CHECK_COUNT(n) li t0, n; bne s1, t0, fail

  .option norvc            // every vector entry and skipped instruction is 4 bytes
  .section .text.init, "ax"
  .globl _start
_start:
  li s0, 1                 // mtvec keeps MODE = 1
  la t0, mvec
  ori t0, t0, 1
  csrw mtvec, t0
  csrr t1, mtvec
  bne t0, t1, fail
  li t0, -1                // PMP: S may reach everything
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  li s1, 0

  li s0, 2                 // an exception goes to the base, not to a vector
  ecall
  CHECK_COUNT(1)

  li s0, 3                 // SSI to M: vector 1
  li t0, 1 << 1
  csrw mie, t0
  csrsi mstatus, 8
  csrs mip, t0
  nop
  csrci mstatus, 8
  CHECK_COUNT(2)

  li s0, 4                 // STI to M (mip.STIP written by M): vector 5
  li t0, 1 << 5
  csrw mie, t0
  csrsi mstatus, 8
  csrs mip, t0
  nop
  csrci mstatus, 8
  CHECK_COUNT(3)

  li s0, 5                 // into S with SSI and illegal instructions delegated
  la t0, svec
  ori t0, t0, 1
  csrw stvec, t0
  li t0, 1 << 1
  csrw mideleg, t0
  csrw mie, t0
  li t0, 1 << 2
  csrw medeleg, t0
  li t0, 0x1800
  csrc mstatus, t0
  li t0, 0x0800            // MPP = S
  csrs mstatus, t0
  la t0, s_code
  csrw mepc, t0
  mret

s_code:
  li s0, 6                 // SSI in S: stvec + 4
  csrsi sstatus, 2
  csrsi sip, 2
  nop
  CHECK_COUNT(4)
  li s0, 7                 // a delegated exception in S: stvec base
  .word 0xc0001073         // unimp
  CHECK_COUNT(5)
  li s0, 8
  ecall                    // back to M (mvec base sees cause 9)
  j fail

after_s:
  CHECK_COUNT(6)
  csrw mie, zero
  PASS

fail:
  FAIL_REG(s0)

// M handlers.
m_exc:
  csrr t0, mcause
  li t1, 11
  beq t0, t1, 1f
  li t1, 9
  beq t0, t1, 2f
  j fail
1:                          // ecall from M: step over it
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  addi s1, s1, 1
  mret
2:                          // ecall from S: continue in M at after_s
  la t0, after_s
  csrw mepc, t0
  li t0, 0x1800
  csrs mstatus, t0
  addi s1, s1, 1
  mret

m_ssi:
  csrr t0, mcause
  li t1, (1 << 63) | 1
  bne t0, t1, fail
  csrci mip, 2
  addi s1, s1, 1
  mret

m_sti:
  csrr t0, mcause
  li t1, (1 << 63) | 5
  bne t0, t1, fail
  li t0, 1 << 5
  csrc mip, t0
  addi s1, s1, 1
  mret

// S handlers.
s_exc:
  csrr t0, scause
  li t1, 2
  bne t0, t1, fail
  csrr t0, stval
  li t1, 0xc0001073
  bne t0, t1, fail
  csrr t0, sepc
  addi t0, t0, 4
  csrw sepc, t0
  addi s1, s1, 1
  sret

s_ssi:
  csrr t0, scause
  li t1, (1 << 63) | 1
  bne t0, t1, fail
  csrci sip, 2
  addi s1, s1, 1
  sret

  .align 8
mvec:
  j m_exc                  // 0: exceptions
  j m_ssi                  // 1: SSI
  .rept 3
  j fail                   // 2..4
  .endr
  j m_sti                  // 5: STI
  .rept 10
  j fail                   // 6..15
  .endr

  .align 8
svec:
  j s_exc
  j s_ssi
  .rept 14
  j fail
  .endr

TOHOST_SECTION
