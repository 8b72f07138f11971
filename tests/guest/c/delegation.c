// Trap delegation: medeleg sends exceptions from S and U to S (scause, sepc, stval,
// sstatus.SPP/SPIE/SIE), undelegated ones go to M (mcause, MPP, MPIE/MIE); mideleg sends
// S-level interrupts to S, where they are taken in U always, in S only with SIE, and never
// in M; undelegated interrupts go to M even from S with MIE clear.
#include "guest.h"

#define UNIMP 0xc0001073u

static volatile uint64_t s_irqs, m_irqs, last_irq_cause;

static void s_clear_ssip(uint64_t cause) {
  s_irqs++;
  last_irq_cause = cause;
  csr_clear(sip, 1u << IRQ_SSI);
}

static void m_clear_ssip(uint64_t cause) {
  m_irqs++;
  last_irq_cause = cause;
  csr_clear(mip, 1u << IRQ_SSI);
}

static __attribute__((noinline)) uint64_t do_ebreak(uint64_t unused) {
  uint64_t site;
  asm volatile(
      ".option push\n.option norvc\n"
      "1: ebreak\n"
      "  la %0, 1b\n"
      ".option pop\n"
      : "=r"(site)::"memory");
  return site;
}

static __attribute__((noinline)) uint64_t do_illegal(uint64_t unused) {
  asm volatile(".word 0xc0001073\n" ::: "memory");  // unimp: csrrw x0, cycle, x0 (read-only CSR)
  return 0;
}

// S code: records sstatus, enables SIE when asked, then spins so a pending interrupt lands.
static uint64_t s_spin(uint64_t enable_sie) {
  if (enable_sie) csr_set(sstatus, MSTATUS_SIE);
  for (volatile int i = 0; i < 100; i++) {
  }
  csr_clear(sstatus, MSTATUS_SIE);
  return s_irqs;
}

static uint64_t u_spin(uint64_t unused) {
  for (volatile int i = 0; i < 100; i++) {
  }
  return 0;
}

int main(void) {
  csr_write(stvec, s_trap_entry_address());

  TEST(1);  // which bits medeleg and mideleg keep
  csr_write(medeleg, ~0ull);
  CHECK_EQ(csr_read(medeleg) & (1ull << CAUSE_ECALL_M), 0);
  CHECK(csr_read(medeleg) & (1ull << CAUSE_ILLEGAL));
  csr_write(mideleg, ~0ull);
  CHECK_EQ(csr_read(mideleg), (1u << IRQ_SSI) | (1u << IRQ_STI) | (1u << IRQ_SEI));
  csr_write(medeleg, 0);
  csr_write(mideleg, 0);

  TEST(2);  // an exception from S, delegated: state of sstatus after entering the handler
  csr_write(medeleg, 1ull << CAUSE_ILLEGAL);
  csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);
  trap_arm();
  run_s(do_illegal, 0);
  CHECK_TRAP(PRIV_S, CAUSE_ILLEGAL, UNIMP);
  CHECK_EQ(trap.from, PRIV_S);
  CHECK(trap.status & MSTATUS_SPP);
  CHECK_EQ(trap.status & (MSTATUS_SIE | MSTATUS_SPIE), 0);

  TEST(3);  // the same from U: SPP = U
  trap_arm();
  run_u(do_illegal, 0);
  CHECK_TRAP(PRIV_S, CAUSE_ILLEGAL, UNIMP);
  CHECK_EQ(trap.status & MSTATUS_SPP, 0);

  TEST(4);  // breakpoint delegated, tval = the ebreak's address; others still go to M
  csr_write(medeleg, 1ull << CAUSE_BREAKPOINT);
  trap_arm();
  uint64_t site = run_u(do_ebreak, 0);
  CHECK_TRAP(PRIV_S, CAUSE_BREAKPOINT, site);
  CHECK_EQ(trap.epc, site);
  trap_arm();
  run_u(do_illegal, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ILLEGAL, UNIMP);
  CHECK_EQ(trap.from, PRIV_U);
  CHECK_EQ((trap.status & MSTATUS_MPP) >> 11, PRIV_U);
  trap_arm();
  site = do_ebreak(0);  // from M: never delegated
  CHECK_TRAP(PRIV_M, CAUSE_BREAKPOINT, site);
  csr_write(medeleg, 0);

  TEST(5);                        // an M trap saves MIE in MPIE and clears MIE
  csr_set(mstatus, MSTATUS_MIE);  // no interrupt is enabled in mie
  trap_arm();
  do_illegal(0);
  CHECK_TRAP(PRIV_M, CAUSE_ILLEGAL, UNIMP);
  CHECK(trap.status & MSTATUS_MPIE);
  CHECK_EQ(trap.status & MSTATUS_MIE, 0);
  CHECK_EQ((trap.status & MSTATUS_MPP) >> 11, PRIV_M);
  CHECK(csr_read(mstatus) & MSTATUS_MIE);  // mret restored it
  csr_clear(mstatus, MSTATUS_MIE);

  TEST(6);  // delegated SSI: taken in S only with SIE set
  s_irq_hook = s_clear_ssip;
  csr_write(mideleg, 1u << IRQ_SSI);
  csr_write(mie, 1u << IRQ_SSI);
  csr_set(mip, 1u << IRQ_SSI);
  CHECK_EQ(csr_read(sip) & (1u << IRQ_SSI), 1u << IRQ_SSI);
  CHECK_EQ(run_s(s_spin, 0), 0);  // SIE clear: stays pending
  CHECK(csr_read(mip) & (1u << IRQ_SSI));
  trap_arm();
  CHECK_EQ(run_s(s_spin, 1), 1);
  trap_disarm();
  CHECK_EQ(last_irq_cause, CAUSE_INTERRUPT | IRQ_SSI);
  CHECK_EQ(trap.to, PRIV_S);
  CHECK_EQ(trap.from, PRIV_S);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_SSI), 0);

  TEST(7);  // delegated SSI in U: taken whatever SIE says
  csr_clear(mstatus, MSTATUS_SIE);
  csr_set(mip, 1u << IRQ_SSI);
  run_u(u_spin, 0);
  CHECK_EQ(s_irqs, 2);
  CHECK_EQ(trap.from, PRIV_U);

  TEST(8);  // delegated SSI is never taken in M, even with MIE set
  csr_set(mip, 1u << IRQ_SSI);
  csr_set(mstatus, MSTATUS_MIE);
  for (volatile int i = 0; i < 100; i++) {
  }
  csr_clear(mstatus, MSTATUS_MIE);
  CHECK_EQ(s_irqs, 2);
  CHECK_EQ(m_irqs, 0);
  csr_clear(mip, 1u << IRQ_SSI);

  TEST(9);  // not delegated: SSI goes to M from S even though MIE is clear
  m_irq_hook = m_clear_ssip;
  csr_write(mideleg, 0);
  CHECK_EQ(csr_read(sie), 0);  // sie shows only delegated interrupts
  csr_set(mip, 1u << IRQ_SSI);
  CHECK_EQ(run_s(s_spin, 1), 2);
  CHECK_EQ(m_irqs, 1);
  CHECK_EQ(last_irq_cause, CAUSE_INTERRUPT | IRQ_SSI);
  CHECK_EQ(trap.to, PRIV_M);
  CHECK_EQ(trap.from, PRIV_S);

  TEST(10);  // in M, an undelegated interrupt waits for MIE
  csr_set(mip, 1u << IRQ_SSI);
  for (volatile int i = 0; i < 100; i++) {
  }
  CHECK_EQ(m_irqs, 1);
  csr_set(mstatus, MSTATUS_MIE);
  for (volatile int i = 0; i < 100; i++) {
  }
  csr_clear(mstatus, MSTATUS_MIE);
  CHECK_EQ(m_irqs, 2);
  CHECK_EQ(trap.from, PRIV_M);
  csr_write(mie, 0);
  return 0;
}
