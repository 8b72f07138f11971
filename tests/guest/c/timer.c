// Timer interrupts: the CLINT's mtime counts, mtimecmp raises MTIP and a machine timer
// interrupt (cause 7) in M; Sstc's stimecmp raises STIP and a supervisor timer interrupt
// (cause 5), delegated to S or taken in M. MTIP and (with Sstc) STIP are not writable in mip.
#include "guest.h"

#define TICKS_200US 2000  // mtime counts at 10 MHz
#define SPIN_LIMIT 50000000

static volatile uint64_t timer_irqs, irq_cause;
static volatile int irq_to;

static void m_timer(uint64_t cause) {
  timer_irqs++;
  irq_cause = cause;
  irq_to = PRIV_M;
  if (cause == (CAUSE_INTERRUPT | IRQ_MTI))
    mmio_write64(CLINT_MTIMECMP, ~0ull);
  else
    csr_write(stimecmp, ~0ull);  // an undelegated Sstc interrupt
}

static void s_timer(uint64_t cause) {
  timer_irqs++;
  irq_cause = cause;
  irq_to = PRIV_S;
  csr_write(stimecmp, ~0ull);
}

static uint64_t mtime(void) { return mmio_read64(CLINT_MTIME); }

// S code: arms stimecmp `delay` ticks ahead with SIE set and spins until a handler ran.
static uint64_t s_arm_and_wait(uint64_t delay) {
  const uint64_t before = timer_irqs;
  csr_write(stimecmp, csr_read(time) + delay);
  csr_set(sstatus, MSTATUS_SIE);
  uint64_t spins = 0;
  while (timer_irqs == before && spins < SPIN_LIMIT) spins++;
  csr_clear(sstatus, MSTATUS_SIE);
  return spins;
}

int main(void) {
  TEST(1);  // mtime counts, and time reads it
  const uint64_t t0 = mtime();
  for (volatile int i = 0; i < 10000; i++) {
  }
  const uint64_t t1 = csr_read(time);
  const uint64_t t2 = mtime();
  CHECK(t1 > t0);
  CHECK(t2 >= t1);

  TEST(2);  // mtimecmp in the past: MTIP at once; in the future: clear; mip cannot change it
  mmio_write64(CLINT_MTIMECMP, 0);
  CHECK(csr_read(mip) & (1u << IRQ_MTI));
  mmio_write64(CLINT_MTIMECMP, ~0ull);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_MTI), 0);
  csr_set(mip, 1u << IRQ_MTI);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_MTI), 0);
  CHECK_EQ(mmio_read64(CLINT_MTIMECMP), ~0ull);

  TEST(3);  // a machine timer interrupt 200 us ahead
  m_irq_hook = m_timer;
  csr_write(mie, 1u << IRQ_MTI);
  const uint64_t deadline = mtime() + TICKS_200US;
  mmio_write64(CLINT_MTIMECMP, deadline);
  csr_set(mstatus, MSTATUS_MIE);
  uint64_t spins = 0;
  while (!timer_irqs && spins < SPIN_LIMIT) spins++;
  csr_clear(mstatus, MSTATUS_MIE);
  CHECK_EQ(timer_irqs, 1);
  CHECK_EQ(irq_to, PRIV_M);
  CHECK_EQ(irq_cause, CAUSE_INTERRUPT | IRQ_MTI);
  CHECK(mtime() >= deadline);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_MTI), 0);  // the handler moved mtimecmp away
  csr_write(mie, 0);

  TEST(4);  // the 32-bit halves of mtimecmp
  *(volatile uint32_t*)CLINT_MTIMECMP = 0x12345678;
  *(volatile uint32_t*)(CLINT_MTIMECMP + 4) = 0x7abcdef0;
  CHECK_EQ(mmio_read64(CLINT_MTIMECMP), 0x7abcdef012345678ull);
  mmio_write64(CLINT_MTIMECMP, ~0ull);

  TEST(5);  // Sstc: with STCE, STIP follows stimecmp and mip writes cannot change it
  csr_write(menvcfg, MENVCFG_STCE);
  csr_write(mcounteren, 2);  // TM: S may use time and stimecmp
  csr_write(stimecmp, 0);
  CHECK(csr_read(mip) & (1u << IRQ_STI));
  csr_write(stimecmp, ~0ull);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_STI), 0);
  csr_set(mip, 1u << IRQ_STI);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_STI), 0);

  TEST(6);  // Sstc interrupt delegated to S
  csr_write(stvec, s_trap_entry_address());
  s_irq_hook = s_timer;
  csr_write(mideleg, 1u << IRQ_STI);
  csr_write(mie, 1u << IRQ_STI);
  timer_irqs = 0;
  CHECK(run_s(s_arm_and_wait, TICKS_200US) < SPIN_LIMIT);
  CHECK_EQ(timer_irqs, 1);
  CHECK_EQ(irq_to, PRIV_S);
  CHECK_EQ(irq_cause, CAUSE_INTERRUPT | IRQ_STI);
  CHECK_EQ(csr_read(stimecmp), ~0ull);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_STI), 0);

  TEST(7);  // not delegated: the same interrupt goes to M, even from S
  csr_write(mideleg, 0);
  CHECK(run_s(s_arm_and_wait, TICKS_200US) < SPIN_LIMIT);
  CHECK_EQ(timer_irqs, 2);
  CHECK_EQ(irq_to, PRIV_M);
  CHECK_EQ(irq_cause, CAUSE_INTERRUPT | IRQ_STI);
  csr_write(mie, 0);
  csr_write(menvcfg, 0);
  csr_write(mcounteren, 0);
  return 0;
}
