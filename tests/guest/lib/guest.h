// The small runtime of the bare-metal guest tests (`strata run --bare`): HTIF exit and
// console, checks that report `FAIL: test n`, trap handlers for M and S that record each
// trap and resume the test, running a function in S or U mode, and Sv39/Sv48 page tables.
//
// A test is `int main(void)`: return 0 to pass. TEST(n) names the part being checked; a
// failing CHECK prints the line and the values on the console and ends with test n.
#pragma once
#include <stdbool.h>
#include <stdint.h>

// --- CSRs -----------------------------------------------------------------------------------
#define csr_read(csr)                                    \
  ({                                                     \
    uint64_t v_;                                         \
    asm volatile("csrr %0, " #csr : "=r"(v_)::"memory"); \
    v_;                                                  \
  })
#define csr_write(csr, v) asm volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) asm volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) asm volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_swap(csr, v)                                                               \
  ({                                                                                   \
    uint64_t o_;                                                                       \
    asm volatile("csrrw %0, " #csr ", %1" : "=r"(o_) : "r"((uint64_t)(v)) : "memory"); \
    o_;                                                                                \
  })

#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)

#define PRIV_U 0
#define PRIV_S 1
#define PRIV_M 3

#define CAUSE_INTERRUPT (1ull << 63)
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11

#define MENVCFG_STCE (1ull << 63)
#define MENVCFG_ADUE (1ull << 61)

// The bare machine's devices (the virt board's addresses).
#define SYSCON_BASE 0x100000ull
#define CLINT_BASE 0x2000000ull
#define CLINT_MSIP (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME (CLINT_BASE + 0xbff8)
#define RAM_BASE 0x80000000ull

static inline uint64_t mmio_read64(uint64_t a) { return *(volatile uint64_t*)a; }
static inline void mmio_write64(uint64_t a, uint64_t v) { *(volatile uint64_t*)a = v; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t*)a = v; }

// --- Reporting ------------------------------------------------------------------------------
extern volatile int test_number;
#define TEST(n) (test_number = (n))
void print(const char* s);
void print_hex(uint64_t v);
void print_dec(uint64_t v);
__attribute__((noreturn)) void guest_exit(uint64_t code);  // 0: pass, else FAIL: test code
__attribute__((noreturn)) void check_failed(int line, const char* what, uint64_t a, uint64_t b);
#define CHECK(cond)                                   \
  do {                                                \
    if (!(cond)) check_failed(__LINE__, #cond, 0, 0); \
  } while (0)
#define CHECK_EQ(a, b)                                          \
  do {                                                          \
    uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);            \
    if (a_ != b_) check_failed(__LINE__, #a " == " #b, a_, b_); \
  } while (0)
// The same, reporting the caller's line (for helpers that take __LINE__).
#define CHECK_EQ_AT(line, a, b)                               \
  do {                                                        \
    uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);          \
    if (a_ != b_) check_failed((line), #a " == " #b, a_, b_); \
  } while (0)

// --- Traps ----------------------------------------------------------------------------------
// What the last trap taken by the default handlers was. Exceptions are expected only while
// `armed`; an exception that nobody armed for ends the test. An expected exception resumes
// after the trapping instruction, or at the caller (ra) for a fetch fault, or at `resume`
// when set.
struct trap_record {
  uint64_t count;  // traps since trap_arm()
  uint64_t cause, tval, epc;
  uint64_t status;  // mstatus (trap to M) or sstatus (trap to S) seen by the handler
  int to;           // PRIV_M or PRIV_S
  int from;         // the privilege the trap came from (MPP / SPP)
  int armed;
  uint64_t resume;
};
extern volatile struct trap_record trap;
static inline void trap_arm(void) {
  trap.count = 0;
  trap.cause = trap.tval = trap.epc = ~0ull;
  trap.resume = 0;
  trap.armed = 1;
}
static inline void trap_disarm(void) { trap.armed = 0; }
// Checks that exactly one trap happened since trap_arm(), to `to`, with this cause and tval.
#define CHECK_TRAP(to_, cause_, tval_) \
  do {                                 \
    trap_disarm();                     \
    CHECK_EQ(trap.count, 1);           \
    CHECK_EQ(trap.to, (to_));          \
    CHECK_EQ(trap.cause, (cause_));    \
    CHECK_EQ(trap.tval, (tval_));      \
  } while (0)
#define CHECK_NO_TRAP()      \
  do {                       \
    trap_disarm();           \
    CHECK_EQ(trap.count, 0); \
  } while (0)

// Interrupt handlers a test installs; each must clear the source. Without one, an interrupt
// ends the test.
extern void (*volatile m_irq_hook)(uint64_t cause);
extern void (*volatile s_irq_hook)(uint64_t cause);

// The default S-mode trap entry (for stvec; its direct mode). Tests that delegate write it.
extern char s_trap_entry[];
static inline uint64_t s_trap_entry_address(void) { return (uint64_t)s_trap_entry; }

// Runs fn(arg) in S or U mode from M mode (with mstatus.MPRV clear) and returns its result.
// The lower mode gets its own stack; it returns through an ecall the handlers recognise (so
// a test must not delegate ecalls from S to S while using this). U code runs at the
// U-accessible alias of RAM when paging is on (see vm_base_map).
uint64_t run_s(uint64_t (*fn)(uint64_t), uint64_t arg);
uint64_t run_u(uint64_t (*fn)(uint64_t), uint64_t arg);

// Accesses that may trap: each is one 4-byte instruction at a known place, so the handlers
// can step over it. They return the value read (or 0 when the load trapped).
uint64_t probe_ld(uint64_t addr);
uint32_t probe_lw(uint64_t addr);
void probe_sd(uint64_t addr, uint64_t value);
uint64_t probe_amoadd(uint64_t addr, uint64_t value);
// Calls the code at addr (which should return); a fetch fault returns to the caller.
void probe_call(uint64_t addr);

// --- Page tables ----------------------------------------------------------------------------
#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define SATP_SV39 (8ull << 60)
#define SATP_SV48 (9ull << 60)
#define U_ALIAS_OFFSET 0x40000000ull  // U code runs at VA (PA - this) while paging is on

// Starts new, empty page tables of `levels` (3: Sv39, 4: Sv48) from a fresh pool.
void vm_init(int levels);
// Maps the page of `level` (0: 4 KiB, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB) at va to pa with
// these PTE bits (V is added), creating intermediate tables; returns the PTE.
volatile uint64_t* vm_map(uint64_t va, uint64_t pa, int level, uint64_t flags);
// The PTE that maps va at `level`, or 0 when the walk does not reach that level.
volatile uint64_t* vm_pte(uint64_t va, int level);
// RAM identity-mapped for S (RWX, A and D set, no U) and aliased at RAM - U_ALIAS_OFFSET
// for U (RWXU), both as 1 GiB pages.
void vm_base_map(void);
uint64_t vm_satp(void);
// satp := vm_satp(), then sfence.vma. vm_off() sets satp to Bare.
void vm_on(void);
void vm_off(void);
static inline void sfence_vma(void) { asm volatile("sfence.vma" ::: "memory"); }
extern uint64_t vm_u_offset;  // U_ALIAS_OFFSET while vm_base_map's tables are on, else 0

void* memset(void* d, int c, unsigned long n);
void* memcpy(void* d, const void* s, unsigned long n);
