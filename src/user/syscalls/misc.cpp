// uname, sysinfo, getrandom, riscv_hwprobe, riscv_flush_icache and the calls Strata refuses
// on purpose (ones that would apply guest state to the host process itself).
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include <cstring>

#include "user/hwprobe.h"
#include "user/syscalls/syscalls.h"

namespace strata::user {
namespace {

int64_t sys_uname(GuestThread& t, const uint64_t* a) {
  struct utsname u;
  if (uname(&u) != 0) return -errno;
  std::memset(u.machine, 0, sizeof u.machine);
  std::strcpy(u.machine, "riscv64");
  return write_guest(t, a[0], u) ? 0 : -EFAULT;
}

int64_t sys_sysinfo(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(info, a[0], sizeof(struct sysinfo));
  return host(SYS_sysinfo, info);
}

int64_t sys_getrandom(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[0], a[1]);
  return host(SYS_getrandom, buf, a[1], unsigned(a[2]));
}

int64_t sys_hostname(GuestThread& t, const uint64_t* a, long number) {
  GUEST_PTR(name, a[0], a[1]);
  return host(number, name, a[1]);
}

int64_t sys_syslog(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], uint64_t(std::max<int64_t>(0, int32_t(a[2]))));
  return host(SYS_syslog, int(a[0]), buf, int(a[2]));
}

int64_t sys_riscv_hwprobe(GuestThread& t, const uint64_t* a) {
  const uint64_t count = a[1], cpusetsize = a[2];
  if (count > (1u << 16) || cpusetsize > 4096) return -EINVAL;
  std::vector<HwprobePair> pairs(count);
  if (count && !t.proc.mem.read(a[0], pairs.data(), count * sizeof(HwprobePair))) return -EFAULT;
  std::vector<uint8_t> cpus(cpusetsize);
  if (cpusetsize && !t.proc.mem.read(a[3], cpus.data(), cpusetsize)) return -EFAULT;
  const int r = riscv_hwprobe(pairs, cpus, a[4]);
  if (r < 0) return r;
  if (count && !t.proc.mem.write(a[0], pairs.data(), count * sizeof(HwprobePair))) return -EFAULT;
  if (cpusetsize && !t.proc.mem.write(a[3], cpus.data(), cpusetsize)) return -EFAULT;
  return 0;
}

int64_t sys_riscv_flush_icache(GuestThread& t, const uint64_t* a) {
  if (a[2] & ~1ull) return -EINVAL;  // SYS_RISCV_FLUSH_ICACHE_LOCAL is the only flag
  t.proc.sync_code_everywhere(t);
  return 0;
}

int64_t sys_refused(GuestThread&, const uint64_t*) { return -ENOSYS; }

}  // namespace

void register_misc_syscalls(SyscallTable& t) {
  t[116] = {"syslog", sys_syslog, "dpd"};
  t[160] = {"uname", sys_uname, "p"};
  t[161] = {"sethostname",
            [](GuestThread& th, const uint64_t* a) { return sys_hostname(th, a, SYS_sethostname); }, "iu"};
  t[162] = {"setdomainname",
            [](GuestThread& th, const uint64_t* a) { return sys_hostname(th, a, SYS_setdomainname); }, "iu"};
  t[179] = {"sysinfo", sys_sysinfo, "p"};
  t[258] = {"riscv_hwprobe", sys_riscv_hwprobe, "puupx"};
  t[259] = {"riscv_flush_icache", sys_riscv_flush_icache, "ppx"};
  t[277] = {"seccomp", sys_refused, "xxp"};  // a filter would apply to Strata itself
  t[278] = {"getrandom", sys_getrandom, "pux"};
  t[424] = {"pidfd_send_signal",
            [](GuestThread& th, const uint64_t* a) -> int64_t {
              GuestThread& t = th;
              GUEST_PTR(info, a[2], sizeof(siginfo_t));
              return host(SYS_pidfd_send_signal, int(a[0]), int(a[1]), info, unsigned(a[3]));
            },
            "dSpx"};
  t[434] = {"pidfd_open",
            [](GuestThread&, const uint64_t* a) { return host(SYS_pidfd_open, int(a[0]), unsigned(a[1])); },
            "dx"};
  t[438] = {"pidfd_getfd",
            [](GuestThread&, const uint64_t* a) {
              return host(SYS_pidfd_getfd, int(a[0]), int(a[1]), unsigned(a[2]));
            },
            "ddx"};
}

}  // namespace strata::user
