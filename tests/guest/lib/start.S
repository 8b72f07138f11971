// Entry, trap entry points and privilege switches of the guest test runtime (guest.h).
#define FRAME (32 * 8)
#define MAGIC_RETURN 0x5e7c0de

  .section .text.init, "ax"
  .globl _start
_start:
  la sp, m_stack_top
  la t0, m_trap_stack_top
  csrw mscratch, t0
  la t0, m_trap_entry
  csrw mtvec, t0
  // As firmware would: S and U may reach all memory (PMP entry 0: NAPOT over everything).
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  call main
  call guest_exit

// Saves every register but sp (x2 holds the interrupted sp) into a frame on the trap stack
// whose top `scratch` holds, calls `handler(frame)`, restores and returns with `ret`.
.macro TRAP_ENTRY name, scratch, handler, ret
  .align 2
  .globl \name
\name:
  csrrw sp, \scratch, sp
  addi sp, sp, -FRAME
  .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  sd x\r, \r*8(sp)
  .endr
  csrr t0, \scratch
  sd t0, 2*8(sp)
  addi t0, sp, FRAME
  csrw \scratch, t0
  mv a0, sp
  call \handler
  .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  ld x\r, \r*8(sp)
  .endr
  ld sp, 2*8(sp)
  \ret
.endm

  .text
  TRAP_ENTRY m_trap_entry, mscratch, m_trap_handler, mret
  TRAP_ENTRY s_trap_entry, sscratch, s_trap_handler, sret

// uint64_t run_in(uint64_t mpp, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra)
// Saves M's callee-saved state, then mrets to `pc` in mode `mpp` with a0 = arg.
  .globl run_in
run_in:
  la t0, run_ctx
  sd ra, 0(t0)
  sd sp, 8(t0)
  .irp r, 0,1,2,3,4,5,6,7,8,9,10,11
  sd s\r, (16 + \r*8)(t0)
  .endr
  csrr t1, mstatus
  sd t1, 112(t0)
  li t1, 0x1800
  csrc mstatus, t1
  slli t2, a0, 11
  csrs mstatus, t2
  li t1, 0x20000      // MPRV off: the lower mode's own translation
  csrc mstatus, t1
  csrw mepc, a1
  la t1, s_trap_stack_top
  csrw sscratch, t1
  mv a0, a2
  mv sp, a3
  mv ra, a4
  // Nothing of M's leaks into the lower mode (a7 could look like a return request).
  .irp r, a1,a2,a3,a4,a5,a6,a7,t0,t1,t2,t3,t4,t5,t6,s0,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11,gp,tp
  li \r, 0
  .endr
  mret

// The lower mode's function returns here: hand its result to M.
  .globl lower_return
lower_return:
  mv a1, a0
  li a7, MAGIC_RETURN
  ecall
  j lower_return

// void run_in_resume(uint64_t value): from the M handler, back into run_in's caller.
  .globl run_in_resume
run_in_resume:
  la t0, run_ctx
  ld ra, 0(t0)
  ld sp, 8(t0)
  .irp r, 0,1,2,3,4,5,6,7,8,9,10,11
  ld s\r, (16 + \r*8)(t0)
  .endr
  la t1, m_trap_stack_top
  csrw mscratch, t1
  ld t1, 112(t0)      // MIE as it was when run_in was called
  andi t1, t1, 8
  csrs mstatus, t1
  ret

// Probes: exactly one 4-byte access each, so a handler steps over it with epc + 4.
  .option push
  .option norvc
  .globl probe_ld
probe_ld:
  mv t0, a0
  li a0, 0
  ld a0, 0(t0)
  ret
  .globl probe_lw
probe_lw:
  mv t0, a0
  li a0, 0
  lwu a0, 0(t0)
  ret
  .globl probe_sd
probe_sd:
  sd a1, 0(a0)
  ret
  .globl probe_amoadd
probe_amoadd:
  mv t0, a0
  li a0, 0
  amoadd.d a0, a1, (t0)
  ret
  .globl probe_call
probe_call:
  addi sp, sp, -16
  sd ra, 8(sp)
  jalr a0
  ld ra, 8(sp)
  addi sp, sp, 16
  ret
  .option pop

  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
tohost: .dword 0
  .align 6
  .globl fromhost
fromhost: .dword 0

  .bss
  .align 12
  .globl run_ctx
run_ctx: .skip 128
  .align 4
m_stack: .skip 16384
m_stack_top:
m_trap_stack: .skip 8192
  .globl m_trap_stack_top
m_trap_stack_top:
s_trap_stack: .skip 8192
s_trap_stack_top:
  .globl s_stack_top
s_stack: .skip 16384
s_stack_top:
  .globl u_stack_top
u_stack: .skip 16384
u_stack_top:
