/* Memory: anonymous and file mappings, MAP_FIXED and NOREPLACE, munmap and mprotect seen
   as SIGSEGV with the right si_code, mremap, brk, madvise, self-modifying code with
   riscv_flush_icache, faults of loads in hot loops, execute-only pages. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

static sigjmp_buf jump;
static volatile void* fault_addr;
static volatile int fault_code;
static volatile uintptr_t fault_pc;

static void on_segv(int sig, siginfo_t* info, void* uc) {
  fault_addr = info->si_addr;
  fault_code = info->si_code;
  fault_pc = ((ucontext_t*)uc)->uc_mcontext.__gregs[0]; /* REG_PC */
  siglongjmp(jump, sig);
}

/* 0 if the access succeeded, else the signal. */
static int try_write(volatile char* p) {
  int sig = sigsetjmp(jump, 1);
  if (sig) return sig;
  *p = 1;
  return 0;
}
static int try_read(volatile char* p) {
  int sig = sigsetjmp(jump, 1);
  if (sig) return sig;
  (void)*p;
  return 0;
}

typedef int (*fn_t)(void);

/* A hot loop of loads (translated code that reads guest memory directly) that runs into a
   page the guest may not read: the fault names the first byte it could not read, at a pc
   inside the loop, and every load before it completed. */
static volatile long loads_done;
static long __attribute__((noinline)) sum_bytes(const volatile char* p, long n) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    sum += p[i];
    loads_done = i + 1;
  }
  return sum;
}

static int try_sum(const char* p, long n) {
  loads_done = 0;
  int sig = sigsetjmp(jump, 1);
  if (sig) return sig;
  sum_bytes(p, n);
  return 0;
}

static void hot_loads_fault(long page) {
  char* m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(m != MAP_FAILED);
  memset(m, 1, 2 * page);
  for (int round = 0; round < 50; round++) CHECK_EQ(sum_bytes(m, 2 * page), 2 * page);
  CHECK_EQ(mprotect(m + page, page, PROT_NONE), 0);
  CHECK_EQ(try_sum(m, 2 * page), SIGSEGV);
  CHECK(fault_addr == m + page);
  CHECK_EQ(fault_code, SEGV_ACCERR);
  CHECK_EQ(loads_done, page);
  CHECK(fault_pc - (uintptr_t)sum_bytes < 128);
  CHECK_EQ(munmap(m + page, page), 0);
  CHECK_EQ(try_sum(m + 7, 2 * page), SIGSEGV);
  CHECK(fault_addr == m + page);
  CHECK_EQ(fault_code, SEGV_MAPERR);
  CHECK_EQ(loads_done, page - 7);
  CHECK_EQ(try_sum(m, page), 0);
  /* Beyond every possible mapping (far above the guest's address space). */
  CHECK_EQ(try_sum((const char*)(1ul << 62), 1), SIGSEGV);
  CHECK(fault_addr == (void*)(1ul << 62));
  CHECK_EQ(loads_done, 0);
  CHECK_EQ(munmap(m, page), 0);
}

/* Execute-only pages: the engines read them to decode, the guest may not load from them. */
static void exec_only_loads_fault(long page) {
  char* x = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(x != MAP_FAILED);
  memset(x, 1, page);
  CHECK_EQ(try_sum(x, page), 0);
  CHECK_EQ(mprotect(x, page, PROT_EXEC), 0);
  CHECK_EQ(try_sum(x, page), SIGSEGV);
  CHECK(fault_addr == x);
  CHECK_EQ(fault_code, SEGV_ACCERR);
  CHECK_EQ(loads_done, 0);
  CHECK_EQ(mprotect(x, page, PROT_READ | PROT_EXEC), 0);
  CHECK_EQ(sum_bytes(x, page), page);
  CHECK_EQ(munmap(x, page), 0);
}

int main(void) {
  const long page = sysconf(_SC_PAGESIZE);
  CHECK_EQ(page, 4096);
  struct sigaction sa = {0};
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);

  char* a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(a != MAP_FAILED);
  CHECK((uintptr_t)a < (1ul << 38));
  CHECK_EQ(a[100], 0);
  memset(a, 7, 4 * page);
  CHECK_EQ(munmap(a + page, page), 0);
  CHECK_EQ(try_write(a + page + 5), SIGSEGV);
  CHECK(fault_addr == a + page + 5);
  CHECK_EQ(fault_code, SEGV_MAPERR);
  CHECK_EQ(try_write(a + 2 * page), 0);
  CHECK_EQ(mprotect(a, page, PROT_READ), 0);
  CHECK_EQ(try_read(a), 0);
  CHECK_EQ(try_write(a + 1), SIGSEGV);
  CHECK_EQ(fault_code, SEGV_ACCERR);
  CHECK_EQ(mprotect(a, page, PROT_NONE), 0);
  CHECK_EQ(try_read(a), SIGSEGV);
  CHECK_EQ(mprotect(a, page, PROT_READ | PROT_WRITE), 0);
  CHECK_EQ(a[0], 7);
  /* The kernel sees the same protections: read() into a read-only page fails with EFAULT. */
  CHECK_EQ(mprotect(a, page, PROT_READ), 0);
  int devzero = open("/dev/zero", O_RDONLY);
  CHECK_EQ(read(devzero, a, 16), -1);
  CHECK_EQ(errno, EFAULT);
  CHECK_EQ(read(devzero, a + page, 16), -1); /* unmapped */
  CHECK_EQ(errno, EFAULT);
  close(devzero);

  /* MAP_FIXED replaces; MAP_FIXED_NOREPLACE refuses */
  char* fixed = mmap(a + page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  CHECK(fixed == a + page);
  CHECK_EQ(fixed[0], 0);
  void* nr = mmap(a + 2 * page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  CHECK(nr == MAP_FAILED && errno == EEXIST);
  CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);

  /* mremap keeps contents when it moves */
  char* r = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(r, "moved data");
  char* blocker = mmap(r + page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  char* r2 = mremap(r, page, 8 * page, MREMAP_MAYMOVE);
  CHECK(r2 != MAP_FAILED);
  if (blocker != MAP_FAILED) CHECK(r2 != r);
  CHECK(strcmp(r2, "moved data") == 0);
  r2[8 * page - 1] = 1;
  CHECK(mremap(r2, 8 * page, 16 * page, 0) != MAP_FAILED || errno == ENOMEM);

  /* file mappings: MAP_SHARED writes reach the file, MAP_PRIVATE ones do not */
  char name[64];
  snprintf(name, sizeof name, "/tmp/strata-mm-%d", getpid());
  int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600);
  CHECK(fd >= 0);
  CHECK_EQ(ftruncate(fd, 2 * page), 0);
  CHECK_EQ(pwrite(fd, "filedata", 8, page), 8);
  char* sh = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK(sh != MAP_FAILED);
  CHECK(memcmp(sh + page, "filedata", 8) == 0);
  memcpy(sh, "shared!", 7);
  char back[8] = {0};
  CHECK_EQ(pread(fd, back, 7, 0), 7);
  CHECK(memcmp(back, "shared!", 7) == 0);
  CHECK_EQ(msync(sh, page, MS_SYNC), 0);
  char* pv = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, page);
  CHECK(pv != MAP_FAILED);
  CHECK(memcmp(pv, "filedata", 8) == 0);
  pv[0] = 'F';
  CHECK_EQ(pread(fd, back, 1, page), 1);
  CHECK_EQ(back[0], 'f');
  FILE* maps = fopen("/proc/self/maps", "r");
  char line[512];
  int named = 0;
  while (maps && fgets(line, sizeof line, maps))
    if (strstr(line, name) && strstr(line, "rw-s")) named = 1;
  if (maps) fclose(maps);
  CHECK(named);
  munmap(sh, 2 * page);
  munmap(pv, page);
  close(fd);
  unlink(name);

  /* brk */
  char* b0 = sbrk(0);
  CHECK(b0 != (char*)-1);
  CHECK(sbrk(3 * page) == b0);
  memset(b0, 1, 3 * page);
  CHECK(sbrk(0) == b0 + 3 * page);
  CHECK(sbrk(-2 * page) == b0 + 3 * page);
  CHECK_EQ(try_write(b0 + 2 * page), SIGSEGV);

  /* madvise(DONTNEED) on private anonymous memory gives zero pages back */
  char* m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  m[10] = 5;
  CHECK_EQ(madvise(m, page, MADV_DONTNEED), 0);
  CHECK_EQ(m[10], 0);

  /* self-modifying code: write a function, run it, rewrite it, flush, run again */
  uint32_t* code = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(code != MAP_FAILED);
  code[0] = 0x02a00513; /* li a0, 42 */
  code[1] = 0x00008067; /* ret */
  __builtin___clear_cache((char*)code, (char*)(code + 2));
  CHECK_EQ(((fn_t)code)(), 42);
  code[0] = 0x00700513; /* li a0, 7 */
  CHECK_EQ(syscall(259, code, code + 2, 0), 0); /* riscv_flush_icache */
  CHECK_EQ(((fn_t)code)(), 7);
  /* Unmapping code and mapping new code at the same address runs the new code. */
  CHECK_EQ(munmap(code, page), 0);
  uint32_t* again = mmap(code, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  CHECK(again == code);
  again[0] = 0x00900513; /* li a0, 9 */
  again[1] = 0x00008067;
  CHECK_EQ(((fn_t)again)(), 9);
  /* Code the kernel writes for the guest (read() from a pipe into the page) runs, as a JIT
     or a loader reading code would expect, after the usual icache flush. */
  int fds[2];
  CHECK_EQ(pipe(fds), 0);
  const uint32_t fresh[2] = {0x00b00513 /* li a0, 11 */, 0x00008067};
  CHECK_EQ(write(fds[1], fresh, sizeof fresh), (ssize_t)sizeof fresh);
  CHECK_EQ(read(fds[0], again, sizeof fresh), (ssize_t)sizeof fresh);
  __builtin___clear_cache((char*)again, (char*)(again + 2));
  CHECK_EQ(((fn_t)again)(), 11);
  close(fds[0]);
  close(fds[1]);
  /* Executing a non-executable page faults. */
  char* data = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(data, again, 8);
  int sig = sigsetjmp(jump, 1);
  if (!sig) ((fn_t)data)();
  CHECK_EQ(sig, SIGSEGV);
  CHECK(fault_addr == data);
  hot_loads_fault(page);
  exec_only_loads_fault(page); /* last: the first execute-only page changes how loads run */
  return report("mm");
}
