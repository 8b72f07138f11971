// Illegal CSR accesses raise illegal-instruction with the instruction bits in tval: a CSR
// of a more privileged mode, a write to a read-only CSR (but not a read, nor a csrrs/csrrc
// from x0), a CSR that does not exist, counters hidden by mcounteren/scounteren, satp
// under mstatus.TVM, stimecmp from S without menvcfg.STCE, fcsr with mstatus.FS off, and xRET
// from too low a privilege.
#include "guest.h"

// The encodings the probes below use (rd = a0, rs1 = a0 or x0).
#define CSRRS_A0_X0(csr) (((uint64_t)(csr) << 20) | (2u << 12) | (10u << 7) | 0x73)
#define CSRRW_A0_A0(csr) (((uint64_t)(csr) << 20) | (10u << 15) | (1u << 12) | (10u << 7) | 0x73)
#define CSRRS_A0_A1(csr) (((uint64_t)(csr) << 20) | (11u << 15) | (2u << 12) | (10u << 7) | 0x73)

// read_<name>: csrrs a0, csr, x0 (a read only); write_<name>: csrrw a0, csr, a0.
#define CSR_PROBES(name, csr)                                                      \
  static __attribute__((noinline, unused)) uint64_t read_##name(uint64_t unused) { \
    register uint64_t v asm("a0") = 0;                                             \
    asm volatile("csrrs a0, " #csr ", x0" : "+r"(v)::"memory");                    \
    return v;                                                                      \
  }                                                                                \
  static __attribute__((noinline, unused)) uint64_t write_##name(uint64_t value) { \
    register uint64_t v asm("a0") = value;                                         \
    asm volatile("csrrw a0, " #csr ", a0" : "+r"(v)::"memory");                    \
    return v;                                                                      \
  }

CSR_PROBES(mstatus, 0x300)
CSR_PROBES(sstatus, 0x100)
CSR_PROBES(mscratch, 0x340)
CSR_PROBES(sscratch, 0x140)
CSR_PROBES(mvendorid, 0xf11)
CSR_PROBES(mhartid, 0xf14)
CSR_PROBES(cycle, 0xc00)
CSR_PROBES(time, 0xc01)
CSR_PROBES(instret, 0xc02)
CSR_PROBES(satp, 0x180)
CSR_PROBES(stimecmp, 0x14d)
CSR_PROBES(fcsr, 0x003)
CSR_PROBES(hstatus, 0x600)  // the H extension is not implemented
CSR_PROBES(custom, 0x8ff)   // a custom user CSR nobody implements

// csrrs a0, mhartid, a1: a write attempt even when a1 holds zero.
static __attribute__((noinline)) uint64_t set_mhartid_from_a1(uint64_t unused) {
  register uint64_t v asm("a0") = 0;
  register uint64_t zero asm("a1") = 0;
  asm volatile("csrrs a0, 0xf14, a1" : "+r"(v) : "r"(zero) : "memory");
  return v;
}
// csrrsi a0, mhartid, 0: no write, so legal.
static __attribute__((noinline)) uint64_t seti_mhartid_zero(uint64_t unused) {
  register uint64_t v asm("a0") = 7;
  asm volatile("csrrsi a0, 0xf14, 0" : "+r"(v)::"memory");
  return v;
}
static __attribute__((noinline)) uint64_t do_mret(uint64_t unused) {
  asm volatile("mret" ::: "memory");
  return 0;
}
static __attribute__((noinline)) uint64_t do_sret(uint64_t unused) {
  asm volatile("sret" ::: "memory");
  return 0;
}

// Runs `probe` in `mode` expecting an illegal-instruction trap to M with tval `bits`.
static void expect_illegal(int mode, uint64_t (*probe)(uint64_t), uint64_t bits) {
  trap_arm();
  if (mode == PRIV_M)
    probe(0);
  else if (mode == PRIV_S)
    run_s(probe, 0);
  else
    run_u(probe, 0);
  CHECK_TRAP(PRIV_M, CAUSE_ILLEGAL, bits);
  CHECK_EQ(trap.from, mode);
}

static void expect_legal(int mode, uint64_t (*probe)(uint64_t)) {
  trap_arm();
  if (mode == PRIV_M)
    probe(0);
  else if (mode == PRIV_S)
    run_s(probe, 0);
  else
    run_u(probe, 0);
  CHECK_NO_TRAP();
}

int main(void) {
  TEST(1);  // M CSRs from S and U, S CSRs from U
  expect_illegal(PRIV_U, read_mstatus, CSRRS_A0_X0(0x300));
  expect_illegal(PRIV_S, read_mstatus, CSRRS_A0_X0(0x300));
  expect_illegal(PRIV_S, write_mscratch, CSRRW_A0_A0(0x340));
  expect_illegal(PRIV_U, read_sstatus, CSRRS_A0_X0(0x100));
  expect_illegal(PRIV_U, write_sscratch, CSRRW_A0_A0(0x140));
  expect_legal(PRIV_S, read_sstatus);
  expect_legal(PRIV_S, write_sscratch);
  expect_legal(PRIV_M, read_mscratch);

  TEST(2);  // read-only CSRs: reads and non-writing csrrs are fine, writes are not
  expect_legal(PRIV_M, read_mvendorid);
  expect_legal(PRIV_M, read_mhartid);
  CHECK_EQ(read_mhartid(0), 0);
  expect_illegal(PRIV_M, write_mvendorid, CSRRW_A0_A0(0xf11));
  expect_illegal(PRIV_M, write_mhartid, CSRRW_A0_A0(0xf14));
  expect_illegal(PRIV_M, set_mhartid_from_a1, CSRRS_A0_A1(0xf14));
  trap_arm();
  CHECK_EQ(seti_mhartid_zero(0), 0);
  CHECK_NO_TRAP();
  expect_illegal(PRIV_S, write_cycle, CSRRW_A0_A0(0xc00));  // user counters are read-only

  TEST(3);  // CSRs that do not exist, from every mode
  expect_illegal(PRIV_M, read_hstatus, CSRRS_A0_X0(0x600));
  expect_illegal(PRIV_M, write_hstatus, CSRRW_A0_A0(0x600));
  expect_illegal(PRIV_M, read_custom, CSRRS_A0_X0(0x8ff));
  expect_illegal(PRIV_U, read_custom, CSRRS_A0_X0(0x8ff));

  TEST(4);  // counters: mcounteren gates S and U, scounteren gates U
  csr_write(mcounteren, 0);
  csr_write(scounteren, 0);
  expect_legal(PRIV_M, read_cycle);
  expect_illegal(PRIV_S, read_cycle, CSRRS_A0_X0(0xc00));
  expect_illegal(PRIV_U, read_time, CSRRS_A0_X0(0xc01));
  csr_write(mcounteren, 7);
  expect_legal(PRIV_S, read_cycle);
  expect_legal(PRIV_S, read_instret);
  expect_illegal(PRIV_U, read_instret, CSRRS_A0_X0(0xc02));
  csr_write(scounteren, 1 << 2);
  expect_legal(PRIV_U, read_instret);
  expect_illegal(PRIV_U, read_cycle, CSRRS_A0_X0(0xc00));
  csr_write(scounteren, 0);
  csr_write(mcounteren, 5);  // CY and IR but not TM
  csr_write(scounteren, 7);
  expect_illegal(PRIV_U, read_time, CSRRS_A0_X0(0xc01));
  expect_illegal(PRIV_S, read_time, CSRRS_A0_X0(0xc01));
  csr_write(mcounteren, 0);
  csr_write(scounteren, 0);

  TEST(5);  // satp under mstatus.TVM
  expect_legal(PRIV_S, read_satp);
  csr_set(mstatus, MSTATUS_TVM);
  expect_illegal(PRIV_S, read_satp, CSRRS_A0_X0(0x180));
  expect_legal(PRIV_M, read_satp);
  csr_clear(mstatus, MSTATUS_TVM);
  expect_illegal(PRIV_U, read_satp, CSRRS_A0_X0(0x180));

  TEST(6);  // stimecmp (Sstc): M always; S needs menvcfg.STCE and mcounteren.TM; never U
  csr_write(menvcfg, 0);
  csr_write(mcounteren, 2);
  expect_legal(PRIV_M, read_stimecmp);
  expect_illegal(PRIV_S, read_stimecmp, CSRRS_A0_X0(0x14d));
  csr_write(menvcfg, MENVCFG_STCE);
  expect_legal(PRIV_M, read_stimecmp);
  csr_write(mcounteren, 0);
  expect_illegal(PRIV_S, read_stimecmp, CSRRS_A0_X0(0x14d));
  csr_write(mcounteren, 2);
  expect_legal(PRIV_S, read_stimecmp);
  expect_illegal(PRIV_U, read_stimecmp, CSRRS_A0_X0(0x14d));
  csr_write(mcounteren, 0);
  csr_write(menvcfg, 0);

  TEST(7);  // fcsr while mstatus.FS is off
  csr_clear(mstatus, 3ull << 13);
  expect_illegal(PRIV_M, read_fcsr, CSRRS_A0_X0(0x003));
  csr_set(mstatus, 1ull << 13);
  expect_legal(PRIV_M, read_fcsr);
  csr_clear(mstatus, 3ull << 13);

  TEST(8);  // mret below M, sret in U and in S under TSR
  expect_illegal(PRIV_S, do_mret, 0x30200073);
  expect_illegal(PRIV_U, do_mret, 0x30200073);
  expect_illegal(PRIV_U, do_sret, 0x10200073);
  csr_set(mstatus, MSTATUS_TSR);
  expect_illegal(PRIV_S, do_sret, 0x10200073);
  csr_clear(mstatus, MSTATUS_TSR);

  TEST(9);  // an illegal instruction delegated to S: scause 2, stval the bits
  csr_write(stvec, s_trap_entry_address());
  csr_write(medeleg, 1ull << CAUSE_ILLEGAL);
  trap_arm();
  run_u(read_sstatus, 0);
  CHECK_TRAP(PRIV_S, CAUSE_ILLEGAL, CSRRS_A0_X0(0x100));
  CHECK_EQ(trap.from, PRIV_U);
  trap_arm();  // from M the same instruction stays in M
  write_hstatus(0);
  CHECK_TRAP(PRIV_M, CAUSE_ILLEGAL, CSRRW_A0_A0(0x600));
  csr_write(medeleg, 0);
  return 0;
}
