// The guest test runtime: reporting through HTIF, the default trap handlers, privilege
// switches and page tables (guest.h).
#include "guest.h"

#define MAGIC_RETURN 0x5e7c0deull

extern volatile uint64_t tohost, fromhost;
extern char s_stack_top[], u_stack_top[];
extern char lower_return[];
uint64_t run_in(uint64_t mpp, uint64_t pc, uint64_t arg, uint64_t sp, uint64_t ra);
__attribute__((noreturn)) void run_in_resume(uint64_t value);

volatile int test_number;
volatile struct trap_record trap;
void (*volatile m_irq_hook)(uint64_t cause);
void (*volatile s_irq_hook)(uint64_t cause);
uint64_t vm_u_offset;
static int alias_mapped;

void* memset(void* d, int c, unsigned long n) {
  unsigned char* p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}

void* memcpy(void* d, const void* s, unsigned long n) {
  unsigned char* p = d;
  const unsigned char* q = s;
  while (n--) *p++ = *q++;
  return d;
}

// --- HTIF ------------------------------------------------------------------------------------
static void htif_command(uint64_t value) {
  while (tohost) {
  }
  tohost = value;
}

static void putchar_(char c) {
  htif_command((1ull << 56) | (1ull << 48) | (unsigned char)c);
  while (tohost) {  // the host takes the character and clears tohost
  }
  fromhost = 0;
}

void print(const char* s) {
  while (*s) putchar_(*s++);
}

void print_hex(uint64_t v) {
  print("0x");
  for (int shift = 60; shift >= 0; shift -= 4) putchar_("0123456789abcdef"[(v >> shift) & 15]);
}

void print_dec(uint64_t v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) putchar_(buf[--n]);
}

void guest_exit(uint64_t code) {
  htif_command(code ? (code << 1) | 1 : 1);
  for (;;) {
  }
}

void check_failed(int line, const char* what, uint64_t a, uint64_t b) {
  print("test ");
  print_dec(test_number);
  print(": line ");
  print_dec(line);
  print(": check failed: ");
  print(what);
  if (a != b) {
    print(" (");
    print_hex(a);
    print(" vs ");
    print_hex(b);
    print(")");
  }
  print("\n");
  guest_exit(test_number ? test_number : 1000);
}

// --- Traps ----------------------------------------------------------------------------------
struct frame {
  uint64_t x[32];
};

static __attribute__((noreturn)) void unexpected(int to, uint64_t cause, uint64_t epc, uint64_t tval) {
  print(to == PRIV_M ? "unexpected trap to M: cause " : "unexpected trap to S: cause ");
  print_hex(cause);
  print(" epc ");
  print_hex(epc);
  print(" tval ");
  print_hex(tval);
  print("\n");
  guest_exit(test_number ? test_number : 1000);
}

// Where the handlers can read the instruction at a lower mode's pc: U code may run at the
// alias of RAM, everything else is identity-mapped.
static uint64_t code_address(uint64_t va) { return va < RAM_BASE ? va + U_ALIAS_OFFSET : va; }

// Records the trap and returns where to resume.
static uint64_t handle(int to, int from, uint64_t status, uint64_t cause, uint64_t epc, uint64_t tval,
                       struct frame* f) {
  trap.count++;
  trap.cause = cause;
  trap.epc = epc;
  trap.tval = tval;
  trap.status = status;
  trap.to = to;
  trap.from = from;
  if (cause & CAUSE_INTERRUPT) {
    void (*hook)(uint64_t) = to == PRIV_M ? m_irq_hook : s_irq_hook;
    if (!hook) unexpected(to, cause, epc, tval);
    hook(cause);
    return epc;
  }
  if (!trap.armed) unexpected(to, cause, epc, tval);
  if (trap.resume) return trap.resume;
  if (cause == 0 || cause == CAUSE_FETCH_ACCESS || cause == CAUSE_FETCH_PAGE) return f->x[1];
  const uint16_t low = *(volatile uint16_t*)code_address(epc);
  return epc + ((low & 3) == 3 ? 4 : 2);
}

void m_trap_handler(struct frame* f) {
  const uint64_t cause = csr_read(mcause), epc = csr_read(mepc), tval = csr_read(mtval);
  const uint64_t status = csr_read(mstatus);
  const int from = (int)((status >> 11) & 3);
  if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && f->x[17] == MAGIC_RETURN) run_in_resume(f->x[11]);
  csr_write(mepc, handle(PRIV_M, from, status, cause, epc, tval, f));
}

void s_trap_handler(struct frame* f) {
  const uint64_t cause = csr_read(scause), epc = csr_read(sepc), tval = csr_read(stval);
  const uint64_t status = csr_read(sstatus);
  if (cause == CAUSE_ECALL_U && f->x[17] == MAGIC_RETURN) {
    // Delegated: pass the lower mode's return on to M.
    register uint64_t a1 asm("a1") = f->x[11];
    register uint64_t a7 asm("a7") = MAGIC_RETURN;
    asm volatile("ecall" ::"r"(a1), "r"(a7));
  }
  csr_write(sepc, handle(PRIV_S, (status & MSTATUS_SPP) ? PRIV_S : PRIV_U, status, cause, epc, tval, f));
}

uint64_t run_s(uint64_t (*fn)(uint64_t), uint64_t arg) {
  return run_in(PRIV_S, (uint64_t)fn, arg, (uint64_t)s_stack_top, (uint64_t)lower_return);
}

uint64_t run_u(uint64_t (*fn)(uint64_t), uint64_t arg) {
  const uint64_t o = vm_u_offset;
  return run_in(PRIV_U, (uint64_t)fn - o, arg, (uint64_t)u_stack_top - o, (uint64_t)lower_return - o);
}

// --- Page tables ----------------------------------------------------------------------------
#define POOL_PAGES 48
static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static int pool_used;
static int vm_levels;
static uint64_t* root;

static uint64_t* new_table(void) {
  if (pool_used == POOL_PAGES) {
    print("page table pool exhausted\n");
    guest_exit(999);
  }
  uint64_t* t = pool[pool_used++];
  memset(t, 0, 4096);
  return t;
}

void vm_init(int levels) {
  pool_used = 0;
  vm_levels = levels;
  root = new_table();
  alias_mapped = 0;
}

static unsigned vpn(uint64_t va, int level) { return (unsigned)(va >> (12 + 9 * level)) & 511; }

volatile uint64_t* vm_map(uint64_t va, uint64_t pa, int level, uint64_t flags) {
  uint64_t* table = root;
  for (int l = vm_levels - 1; l > level; l--) {
    uint64_t* pte = &table[vpn(va, l)];
    if (!(*pte & PTE_V)) *pte = (((uint64_t)new_table() >> 12) << 10) | PTE_V;
    table = (uint64_t*)((*pte >> 10) << 12);
  }
  volatile uint64_t* leaf = &table[vpn(va, level)];
  *leaf = ((pa >> 12) << 10) | flags | PTE_V;
  return leaf;
}

volatile uint64_t* vm_pte(uint64_t va, int level) {
  uint64_t* table = root;
  for (int l = vm_levels - 1; l > level; l--) {
    uint64_t pte = table[vpn(va, l)];
    if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X))) return 0;
    table = (uint64_t*)((pte >> 10) << 12);
  }
  return &table[vpn(va, level)];
}

void vm_base_map(void) {
  const uint64_t kernel = PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
  vm_map(RAM_BASE, RAM_BASE, 2, kernel);
  vm_map(RAM_BASE - U_ALIAS_OFFSET, RAM_BASE, 2, kernel | PTE_U);
  alias_mapped = 1;
}

uint64_t vm_satp(void) { return (vm_levels == 4 ? SATP_SV48 : SATP_SV39) | ((uint64_t)root >> 12); }

void vm_on(void) {
  csr_write(satp, vm_satp());
  sfence_vma();
  vm_u_offset = alias_mapped ? U_ALIAS_OFFSET : 0;
}

void vm_off(void) {
  csr_write(satp, 0);
  sfence_vma();
  vm_u_offset = 0;
}
