// Physical memory protection: NAPOT, NA4 and TOR regions checked for S and U (access faults
// 1/5/7 with the address in tval), the lowest-numbered matching entry deciding, accesses
// that match an entry only in part failing, S/U accesses that match no entry failing while
// M's succeed, the page-table walk's own reads checked too, and locked entries: enforced
// against M, their pmpcfg and pmpaddr (and the pmpaddr below a locked TOR entry) frozen.
#include "guest.h"

#define R 1
#define W 2
#define X 4
#define TOR (1 << 3)
#define NA4 (2 << 3)
#define NAPOT (3 << 3)
#define LOCK 0x80

#define BASE 0x80400000ull      // test regions above the program
#define RO_PAGE BASE            // entry 0: NAPOT R
#define XO_LOW (BASE + 0x1000)  // entries 1-2: TOR X over two pages
#define XO_HIGH (BASE + 0x3000)
#define PRIO (BASE + 0x4000)            // entry 3: NAPOT R over 4 KiB, entry 4: NAPOT RW over 16 KiB
#define NA4_WORD (BASE + 0x8000)        // entry 5: NA4 R
#define LOCKED (BASE + 0x9000)          // entry 6: NAPOT L|R
#define LOCKED_TOR_LOW (BASE + 0xa000)  // entries 8-9: TOR L|R
#define LOCKED_TOR_HIGH (BASE + 0xb000)
#define UNCOVERED (BASE + 0x100000)  // no entry matches
#define RET 0x00008067u

extern char _end[];

static uint64_t napot(uint64_t base, uint64_t size) { return (base | (size / 2 - 1)) >> 2; }

static void set_cfg(int entry, uint64_t cfg) {
  const int shift = (entry % 8) * 8;
  const uint64_t mask = 0xffull << shift;
  if (entry < 8)
    csr_write(pmpcfg0, (csr_read(pmpcfg0) & ~mask) | (cfg << shift));
  else
    csr_write(pmpcfg2, (csr_read(pmpcfg2) & ~mask) | (cfg << shift));
}
static uint64_t get_cfg(int entry) {
  return ((entry < 8 ? csr_read(pmpcfg0) : csr_read(pmpcfg2)) >> ((entry % 8) * 8)) & 0xff;
}

enum { LOAD, LOAD4, STORE, FETCH };
static volatile int probe_kind;
static volatile uint64_t probe_addr;

static uint64_t do_probe(uint64_t unused) {
  const int kind = probe_kind;
  if (kind == LOAD)
    probe_ld(probe_addr);
  else if (kind == LOAD4)
    probe_lw(probe_addr);
  else if (kind == STORE)
    probe_sd(probe_addr, 0x77);
  else
    probe_call(probe_addr);
  return 0;
}

static uint64_t access_cause(int kind) {
  return kind == STORE ? CAUSE_STORE_ACCESS : kind == FETCH ? CAUSE_FETCH_ACCESS : CAUSE_LOAD_ACCESS;
}

static void access(int mode, int kind, uint64_t addr) {
  probe_kind = kind;
  probe_addr = addr;
  trap_arm();
  if (mode == PRIV_S)
    run_s(do_probe, 0);
  else if (mode == PRIV_U)
    run_u(do_probe, 0);
  else
    do_probe(0);
  trap_disarm();
}

static int fault_to = PRIV_M;

static void fault_at(int line, int mode, int kind, uint64_t addr) {
  access(mode, kind, addr);
  CHECK_EQ_AT(line, trap.count, 1);
  CHECK_EQ_AT(line, trap.cause, access_cause(kind));
  CHECK_EQ_AT(line, trap.tval, addr);
  CHECK_EQ_AT(line, trap.to, mode == PRIV_M ? PRIV_M : fault_to);
}
static void ok_at(int line, int mode, int kind, uint64_t addr) {
  access(mode, kind, addr);
  CHECK_EQ_AT(line, trap.count, 0);
}
#define FAULT(mode, kind, addr) fault_at(__LINE__, mode, kind, addr)
#define OK(mode, kind, addr) ok_at(__LINE__, mode, kind, addr)

int main(void) {
  TEST(1);  // start over: only entry 15, TOR from 0 up to the test regions, RWX
  CHECK((uint64_t)_end <= BASE);
  for (uint64_t a = BASE; a < BASE + 0xc000; a += 8) *(volatile uint64_t*)a = a;
  *(volatile uint32_t*)XO_LOW = RET;
  *(volatile uint32_t*)(XO_HIGH - 0x1000) = RET;
  *(volatile uint32_t*)LOCKED = RET;
  asm volatile("fence.i" ::: "memory");
  csr_write(pmpcfg0, 0);
  csr_write(pmpcfg2, 0);
  csr_write(pmpaddr14, 0);
  csr_write(pmpaddr15, BASE >> 2);
  set_cfg(15, TOR | R | W | X);
  CHECK_EQ(csr_read(pmpaddr15), BASE >> 2);
  CHECK_EQ(get_cfg(15), TOR | R | W | X);
  OK(PRIV_S, LOAD, BASE - 8);
  OK(PRIV_U, STORE, BASE - 8);
  FAULT(PRIV_S, LOAD, UNCOVERED);  // no entry matches: S and U fail, M succeeds
  FAULT(PRIV_U, STORE, UNCOVERED);
  FAULT(PRIV_S, FETCH, UNCOVERED);
  OK(PRIV_M, STORE, UNCOVERED);
  OK(PRIV_M, LOAD, UNCOVERED);

  TEST(2);  // NAPOT read-only page
  csr_write(pmpaddr0, napot(RO_PAGE, 0x1000));
  set_cfg(0, NAPOT | R);
  OK(PRIV_S, LOAD, RO_PAGE + 0xff8);
  OK(PRIV_U, LOAD, RO_PAGE);
  FAULT(PRIV_S, STORE, RO_PAGE + 0x10);
  FAULT(PRIV_U, STORE, RO_PAGE + 0xff8);
  FAULT(PRIV_S, FETCH, RO_PAGE);
  OK(PRIV_M, STORE, RO_PAGE + 0x10);  // entries that are not locked do not bind M
  CHECK_EQ(*(volatile uint64_t*)(RO_PAGE + 0x10), 0x77);

  TEST(3);  // TOR execute-only over two pages: [pmpaddr1, pmpaddr2)
  csr_write(pmpaddr1, XO_LOW >> 2);
  csr_write(pmpaddr2, XO_HIGH >> 2);
  set_cfg(2, TOR | X);
  OK(PRIV_S, FETCH, XO_LOW);
  OK(PRIV_U, FETCH, XO_HIGH - 0x1000);
  FAULT(PRIV_S, LOAD, XO_LOW);
  FAULT(PRIV_U, STORE, XO_HIGH - 8);
  OK(PRIV_S, LOAD, XO_LOW - 8);  // just below: entry 0's read-only page
  FAULT(PRIV_S, LOAD, XO_HIGH);  // just above: no entry (TOR's top is exclusive)

  TEST(4);  // the lowest-numbered matching entry decides
  csr_write(pmpaddr3, napot(PRIO, 0x1000));
  set_cfg(3, NAPOT | R);
  csr_write(pmpaddr4, napot(PRIO, 0x4000));
  set_cfg(4, NAPOT | R | W);
  FAULT(PRIV_S, STORE, PRIO + 0x100);
  OK(PRIV_S, STORE, PRIO + 0x1000);
  OK(PRIV_U, STORE, PRIO + 0x3ff8);

  TEST(5);  // NA4: a 4-byte region; an 8-byte access that covers it only in part fails
  csr_write(pmpaddr5, NA4_WORD >> 2);
  set_cfg(5, NA4 | R);
  OK(PRIV_S, LOAD4, NA4_WORD);
  FAULT(PRIV_S, LOAD, NA4_WORD);
  FAULT(PRIV_S, LOAD4, NA4_WORD + 4);

  TEST(6);  // access faults delegated to S: scause/stval
  csr_write(stvec, s_trap_entry_address());
  csr_write(medeleg, (1u << CAUSE_FETCH_ACCESS) | (1u << CAUSE_LOAD_ACCESS) | (1u << CAUSE_STORE_ACCESS));
  fault_to = PRIV_S;
  FAULT(PRIV_U, STORE, RO_PAGE + 8);
  FAULT(PRIV_S, LOAD, UNCOVERED + 16);
  FAULT(PRIV_U, FETCH, RO_PAGE);
  fault_to = PRIV_M;
  csr_write(medeleg, 0);

  TEST(7);  // the page-table walk reads PTEs through PMP: a denied PTE is an access fault
  vm_init(3);
  vm_base_map();
  const uint64_t va = 0x100000000ull;
  vm_map(va, PRIO + 0x1000, 0, PTE_R | PTE_W | PTE_A | PTE_D);  // a page entry 4 allows
  const uint64_t table = (uint64_t)vm_pte(va, 0) & ~0xfffull;
  vm_on();
  OK(PRIV_S, LOAD, va + 8);
  csr_write(pmpaddr7, napot(table, 0x1000));
  set_cfg(7, NAPOT);  // no permission at all
  sfence_vma();
  FAULT(PRIV_S, LOAD, va + 8);
  FAULT(PRIV_S, STORE, va + 16);
  set_cfg(7, 0);
  sfence_vma();
  OK(PRIV_S, LOAD, va + 8);
  vm_off();

  TEST(8);  // locked NAPOT: binds M, and cannot be changed
  csr_write(pmpaddr6, napot(LOCKED, 0x1000));
  set_cfg(6, LOCK | NAPOT | R);
  OK(PRIV_M, LOAD, LOCKED + 8);
  FAULT(PRIV_M, STORE, LOCKED + 8);
  FAULT(PRIV_M, FETCH, LOCKED);
  FAULT(PRIV_S, STORE, LOCKED + 8);
  set_cfg(6, NAPOT | R | W | X);
  CHECK_EQ(get_cfg(6), LOCK | NAPOT | R);
  csr_write(pmpaddr6, 0);
  CHECK_EQ(csr_read(pmpaddr6), napot(LOCKED, 0x1000));
  FAULT(PRIV_M, STORE, LOCKED + 8);

  TEST(9);  // locked TOR: also freezes the pmpaddr below it
  csr_write(pmpaddr8, LOCKED_TOR_LOW >> 2);
  csr_write(pmpaddr9, LOCKED_TOR_HIGH >> 2);
  set_cfg(9, LOCK | TOR | R);
  FAULT(PRIV_M, STORE, LOCKED_TOR_LOW);
  OK(PRIV_M, LOAD, LOCKED_TOR_HIGH - 8);
  OK(PRIV_M, STORE, LOCKED_TOR_HIGH);
  csr_write(pmpaddr8, 0);
  CHECK_EQ(csr_read(pmpaddr8), LOCKED_TOR_LOW >> 2);
  csr_write(pmpaddr9, 0);
  CHECK_EQ(csr_read(pmpaddr9), LOCKED_TOR_HIGH >> 2);
  set_cfg(8, NAPOT | R | W);  // entry 8 itself is not locked: its cfg may change
  CHECK_EQ(get_cfg(8), NAPOT | R | W);
  set_cfg(8, 0);
  return 0;
}
