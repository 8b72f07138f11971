// Hardware A/D updates (Svadu, menvcfg.ADUE = 1): a load or fetch sets A, a store or AMO
// sets A and D, on 4 KiB pages and superpages alike; a store after a load through the same
// (now cached) translation still sets D; an access that faults changes nothing; non-leaf
// PTEs are never touched; after software clears A and runs sfence.vma, A is set again.
#include "guest.h"

#define T 0x100000000ull
#define PAGE(n) (T + (uint64_t)(n)*4096)
#define MEGA 0x140000000ull
#define SUPER_PA 0x80400000ull
#define RET 0x00008067u

static uint8_t frames[8][4096] __attribute__((aligned(4096)));
extern char _end[];

enum { LOAD, STORE, FETCH, AMO };
static volatile int probe_kind;
static volatile uint64_t probe_addr;

static uint64_t do_probe(uint64_t unused) {
  const int kind = probe_kind;
  if (kind == LOAD)
    probe_ld(probe_addr);
  else if (kind == STORE)
    probe_sd(probe_addr, 1);
  else if (kind == FETCH)
    probe_call(probe_addr);
  else
    probe_amoadd(probe_addr, 1);
  return 0;
}

// One access from S; returns the number of traps it took.
static uint64_t s_access(int kind, uint64_t addr) {
  probe_kind = kind;
  probe_addr = addr;
  trap_arm();
  run_s(do_probe, 0);
  trap_disarm();
  return trap.count;
}

static uint64_t ad(volatile uint64_t* pte) { return *pte & (PTE_A | PTE_D); }

int main(void) {
  TEST(1);  // Svadu is on
  CHECK((uint64_t)_end <= SUPER_PA);
  CHECK(csr_read(menvcfg) & MENVCFG_ADUE);
  ((volatile uint32_t*)frames[2])[0] = RET;
  asm volatile("fence.i" ::: "memory");
  vm_init(3);
  vm_base_map();
  volatile uint64_t* p0 = vm_map(PAGE(0), (uint64_t)frames[0], 0, PTE_R | PTE_W);
  volatile uint64_t* p1 = vm_map(PAGE(1), (uint64_t)frames[1], 0, PTE_R | PTE_W);
  volatile uint64_t* p2 = vm_map(PAGE(2), (uint64_t)frames[2], 0, PTE_R | PTE_X);
  volatile uint64_t* p3 = vm_map(PAGE(3), (uint64_t)frames[3], 0, PTE_R);
  volatile uint64_t* p4 = vm_map(PAGE(4), (uint64_t)frames[4], 0, PTE_X);
  volatile uint64_t* p5 = vm_map(PAGE(5), (uint64_t)frames[5], 0, PTE_R | PTE_W);
  volatile uint64_t* mega = vm_map(MEGA, SUPER_PA, 1, PTE_R | PTE_W);
  volatile uint64_t* mid = vm_pte(PAGE(0), 1);  // the pointer to the 4 KiB level
  const uint64_t mid_before = *mid;
  vm_on();

  TEST(2);  // a load sets A only
  CHECK_EQ(s_access(LOAD, PAGE(0) + 8), 0);
  CHECK_EQ(ad(p0), PTE_A);

  TEST(3);  // a store through the cached translation of that load still sets D
  CHECK_EQ(s_access(STORE, PAGE(0) + 8), 0);
  CHECK_EQ(ad(p0), PTE_A | PTE_D);

  TEST(4);  // a store on a fresh page sets both; an AMO too
  CHECK_EQ(s_access(STORE, PAGE(1)), 0);
  CHECK_EQ(ad(p1), PTE_A | PTE_D);
  CHECK_EQ(s_access(AMO, PAGE(5)), 0);
  CHECK_EQ(ad(p5), PTE_A | PTE_D);

  TEST(5);  // a fetch sets A only
  CHECK_EQ(s_access(FETCH, PAGE(2)), 0);
  CHECK_EQ(ad(p2), PTE_A);

  TEST(6);                                // faulting accesses change nothing
  CHECK_EQ(s_access(STORE, PAGE(3)), 1);  // read-only page
  CHECK_EQ(trap.cause, CAUSE_STORE_PAGE);
  CHECK_EQ(ad(p3), 0);
  CHECK_EQ(s_access(LOAD, PAGE(4)), 1);  // execute-only page
  CHECK_EQ(trap.cause, CAUSE_LOAD_PAGE);
  CHECK_EQ(ad(p4), 0);
  CHECK_EQ(s_access(FETCH, PAGE(3)), 1);
  CHECK_EQ(ad(p3), 0);

  TEST(7);  // superpages: the leaf at level 1 gets A, then D
  CHECK_EQ(s_access(LOAD, MEGA + 0x123450), 0);
  CHECK_EQ(ad(mega), PTE_A);
  CHECK_EQ(s_access(STORE, MEGA + 0x1ff008), 0);
  CHECK_EQ(ad(mega), PTE_A | PTE_D);

  TEST(8);  // non-leaf PTEs stay as software wrote them
  CHECK_EQ(*mid, mid_before);

  TEST(9);  // cleared by software, set again by the next access after sfence.vma
  *p0 &= ~(PTE_A | PTE_D);
  sfence_vma();
  CHECK_EQ(s_access(LOAD, PAGE(0)), 0);
  CHECK_EQ(ad(p0), PTE_A);
  CHECK_EQ(s_access(STORE, PAGE(0)), 0);
  CHECK_EQ(ad(p0), PTE_A | PTE_D);

  vm_off();
  return 0;
}
