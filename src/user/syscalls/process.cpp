// Processes and threads: exit, clone, execve, wait, ids, limits, futex, scheduling.
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <cstring>

#include <fmt/format.h>
#include <vector>

#include "user/elf_loader.h"
#include "user/syscalls/syscalls.h"
#include "user/threads.h"

extern char** environ;

namespace strata::user {
namespace {

int64_t sys_exit(GuestThread& t, const uint64_t* a) {
  t.exiting = true;
  t.exit_status = int(a[0] & 0xff);
  return kNoResult;
}

int64_t sys_exit_group(GuestThread& t, const uint64_t* a) {
  if (t.proc.options.strace) {
    const std::string line = fmt::format("+++ exited with {} +++\n", a[0] & 0xff);
    [[maybe_unused]] ssize_t n = write(2, line.data(), line.size());
  }
  t.proc.print_jit_stats(t);
  syscall(SYS_exit_group, int(a[0] & 0xff));
  __builtin_unreachable();
}

int64_t sys_clone(GuestThread& t, const uint64_t* a) { return guest_clone(t, a[0], a[1], a[2], a[3], a[4]); }

int64_t sys_set_tid_address(GuestThread& t, const uint64_t* a) {
  t.clear_child_tid = a[0];
  return t.tid;
}

// The kernel would walk the list at thread exit through guest pointers: keep it to ourselves.
int64_t sys_set_robust_list(GuestThread& t, const uint64_t* a) {
  if (a[1] != 24) return -EINVAL;
  t.robust_list = a[0];
  t.robust_list_len = a[1];
  return 0;
}
int64_t sys_get_robust_list(GuestThread& t, const uint64_t* a) {
  if (a[0] != 0 && int(a[0]) != t.tid) return -EPERM;
  if (!write_guest(t, a[1], t.robust_list) || !write_guest(t, a[2], t.robust_list_len)) return -EFAULT;
  return 0;
}

int64_t sys_futex(GuestThread& t, const uint64_t* a) {
  const int op = int(a[1]);
  const int cmd = op & FUTEX_CMD_MASK;
  GUEST_PTR(uaddr, a[0], 4);
  void* uaddr2 = nullptr;
  void* timeout = nullptr;
  uint64_t val2 = a[3];
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
      if (!to_host(t, a[3], 16, timeout)) return -EFAULT;
      return host_blocking(t, SYS_futex, uaddr, op, uint32_t(a[2]), timeout, nullptr, uint32_t(a[5]));
    case FUTEX_WAIT_REQUEUE_PI:
      if (!to_host(t, a[3], 16, timeout) || !to_host(t, a[4], 4, uaddr2)) return -EFAULT;
      return host_blocking(t, SYS_futex, uaddr, op, uint32_t(a[2]), timeout, uaddr2, uint32_t(a[5]));
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI:
      return host(SYS_futex, uaddr, op, uint32_t(a[2]), nullptr, nullptr, uint32_t(a[5]));
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_WAKE_OP:
    case FUTEX_CMP_REQUEUE_PI:
      if (!to_host(t, a[4], 4, uaddr2)) return -EFAULT;
      return host(SYS_futex, uaddr, op, uint32_t(a[2]), val2, uaddr2, uint32_t(a[5]));
    default:
      return -ENOSYS;
  }
}

// Reads a NULL-terminated array of guest strings (argv, envp).
int read_string_array(GuestThread& t, uint64_t va, std::vector<std::string>& out) {
  out.clear();
  if (va == 0) return 0;
  uint64_t total = 0;
  for (unsigned i = 0;; ++i) {
    if (i > 1 << 20) return -E2BIG;
    uint64_t p;
    if (!read_guest(t, va + 8ull * i, p)) return -EFAULT;
    if (p == 0) return 0;
    std::string s;
    if (!t.proc.mem.read_string(p, s, 1 << 20)) return -EFAULT;
    total += s.size() + 1;
    if (total > (64u << 20)) return -E2BIG;
    out.push_back(std::move(s));
  }
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// The interpreter line of a #! script: interpreter and optional single argument.
bool script_interpreter(const std::string& path, std::string& interp, std::string& arg) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[256];
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  close(fd);
  if (n < 3) return false;
  std::string line(buf + 2, size_t(n - 2));
  line = line.substr(0, line.find('\n'));
  const size_t b = line.find_first_not_of(" \t");
  if (b == std::string::npos) return false;
  line = line.substr(b);
  const size_t e = line.find_first_of(" \t");
  interp = line.substr(0, e);
  arg.clear();
  if (e != std::string::npos) {
    arg = line.substr(e);
    const size_t ab = arg.find_first_not_of(" \t"), ae = arg.find_last_not_of(" \t");
    arg = ab == std::string::npos ? std::string() : arg.substr(ab, ae - ab + 1);
  }
  return true;
}

int64_t exec_under_strata(GuestThread& t, const std::string& program, std::vector<std::string> argv,
                          std::vector<std::string> envp) {
  const UserOptions& o = t.proc.options;
  std::vector<std::string> args = {t.proc.strata_path, "user"};
  if (!o.sysroot.empty()) args.insert(args.end(), {"-L", o.sysroot});
  if (o.strace) args.push_back("--strace");
  args.insert(args.end(), {"-0", argv.empty() ? program : argv[0]});
  // The dynamic-loader variables are the guest's: keep them away from Strata's own loader.
  std::vector<std::string> host_env;
  for (auto& e : envp) {
    if (e.rfind("LD_", 0) == 0)
      args.insert(args.end(), {"-E", e});
    else
      host_env.push_back(e);
  }
  // `strata user` takes the first non-option word as the program (no "--" separator).
  args.push_back(program[0] == '-' ? "./" + program : program);
  for (size_t i = 1; i < argv.size(); ++i) args.push_back(argv[i]);
  auto cargs = c_strings(args);
  auto cenv = c_strings(host_env);
  return host(SYS_execve, t.proc.strata_path.c_str(), cargs.data(), cenv.data());
}

int64_t do_execve(GuestThread& t, const std::string& path, std::vector<std::string> argv,
                  std::vector<std::string> envp) {
  const std::string hp = host_path(t, path);
  struct stat st;
  if (stat(hp.c_str(), &st) != 0) return -errno;
  if (!S_ISREG(st.st_mode)) return -EACCES;
  if (access(hp.c_str(), X_OK) != 0) return -errno;
  switch (classify_file(hp)) {
    case FileKind::Riscv64Elf:
      return exec_under_strata(t, hp, std::move(argv), std::move(envp));
    case FileKind::Script: {
      std::string interp, arg;
      if (!script_interpreter(hp, interp, arg)) return -ENOEXEC;
      const std::string host_interp = host_path(t, interp);
      if (classify_file(host_interp) == FileKind::Riscv64Elf) {
        std::vector<std::string> new_argv = {interp};
        if (!arg.empty()) new_argv.push_back(arg);
        new_argv.push_back(path);
        for (size_t i = 1; i < argv.size(); ++i) new_argv.push_back(argv[i]);
        return exec_under_strata(t, host_interp, std::move(new_argv), std::move(envp));
      }
      break;  // a host interpreter: the host kernel runs the script
    }
    case FileKind::OtherElf:
      break;
    case FileKind::Unknown:
      return -ENOEXEC;
  }
  auto cargs = c_strings(argv);
  auto cenv = c_strings(envp);
  return host(SYS_execve, hp.c_str(), cargs.data(), cenv.data());
}

int64_t sys_execve(GuestThread& t, const uint64_t* a) {
  std::string path;
  if (int e = read_path(t, a[0], path)) return e;
  std::vector<std::string> argv, envp;
  if (int e = read_string_array(t, a[1], argv)) return e;
  if (int e = read_string_array(t, a[2], envp)) return e;
  return do_execve(t, path, std::move(argv), std::move(envp));
}

int64_t sys_execveat(GuestThread& t, const uint64_t* a) {
  std::string path;
  if (int e = read_path(t, a[1], path)) return e;
  if (int(a[0]) != AT_FDCWD && (path.empty() || path[0] != '/')) {
    path = (path.empty() ? "/proc/self/fd/" + std::to_string(int(a[0]))
                         : "/proc/self/fd/" + std::to_string(int(a[0])) + "/" + path);
  }
  std::vector<std::string> argv, envp;
  if (int e = read_string_array(t, a[2], argv)) return e;
  if (int e = read_string_array(t, a[3], envp)) return e;
  return do_execve(t, path, std::move(argv), std::move(envp));
}

int64_t sys_wait4(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(status, a[1], 4);
  GUEST_PTR(usage, a[3], sizeof(struct rusage));
  return host_blocking(t, SYS_wait4, int(a[0]), status, int(a[2]), usage);
}

int64_t sys_waitid(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(info, a[2], sizeof(siginfo_t));
  GUEST_PTR(usage, a[4], sizeof(struct rusage));
  return host_blocking(t, SYS_waitid, int(a[0]), int(a[1]), info, int(a[3]), usage);
}

template <long Number>
int64_t sys_ints(GuestThread& t, const uint64_t* a) {
  return host(Number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int64_t sys_gettid(GuestThread& t, const uint64_t*) { return t.tid; }

// Limits that would shrink Strata's own reservation are kept for the guest only.
bool guest_only_limit(int resource) { return resource == RLIMIT_AS || resource == RLIMIT_DATA; }

int64_t sys_prlimit64(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(new_limit, a[2], 16);
  GUEST_PTR(old_limit, a[3], 16);
  const int resource = int(a[1]);
  if (guest_only_limit(resource) && (a[0] == 0 || int(a[0]) == getpid())) new_limit = nullptr;
  return host(SYS_prlimit64, int(a[0]), resource, new_limit, old_limit);
}
int64_t sys_getrlimit(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(limit, a[1], 16);
  return host(SYS_getrlimit, int(a[0]), limit);
}
int64_t sys_setrlimit(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(limit, a[1], 16);
  if (guest_only_limit(int(a[0]))) return 0;
  return host(SYS_setrlimit, int(a[0]), limit);
}

int64_t sys_getrusage(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(usage, a[1], sizeof(struct rusage));
  return host(SYS_getrusage, int(a[0]), usage);
}

int64_t sys_getgroups(GuestThread& t, const uint64_t* a) {
  if (int(a[0]) < 0) return -EINVAL;
  GUEST_PTR(list, a[1], 4 * a[0]);
  return host(SYS_getgroups, int(a[0]), list);
}
int64_t sys_setgroups(GuestThread& t, const uint64_t* a) {
  if (a[0] > 65536) return -EINVAL;
  GUEST_PTR(list, a[1], 4 * a[0]);
  return host(SYS_setgroups, int(a[0]), list);
}

template <long Number>
int64_t sys_three_ids(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(r, a[0], 4);
  GUEST_PTR(e, a[1], 4);
  GUEST_PTR(s, a[2], 4);
  return host(Number, r, e, s);
}

int64_t sys_prctl(GuestThread& t, const uint64_t* a) {
  const int option = int(a[0]);
  switch (option) {
    case PR_SET_NAME:
    case PR_GET_NAME: {
      GUEST_PTR(name, a[1], 16);
      return host(SYS_prctl, option, name, 0, 0, 0);
    }
    case PR_GET_PDEATHSIG:
    case PR_GET_CHILD_SUBREAPER: {
      GUEST_PTR(out, a[1], 4);
      return host(SYS_prctl, option, out, 0, 0, 0);
    }
    case PR_SET_PDEATHSIG:
    case PR_GET_DUMPABLE:
    case PR_SET_DUMPABLE:
    case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS:
    case PR_SET_CHILD_SUBREAPER:
    case PR_SET_TIMERSLACK:
    case PR_GET_TIMERSLACK:
    case PR_CAPBSET_READ:
    case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS:
    case PR_GET_SECUREBITS:
      return host(SYS_prctl, option, a[1], a[2], a[3], a[4]);
    default:
      return -EINVAL;
  }
}

int64_t sys_sched_affinity_get(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(mask, a[2], a[1]);
  return host(SYS_sched_getaffinity, int(a[0]), a[1], mask);
}
int64_t sys_sched_affinity_set(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(mask, a[2], a[1]);
  return host(SYS_sched_setaffinity, int(a[0]), a[1], mask);
}
template <long Number>
int64_t sys_int_ptr(GuestThread& t, const uint64_t* a) {  // (int, struct sched_param*) and similar
  GUEST_PTR(p, a[1], 16);
  return host(Number, a[0], p);
}
int64_t sys_sched_setscheduler(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(p, a[2], 4);
  return host(SYS_sched_setscheduler, int(a[0]), int(a[1]), p);
}
int64_t sys_getcpu(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(cpu, a[0], 4);
  GUEST_PTR(node, a[1], 4);
  return host(SYS_getcpu, cpu, node, nullptr);
}
int64_t sys_capget(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(hdr, a[0], 8);
  GUEST_PTR(data, a[1], 24);
  return host(SYS_capget, hdr, data);
}
int64_t sys_capset(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(hdr, a[0], 8);
  GUEST_PTR(data, a[1], 24);
  return host(SYS_capset, hdr, data);
}
int64_t sys_enosys(GuestThread&, const uint64_t*) { return -ENOSYS; }

}  // namespace

void register_process_syscalls(SyscallTable& t) {
  t[93] = {"exit", sys_exit, "d"};
  t[93].trace_before = true;
  t[94] = {"exit_group", sys_exit_group, "d"};
  t[94].trace_before = true;
  t[95] = {"waitid", sys_waitid, "ddpxp"};
  t[96] = {"set_tid_address", sys_set_tid_address, "p"};
  t[97] = {"unshare", sys_ints<SYS_unshare>, "x"};
  t[98] = {"futex", sys_futex, "pxdppd"};
  t[98].no_restart = true;
  t[99] = {"set_robust_list", sys_set_robust_list, "pu"};
  t[100] = {"get_robust_list", sys_get_robust_list, "dpp"};
  t[118] = {"sched_setparam", sys_int_ptr<SYS_sched_setparam>, "dp"};
  t[119] = {"sched_setscheduler", sys_sched_setscheduler, "ddp"};
  t[120] = {"sched_getscheduler", sys_ints<SYS_sched_getscheduler>, "d"};
  t[121] = {"sched_getparam", sys_int_ptr<SYS_sched_getparam>, "dp"};
  t[122] = {"sched_setaffinity", sys_sched_affinity_set, "dup"};
  t[123] = {"sched_getaffinity", sys_sched_affinity_get, "dup"};
  t[124] = {"sched_yield", sys_ints<SYS_sched_yield>, ""};
  t[125] = {"sched_get_priority_max", sys_ints<SYS_sched_get_priority_max>, "d"};
  t[126] = {"sched_get_priority_min", sys_ints<SYS_sched_get_priority_min>, "d"};
  t[127] = {"sched_rr_get_interval", sys_int_ptr<SYS_sched_rr_get_interval>, "dp"};
  t[140] = {"setpriority", sys_ints<SYS_setpriority>, "ddd"};
  t[141] = {"getpriority", sys_ints<SYS_getpriority>, "dd"};
  t[143] = {"setregid", sys_ints<SYS_setregid>, "dd"};
  t[144] = {"setgid", sys_ints<SYS_setgid>, "d"};
  t[145] = {"setreuid", sys_ints<SYS_setreuid>, "dd"};
  t[146] = {"setuid", sys_ints<SYS_setuid>, "d"};
  t[147] = {"setresuid", sys_ints<SYS_setresuid>, "ddd"};
  t[148] = {"getresuid", sys_three_ids<SYS_getresuid>, "ppp"};
  t[149] = {"setresgid", sys_ints<SYS_setresgid>, "ddd"};
  t[150] = {"getresgid", sys_three_ids<SYS_getresgid>, "ppp"};
  t[151] = {"setfsuid", sys_ints<SYS_setfsuid>, "d"};
  t[152] = {"setfsgid", sys_ints<SYS_setfsgid>, "d"};
  t[154] = {"setpgid", sys_ints<SYS_setpgid>, "dd"};
  t[155] = {"getpgid", sys_ints<SYS_getpgid>, "d"};
  t[156] = {"getsid", sys_ints<SYS_getsid>, "d"};
  t[157] = {"setsid", sys_ints<SYS_setsid>, ""};
  t[158] = {"getgroups", sys_getgroups, "dp"};
  t[159] = {"setgroups", sys_setgroups, "dp"};
  t[163] = {"getrlimit", sys_getrlimit, "dp"};
  t[164] = {"setrlimit", sys_setrlimit, "dp"};
  t[165] = {"getrusage", sys_getrusage, "dp"};
  t[167] = {"prctl", sys_prctl, "dxxxx"};
  t[168] = {"getcpu", sys_getcpu, "ppp"};
  t[172] = {"getpid", sys_ints<SYS_getpid>, ""};
  t[173] = {"getppid", sys_ints<SYS_getppid>, ""};
  t[174] = {"getuid", sys_ints<SYS_getuid>, ""};
  t[175] = {"geteuid", sys_ints<SYS_geteuid>, ""};
  t[176] = {"getgid", sys_ints<SYS_getgid>, ""};
  t[177] = {"getegid", sys_ints<SYS_getegid>, ""};
  t[178] = {"gettid", sys_gettid, ""};
  t[90] = {"capget", sys_capget, "pp"};
  t[91] = {"capset", sys_capset, "pp"};
  t[92] = {"personality", sys_ints<SYS_personality>, "x"};
  t[220] = {"clone", sys_clone, "xpppp"};
  t[221] = {"execve", sys_execve, "spp"};
  t[221].trace_before = true;
  t[260] = {"wait4", sys_wait4, "dpxp"};
  t[261] = {"prlimit64", sys_prlimit64, "ddpp"};
  t[268] = {"setns", sys_ints<SYS_setns>, "dx"};
  t[281] = {"execveat", sys_execveat, "fsppx"};
  t[281].trace_before = true;
  t[283] = {"membarrier", sys_ints<SYS_membarrier>, "xxd"};
  t[293] = {"rseq", sys_enosys, "puxx"};  // glibc runs without it
  t[435] = {"clone3", sys_enosys, "pu"};  // glibc falls back to clone
}

}  // namespace strata::user
