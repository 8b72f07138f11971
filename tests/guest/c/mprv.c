// mstatus.MPRV: M-mode loads and stores translate and are checked as MPP's privilege would
// (with SUM and MXR), while M's own fetches stay physical; MPP = M means no translation;
// the faults are taken in M (never delegated, since they come from M) with the virtual
// address in mtval.
#include "guest.h"

#define T 0x100000000ull
#define PAGE(n) (T + (uint64_t)(n)*4096)
#define MPP_U (0ull << 11)
#define MPP_S (1ull << 11)
#define MPP_M (3ull << 11)

static uint8_t frames[4][4096] __attribute__((aligned(4096)));

// One 8-byte load (store) from M with MPRV, MPP, SUM and MXR as `bits` say, for just that
// instruction. Fetches of these very instructions happen with MPRV set (so they must stay
// physical). A trap on the access resumes after it with mstatus restored right away.
static __attribute__((noinline)) uint64_t mprv_load(uint64_t addr, uint64_t bits) {
  uint64_t value = 0, saved, tmp;
  const uint64_t clear = MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR;
  asm volatile(
      ".option push\n.option norvc\n"
      "csrr %[saved], mstatus\n"
      "and %[tmp], %[saved], %[keep]\n"
      "or %[tmp], %[tmp], %[bits]\n"
      "csrw mstatus, %[tmp]\n"
      "ld %[value], 0(%[addr])\n"
      "csrw mstatus, %[saved]\n"
      ".option pop\n"
      : [value] "+&r"(value), [saved] "=&r"(saved), [tmp] "=&r"(tmp)
      : [addr] "r"(addr), [bits] "r"(bits), [keep] "r"(~clear)
      : "memory");
  return value;
}

static __attribute__((noinline)) void mprv_store(uint64_t addr, uint64_t bits, uint64_t value) {
  uint64_t saved, tmp;
  const uint64_t clear = MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR;
  asm volatile(
      ".option push\n.option norvc\n"
      "csrr %[saved], mstatus\n"
      "and %[tmp], %[saved], %[keep]\n"
      "or %[tmp], %[tmp], %[bits]\n"
      "csrw mstatus, %[tmp]\n"
      "sd %[value], 0(%[addr])\n"
      "csrw mstatus, %[saved]\n"
      ".option pop\n"
      : [saved] "=&r"(saved), [tmp] "=&r"(tmp)
      : [addr] "r"(addr), [bits] "r"(bits), [keep] "r"(~clear), [value] "r"(value)
      : "memory");
}

static uint64_t word(int frame, int index) { return ((volatile uint64_t*)frames[frame])[index]; }

static void load_ok(int line, uint64_t addr, uint64_t bits, uint64_t expect) {
  trap_arm();
  const uint64_t v = mprv_load(addr, bits);
  trap_disarm();
  CHECK_EQ_AT(line, trap.count, 0);
  CHECK_EQ_AT(line, v, expect);
}
static void load_fault(int line, uint64_t addr, uint64_t bits, uint64_t cause) {
  trap_arm();
  mprv_load(addr, bits);
  trap_disarm();
  CHECK_EQ_AT(line, trap.count, 1);
  CHECK_EQ_AT(line, trap.cause, cause);
  CHECK_EQ_AT(line, trap.tval, addr);
  CHECK_EQ_AT(line, trap.to, PRIV_M);
  CHECK_EQ_AT(line, trap.from, PRIV_M);
}
static void store_fault(int line, uint64_t addr, uint64_t bits, uint64_t cause) {
  trap_arm();
  mprv_store(addr, bits, 0xdead);
  trap_disarm();
  CHECK_EQ_AT(line, trap.count, 1);
  CHECK_EQ_AT(line, trap.cause, cause);
  CHECK_EQ_AT(line, trap.tval, addr);
}
#define LOAD_OK(addr, bits, expect) load_ok(__LINE__, addr, bits, expect)
#define LOAD_FAULT(addr, bits, cause) load_fault(__LINE__, addr, bits, cause)
#define STORE_FAULT(addr, bits, cause) store_fault(__LINE__, addr, bits, cause)

int main(void) {
  for (int f = 0; f < 4; f++)
    for (int i = 0; i < 512; i++)
      ((volatile uint64_t*)frames[f])[i] = ((uint64_t)(f + 1) << 32) | (uint64_t)i;
  vm_init(3);
  vm_base_map();  // M's stack and code are identity-mapped for S, so MPP = S is harmless to them
  vm_map(PAGE(0), (uint64_t)frames[0], 0, PTE_R | PTE_W);  // S data
  volatile uint64_t* user = vm_map(PAGE(1), (uint64_t)frames[1], 0, PTE_R | PTE_W | PTE_U);
  vm_map(PAGE(2), (uint64_t)frames[2], 0, PTE_X | PTE_A);                  // S execute-only
  vm_map(PAGE(3), (uint64_t)frames[3], 0, PTE_R | PTE_X | PTE_U | PTE_A);  // U code, readable
  vm_on();

  TEST(1);  // MPRV clear: M is physical even with paging on
  LOAD_OK((uint64_t)frames[0] + 8, 0, word(0, 1));
  LOAD_FAULT(PAGE(0), 0, CAUSE_LOAD_ACCESS);  // nothing at that physical address

  TEST(2);  // MPRV with MPP = S: S's translation and permissions
  LOAD_OK(PAGE(0) + 16, MSTATUS_MPRV | MPP_S, word(0, 2));
  mprv_store(PAGE(0) + 24, MSTATUS_MPRV | MPP_S, 0x1234);
  CHECK_EQ(word(0, 3), 0x1234);
  LOAD_FAULT(PAGE(1), MSTATUS_MPRV | MPP_S, CAUSE_LOAD_PAGE);  // a U page without SUM
  STORE_FAULT(PAGE(1) + 8, MSTATUS_MPRV | MPP_S, CAUSE_STORE_PAGE);
  LOAD_OK(PAGE(1) + 8, MSTATUS_MPRV | MPP_S | MSTATUS_SUM, word(1, 1));
  LOAD_FAULT(PAGE(2), MSTATUS_MPRV | MPP_S, CAUSE_LOAD_PAGE);  // execute-only without MXR
  LOAD_OK(PAGE(2) + 32, MSTATUS_MPRV | MPP_S | MSTATUS_MXR, word(2, 4));
  LOAD_FAULT(PAGE(3) + 0x800, MSTATUS_MPRV | MPP_S | MSTATUS_MXR, CAUSE_LOAD_PAGE);  // U, no SUM

  TEST(3);  // MPRV with MPP = U: U's permissions (SUM means nothing to U)
  LOAD_OK(PAGE(1) + 40, MSTATUS_MPRV | MPP_U, word(1, 5));
  mprv_store(PAGE(1) + 48, MSTATUS_MPRV | MPP_U, 0x5678);
  CHECK_EQ(word(1, 6), 0x5678);
  CHECK_EQ(*user & (PTE_A | PTE_D), PTE_A | PTE_D);  // hardware A/D through MPRV too
  LOAD_FAULT(PAGE(0), MSTATUS_MPRV | MPP_U, CAUSE_LOAD_PAGE);
  LOAD_FAULT(PAGE(0), MSTATUS_MPRV | MPP_U | MSTATUS_SUM, CAUSE_LOAD_PAGE);
  STORE_FAULT(PAGE(0), MSTATUS_MPRV | MPP_U, CAUSE_STORE_PAGE);
  STORE_FAULT(PAGE(3), MSTATUS_MPRV | MPP_U, CAUSE_STORE_PAGE);  // U page without W
  LOAD_OK(PAGE(3) + 8, MSTATUS_MPRV | MPP_U, word(3, 1));

  TEST(4);  // MPP = M: MPRV changes nothing
  LOAD_OK((uint64_t)frames[2] + 8, MSTATUS_MPRV | MPP_M, word(2, 1));
  LOAD_FAULT(PAGE(0), MSTATUS_MPRV | MPP_M, CAUSE_LOAD_ACCESS);

  TEST(5);  // delegation does not apply to M's own accesses
  csr_write(stvec, s_trap_entry_address());
  csr_write(medeleg, (1u << CAUSE_LOAD_PAGE) | (1u << CAUSE_STORE_PAGE));
  LOAD_FAULT(PAGE(1), MSTATUS_MPRV | MPP_S, CAUSE_LOAD_PAGE);
  csr_write(medeleg, 0);

  TEST(6);  // satp Bare: MPRV with MPP = S is physical (PMP allows everything)
  vm_off();
  LOAD_OK((uint64_t)frames[3] + 16, MSTATUS_MPRV | MPP_S, word(3, 2));
  return 0;
}
