#pragma once
// The riscv64 Linux syscall table: one entry per number (name, handler, how --strace prints
// its arguments), filled by one registration function per family (fs, mm, process, signal,
// net, time, misc). Handlers get the six argument registers and return the value for a0
// (-errno on failure) or kNoResult when they have set the registers themselves.
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "user/guest_thread.h"
#include "user/process.h"
#include "user/safe_syscall.h"

namespace strata::user {

using SyscallFn = int64_t (*)(GuestThread& t, const uint64_t* a);
constexpr int64_t kNoResult = INT64_MIN;

struct SyscallEntry {
  const char* name = nullptr;
  SyscallFn fn = nullptr;
  // One letter per argument for --strace: d signed, u unsigned, x hex, p pointer, s path
  // string, f fd (AT_FDCWD aware), i input buffer (length in the next argument), o output
  // buffer (length = result), O octal, S signal number, F open flags, P mmap protection,
  // M mmap flags.
  const char* format = "";
  bool hex_result = false;    // brk, mmap, mremap
  bool no_restart = false;    // -EINTR stays -EINTR even under SA_RESTART
  bool trace_before = false;  // exit, exit_group, execve: print before running
};

constexpr size_t kMaxSyscall = 512;
using SyscallTable = std::array<SyscallEntry, kMaxSyscall>;

void register_fs_syscalls(SyscallTable& t);
void register_mm_syscalls(SyscallTable& t);
void register_process_syscalls(SyscallTable& t);
void register_signal_syscalls(SyscallTable& t);
void register_net_syscalls(SyscallTable& t);
void register_time_syscalls(SyscallTable& t);
void register_misc_syscalls(SyscallTable& t);

const SyscallTable& syscall_table();

// Runs the syscall the hart stopped at (number in a7) and writes its result to a0.
void do_syscall(GuestThread& t);

// --- Helpers shared by the families ------------------------------------------------------

// A host syscall with errno folded into the result.
template <typename... A>
inline int64_t host(long number, A... args) {
  const long r = syscall(number, args...);
  return r == -1 ? -int64_t(errno) : int64_t(r);
}

// A host syscall that may block: a guest signal arriving at any point interrupts it with
// -EINTR (see safe_syscall.h). Only for syscalls the kernel itself lets signals interrupt.
template <typename T>
inline long syscall_arg(T v) {
  if constexpr (std::is_pointer_v<T> || std::is_null_pointer_v<T>)
    return long(reinterpret_cast<uintptr_t>(v));
  else
    return long(v);
}
template <typename... A>
inline int64_t host_blocking(GuestThread& t, long number, A... args) {
  static_assert(sizeof...(A) <= 6);
  long v[6] = {syscall_arg(args)...};
  return strata_safe_syscall(&t.interrupted, number, v[0], v[1], v[2], v[3], v[4], v[5]);
}

// Host pointer for a guest range the kernel reads or writes itself. Guest null stays null
// (many syscalls treat it specially); false when the range leaves the guest region.
inline bool to_host(GuestThread& t, uint64_t va, uint64_t len, void*& out) {
  bool ok;
  out = t.proc.mem.host_range(va, len, ok);
  return ok;
}
#define GUEST_PTR(var, va, len) \
  void* var;                    \
  if (!to_host(t, (va), (len), var)) return -EFAULT

// Copies of guest structs for Strata's own use (checked against guest protections).
template <typename T>
inline bool read_guest(GuestThread& t, uint64_t va, T& out) {
  return t.proc.mem.read(va, &out, sizeof out);
}
template <typename T>
inline bool write_guest(GuestThread& t, uint64_t va, const T& in) {
  return t.proc.mem.write(va, &in, sizeof in);
}

// Reads a guest path: 0, -EFAULT or -ENAMETOOLONG.
int read_path(GuestThread& t, uint64_t va, std::string& out);
// The host path for a guest path: /proc/self/exe is the guest program, absolute paths are
// looked up under -L SYSROOT first.
std::string host_path(GuestThread& t, const std::string& guest_path);
// Translates a guest iovec array (guest pointers inside) for the kernel: 0 or -errno.
int64_t host_iovecs(GuestThread& t, uint64_t va, uint64_t count, std::vector<struct iovec>& out);
// Whether `path` names this process's /proc entry `leaf` (/proc/self/<leaf>, /proc/<pid>/<leaf>).
bool is_proc_self(const std::string& path, const char* leaf);

}  // namespace strata::user
