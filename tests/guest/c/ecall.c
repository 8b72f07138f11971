// ecall from M, S and U: causes 11, 9 and 8 with epc at the ecall and tval 0; delegated to
// S through medeleg[8]; an ecall from M stays in M whatever medeleg says.
#include "guest.h"

extern char ecall_site[];

// One ecall at a known address (ecall_site); returns that address as this mode sees it.
static __attribute__((noinline)) uint64_t do_ecall(uint64_t unused) {
  uint64_t site;
  asm volatile(
      "  .globl ecall_site\n"
      "ecall_site:\n"
      "  ecall\n"
      "  auipc %0, 0\n"
      "  addi %0, %0, -4\n"
      : "=r"(site)::"memory");
  return site;
}

int main(void) {
  TEST(1);  // from M
  trap_arm();
  uint64_t site = do_ecall(0);
  CHECK_TRAP(PRIV_M, CAUSE_ECALL_M, 0);
  CHECK_EQ(site, (uint64_t)ecall_site);
  CHECK_EQ(trap.epc, site);
  CHECK_EQ(trap.from, PRIV_M);

  TEST(2);  // from S, to M
  trap_arm();
  site = run_s(do_ecall, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ECALL_S, 0);
  CHECK_EQ(trap.epc, site);
  CHECK_EQ(trap.from, PRIV_S);

  TEST(3);  // from U, to M
  trap_arm();
  site = run_u(do_ecall, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ECALL_U, 0);
  CHECK_EQ(trap.epc, site);
  CHECK_EQ(trap.from, PRIV_U);

  TEST(4);  // from U, delegated to S
  csr_write(stvec, (uint64_t)s_trap_entry_address());
  csr_write(medeleg, 1ull << CAUSE_ECALL_U);
  trap_arm();
  site = run_u(do_ecall, 0);
  CHECK_TRAP(PRIV_S, CAUSE_ECALL_U, 0);
  CHECK_EQ(trap.epc, site);
  CHECK_EQ(trap.from, PRIV_U);
  CHECK_EQ(trap.status & MSTATUS_SPP, 0);  // sstatus as the S handler saw it

  TEST(5);  // S ecalls still go to M when only U's are delegated
  trap_arm();
  run_s(do_ecall, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ECALL_S, 0);

  TEST(6);  // from M with every medeleg bit set: traps never go to a less privileged mode
  csr_write(medeleg, ~0ull);
  trap_arm();
  site = do_ecall(0);
  CHECK_TRAP(PRIV_M, CAUSE_ECALL_M, 0);
  CHECK_EQ(csr_read(mcause), CAUSE_ECALL_M);
  CHECK_EQ(trap.epc, site);
  CHECK_EQ(csr_read(medeleg) & (1ull << CAUSE_ECALL_M), 0);  // medeleg[11] is read-only zero
  csr_write(medeleg, 0);
  return 0;
}
