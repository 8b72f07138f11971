// Every page-fault kind under Sv39 (LEVELS=3) or Sv48 (LEVELS=4), with the exact cause
// and tval: invalid PTEs, reserved encodings (W without R, reserved bits, a pointer at the
// last level), missing R/W/X, U pages from S (SUM; never executable), S pages from U, MXR,
// AMOs on read-only pages, non-canonical addresses, misaligned superpages, and accesses and
// instructions that straddle into an unmapped page (tval = the faulting part). Superpages
// (2 MiB, 1 GiB, and 512 GiB under Sv48) translate with their offsets. Faults go to M,
// or to S when delegated through medeleg.
#include "guest.h"

#ifndef LEVELS
#define LEVELS 3
#endif

#define T 0x100000000ull  // the 4 KiB test pages: T + n * 4 KiB
#define PAGE(n) (T + (uint64_t)(n)*4096)
#define MEGA 0x140000000ull            // 2 MiB page -> PA 0x80400000
#define MEGA_BAD (MEGA + 0x200000ull)  // 2 MiB page -> a PA that is not 2 MiB-aligned
#define GIGA 0x180000000ull            // 1 GiB page -> PA 0x80000000
#define GIGA_BAD 0x1c0000000ull        // 1 GiB page -> PA 0x80200000
#define TERA 0x8000000000ull           // Sv48: 512 GiB page -> PA 0
#define TERA_BAD 0x10000000000ull      // Sv48: 512 GiB page -> PA 0x80000000
#define SUPER_PA 0x80400000ull
// Sv39 addresses must sign-extend bit 38, Sv48 ones bit 47.
#define NON_CANONICAL (LEVELS == 3 ? 0x4000000000ull : 0x800000000000ull)

#define PTE_RESERVED_54 (1ull << 54)
#define RET 0x00008067u  // jalr x0, 0(ra)

static uint8_t frames[16][4096] __attribute__((aligned(4096)));
extern char _end[];

enum { LOAD, STORE, FETCH, AMO };
static volatile int probe_kind;
static volatile uint64_t probe_addr, probe_result;

// Runs in S or U: one access of probe_kind at probe_addr. No switch: U code runs at an alias
// of RAM, where absolute addresses (a jump table) would point at S pages.
static uint64_t do_probe(uint64_t unused) {
  const int kind = probe_kind;
  const uint64_t addr = probe_addr;
  if (kind == LOAD)
    probe_result = probe_ld(addr);
  else if (kind == STORE)
    probe_sd(addr, 0x5a5a5a5a5a5a5a5aull);
  else if (kind == FETCH)
    probe_call(addr);
  else
    probe_result = probe_amoadd(addr, 1);
  return 0;
}

static void access(int mode, int kind, uint64_t addr) {
  probe_kind = kind;
  probe_addr = addr;
  trap_arm();
  if (mode == PRIV_S)
    run_s(do_probe, 0);
  else
    run_u(do_probe, 0);
  trap_disarm();
}

static int delegated;  // page faults go to S

static uint64_t fault_cause(int kind) {
  return kind == LOAD ? CAUSE_LOAD_PAGE : kind == FETCH ? CAUSE_FETCH_PAGE : CAUSE_STORE_PAGE;
}

static void fault_at(int line, int mode, int kind, uint64_t addr, uint64_t tval) {
  access(mode, kind, addr);
  CHECK_EQ_AT(line, trap.count, 1);
  CHECK_EQ_AT(line, trap.cause, fault_cause(kind));
  CHECK_EQ_AT(line, trap.tval, tval);
  CHECK_EQ_AT(line, trap.to, delegated ? PRIV_S : PRIV_M);
  CHECK_EQ_AT(line, trap.from, mode);
  if (kind == FETCH) CHECK_EQ_AT(line, trap.epc, addr);
}
#define FAULT(mode, kind, addr) fault_at(__LINE__, mode, kind, addr, addr)
#define FAULT_TVAL(mode, kind, addr, tval) fault_at(__LINE__, mode, kind, addr, tval)

static void ok_at(int line, int mode, int kind, uint64_t addr) {
  access(mode, kind, addr);
  CHECK_EQ_AT(line, trap.count, 0);
}
#define OK(mode, kind, addr) ok_at(__LINE__, mode, kind, addr)

static uint64_t pa(int frame) { return (uint64_t)frames[frame]; }

static void build_tables(void) {
  const uint64_t AD = PTE_A | PTE_D;
  vm_init(LEVELS);
  vm_base_map();
  vm_map(PAGE(0), pa(0), 0, PTE_R | PTE_W | AD);
  vm_map(PAGE(1), pa(1), 0, PTE_R | PTE_W | AD);
  *vm_pte(PAGE(1), 0) &= ~PTE_V;          // invalid, the rest intact
  vm_map(PAGE(2), pa(2), 0, PTE_W | AD);  // W without R: reserved
  vm_map(PAGE(3), pa(3), 0, PTE_R | AD);
  vm_map(PAGE(4), pa(4), 0, PTE_X | AD);  // execute-only
  vm_map(PAGE(5), pa(5), 0, PTE_R | PTE_W | AD);
  vm_map(PAGE(6), pa(6), 0, PTE_R | PTE_W | PTE_X | PTE_U | AD);
  vm_map(PAGE(7), pa(7), 0, PTE_R | PTE_X | AD);  // page 8 stays unmapped
  vm_map(PAGE(9), pa(9), 0, PTE_R | PTE_W | AD | PTE_RESERVED_54);
  vm_map(PAGE(10), pa(10), 0, PTE_R | PTE_W | PTE_U | AD);
  vm_map(PAGE(11), pa(11), 0, 0);  // V alone at the last level: a pointer where a leaf must be
  vm_map(PAGE(12), pa(12), 0, PTE_R | PTE_W | AD);  // page 13 stays unmapped
  vm_map(MEGA, SUPER_PA, 1, PTE_R | PTE_W | AD);
  vm_map(MEGA_BAD, SUPER_PA + 0x1000, 1, PTE_R | PTE_W | PTE_X | AD);
  vm_map(GIGA, RAM_BASE, 2, PTE_R | AD);
  vm_map(GIGA_BAD, RAM_BASE + 0x200000, 2, PTE_R | PTE_W | PTE_X | AD);
#if LEVELS == 4
  vm_map(TERA, 0, 3, PTE_R | AD);
  vm_map(TERA_BAD, RAM_BASE, 3, PTE_R | AD);
#endif
  vm_on();
}

static void fill_frames(void) {
  for (int f = 0; f < 16; f++)
    for (int i = 0; i < 512; i++) ((volatile uint64_t*)frames[f])[i] = ((uint64_t)f << 32) | (uint64_t)i;
  // Code: a `ret` at the start of the X pages, and at the end of page 7 the first half of a
  // 32-bit instruction whose second half would be on the unmapped page 8.
  for (int f = 4; f <= 7; f += 3) ((volatile uint32_t*)frames[f])[0] = RET;
  ((volatile uint32_t*)frames[6])[0] = RET;
  ((volatile uint16_t*)frames[7])[2047] = 0x0013;  // low half of `addi x0, x0, 0`
  asm volatile("fence.i" ::: "memory");
}

// Page faults from S and U, to whichever mode `delegated` says.
static void page_faults(void) {
  TEST(delegated ? 12 : 2);  // V = 0: every access
  FAULT(PRIV_S, LOAD, PAGE(1) + 0x18);
  FAULT(PRIV_S, STORE, PAGE(1) + 0x20);
  FAULT(PRIV_S, AMO, PAGE(1) + 0x28);
  FAULT(PRIV_S, FETCH, PAGE(1) + 0x40);
  FAULT(PRIV_U, LOAD, PAGE(1) + 0x8);

  TEST(delegated ? 13 : 3);  // reserved encodings: W without R, a reserved bit, a pointer at level 0
  FAULT(PRIV_S, LOAD, PAGE(2));
  FAULT(PRIV_S, STORE, PAGE(2) + 8);
  FAULT(PRIV_S, LOAD, PAGE(9) + 16);
  FAULT(PRIV_S, STORE, PAGE(9) + 16);
  FAULT(PRIV_S, LOAD, PAGE(11));
  FAULT(PRIV_S, FETCH, PAGE(11));

  TEST(delegated ? 14 : 4);  // missing permissions
  OK(PRIV_S, LOAD, PAGE(3) + 8);
  CHECK_EQ(probe_result, (3ull << 32) | 1);
  FAULT(PRIV_S, STORE, PAGE(3) + 8);
  FAULT(PRIV_S, AMO, PAGE(3) + 8);  // an AMO on a read-only page is a store fault
  FAULT(PRIV_S, FETCH, PAGE(3));
  FAULT(PRIV_S, LOAD, PAGE(4) + 8);  // execute-only, MXR clear
  FAULT(PRIV_S, STORE, PAGE(4) + 8);
  OK(PRIV_S, FETCH, PAGE(4));
  FAULT(PRIV_S, FETCH, PAGE(5));  // RW, no X
  OK(PRIV_S, STORE, PAGE(5) + 16);
  CHECK_EQ(((volatile uint64_t*)frames[5])[2], 0x5a5a5a5a5a5a5a5aull);
  OK(PRIV_S, AMO, PAGE(5) + 16);
  CHECK_EQ(((volatile uint64_t*)frames[5])[2], 0x5a5a5a5a5a5a5a5bull);

  TEST(delegated ? 15 : 5);  // MXR makes execute-only pages readable (not writable)
  csr_set(mstatus, MSTATUS_MXR);
  OK(PRIV_S, LOAD, PAGE(4) + 8);
  CHECK_EQ(probe_result, (4ull << 32) | 1);
  FAULT(PRIV_S, STORE, PAGE(4) + 8);
  csr_clear(mstatus, MSTATUS_MXR);

  TEST(delegated ? 16 : 6);  // U pages from S: data only with SUM, never code
  FAULT(PRIV_S, LOAD, PAGE(10));
  FAULT(PRIV_S, STORE, PAGE(10));
  FAULT(PRIV_S, FETCH, PAGE(6));
  csr_set(mstatus, MSTATUS_SUM);
  OK(PRIV_S, LOAD, PAGE(10) + 24);
  CHECK_EQ(probe_result, (10ull << 32) | 3);
  OK(PRIV_S, STORE, PAGE(10));
  FAULT(PRIV_S, FETCH, PAGE(6));
  csr_clear(mstatus, MSTATUS_SUM);

  TEST(delegated ? 17 : 7);  // S pages from U; U pages from U
  FAULT(PRIV_U, LOAD, PAGE(0));
  FAULT(PRIV_U, STORE, PAGE(0));
  FAULT(PRIV_U, FETCH, PAGE(7));
  OK(PRIV_U, LOAD, PAGE(10) + 8);
  OK(PRIV_U, STORE, PAGE(10) + 8);
  OK(PRIV_U, FETCH, PAGE(6));
  csr_set(mstatus, MSTATUS_SUM);  // SUM changes nothing for U
  FAULT(PRIV_U, LOAD, PAGE(0));
  csr_clear(mstatus, MSTATUS_SUM);

  TEST(delegated ? 18 : 8);  // non-canonical addresses
  FAULT(PRIV_S, LOAD, NON_CANONICAL);
  FAULT(PRIV_S, STORE, NON_CANONICAL + 8);
  FAULT(PRIV_S, FETCH, NON_CANONICAL);
  FAULT(PRIV_U, LOAD, ~0ull - NON_CANONICAL);  // upper bits set, the sign bit clear

  TEST(delegated ? 19 : 9);  // superpages: offsets pass through; misaligned ones fault
  OK(PRIV_S, LOAD, MEGA + 0x1a008);
  CHECK_EQ(probe_result, ((volatile uint64_t*)(SUPER_PA + 0x1a008))[0]);
  OK(PRIV_S, STORE, MEGA + 0x1ff000);
  CHECK_EQ(((volatile uint64_t*)(SUPER_PA + 0x1ff000))[0], 0x5a5a5a5a5a5a5a5aull);
  OK(PRIV_S, LOAD, GIGA + ((uint64_t)frames[3] - RAM_BASE) + 16);
  CHECK_EQ(probe_result, (3ull << 32) | 2);
  FAULT(PRIV_S, LOAD, MEGA_BAD + 0x3000);
  FAULT(PRIV_S, STORE, MEGA_BAD);
  FAULT(PRIV_S, FETCH, MEGA_BAD + 0x100);
  FAULT(PRIV_S, LOAD, GIGA_BAD + 0x123450);
  FAULT(PRIV_S, FETCH, GIGA_BAD);
#if LEVELS == 4
  OK(PRIV_S, LOAD, TERA + (uint64_t)frames[5] + 24);
  CHECK_EQ(probe_result, (5ull << 32) | 3);
  FAULT(PRIV_S, STORE, TERA + (uint64_t)frames[5]);
  FAULT(PRIV_S, LOAD, TERA_BAD + 0x1000);
#endif

  TEST(delegated ? 20 : 10);  // straddling the end of a page into an unmapped one
  FAULT_TVAL(PRIV_S, LOAD, PAGE(13) - 4, PAGE(13));
  FAULT_TVAL(PRIV_S, STORE, PAGE(13) - 2, PAGE(13));
  FAULT_TVAL(PRIV_S, FETCH, PAGE(8) - 2, PAGE(8));
}

int main(void) {
  TEST(1);
  CHECK((uint64_t)_end <= SUPER_PA);  // the superpage tests own RAM from 4 MiB on
  fill_frames();
  build_tables();
  OK(PRIV_S, LOAD, PAGE(0) + 8);
  CHECK_EQ(probe_result, 1);
  OK(PRIV_S, FETCH, PAGE(7));

  page_faults();

  csr_write(stvec, s_trap_entry_address());
  csr_write(medeleg, (1u << CAUSE_FETCH_PAGE) | (1u << CAUSE_LOAD_PAGE) | (1u << CAUSE_STORE_PAGE));
  delegated = 1;
  page_faults();
  csr_write(medeleg, 0);
  vm_off();
  return 0;
}
