// WFI: waits until an interrupt is pending and enabled in mie, whatever mstatus.MIE says
// (then execution continues after it, no trap when MIE is clear; with MIE set the trap is
// taken with mepc after the wfi); returns at once when one is already pending; illegal in U
// and in S under mstatus.TW; in S it wakes on a Sstc timer with SIE clear.
#include "guest.h"

#define TICKS_200US 2000

static uint64_t mtime(void) { return mmio_read64(CLINT_MTIME); }

static volatile uint64_t irqs, irq_epc;

static void m_timer(uint64_t cause) {
  irqs++;
  irq_epc = csr_read(mepc);
  mmio_write64(CLINT_MTIMECMP, ~0ull);
}

extern char after_wfi[];

static __attribute__((noinline)) uint64_t do_wfi(uint64_t unused) {
  asm volatile(
      ".option push\n.option norvc\n"
      "  wfi\n"
      "  .globl after_wfi\n"
      "after_wfi:\n"
      ".option pop\n" ::
          : "memory");
  return 0;
}

// S code: arms stimecmp, waits with SIE clear, returns whether STIP is pending after.
static uint64_t s_timer_wfi(uint64_t delay) {
  csr_write(stimecmp, csr_read(time) + delay);
  asm volatile("wfi" ::: "memory");
  const uint64_t pending = csr_read(sip) & (1u << IRQ_STI);
  csr_write(stimecmp, ~0ull);
  return pending;
}

int main(void) {
  TEST(1);  // wakes on the machine timer with MIE clear: no trap, MTIP pending after
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 1u << IRQ_MTI);
  uint64_t deadline = mtime() + TICKS_200US;
  mmio_write64(CLINT_MTIMECMP, deadline);
  CHECK_EQ(csr_read(mip) & (1u << IRQ_MTI), 0);
  do_wfi(0);
  CHECK(csr_read(mip) & (1u << IRQ_MTI));
  CHECK(mtime() >= deadline);
  mmio_write64(CLINT_MTIMECMP, ~0ull);

  TEST(2);  // with MIE set the interrupt is taken, mepc after the wfi
  m_irq_hook = m_timer;
  mmio_write64(CLINT_MTIMECMP, mtime() + TICKS_200US);
  csr_set(mstatus, MSTATUS_MIE);
  do_wfi(0);
  csr_clear(mstatus, MSTATUS_MIE);
  CHECK_EQ(irqs, 1);
  CHECK_EQ(irq_epc, (uint64_t)after_wfi);

  TEST(3);  // something already pending and enabled: wfi does not wait
  csr_write(mie, 1u << IRQ_SSI);
  csr_set(mip, 1u << IRQ_SSI);
  const uint64_t before = mtime();
  do_wfi(0);
  CHECK(mtime() - before < 10 * TICKS_200US);
  csr_clear(mip, 1u << IRQ_SSI);

  TEST(4);  // wfi in U is illegal; in S only under TW
  csr_write(mie, 0);
  trap_arm();
  run_u(do_wfi, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ILLEGAL, 0x10500073);
  csr_set(mstatus, MSTATUS_TW);
  trap_arm();
  run_s(do_wfi, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ILLEGAL, 0x10500073);
  csr_clear(mstatus, MSTATUS_TW);

  TEST(5);  // in S, wakes on a delegated Sstc timer with SIE clear
  csr_write(menvcfg, MENVCFG_STCE);
  csr_write(mcounteren, 2);
  csr_write(mideleg, 1u << IRQ_STI);
  csr_write(mie, 1u << IRQ_STI);
  csr_clear(mstatus, MSTATUS_SIE);
  deadline = mtime() + TICKS_200US;
  CHECK(run_s(s_timer_wfi, TICKS_200US));
  CHECK(mtime() >= deadline);
  csr_write(mie, 0);
  csr_write(mideleg, 0);
  csr_write(menvcfg, 0);
  return 0;
}
