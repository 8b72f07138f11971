// Files and directories: open/read/write and friends, stat in the riscv64 (asm-generic)
// layout, statx, directories, links, xattrs, ioctl for terminals, fcntl, polling, epoll.
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "user/elf_loader.h"
#include "user/syscalls/syscalls.h"

namespace strata::user {

int read_path(GuestThread& t, uint64_t va, std::string& out) {
  if (!t.proc.mem.read_string(va, out, 4096)) {
    std::string probe;
    return t.proc.mem.read_string(va, probe, 1 << 20) ? -ENAMETOOLONG : -EFAULT;
  }
  return 0;
}

bool is_proc_self(const std::string& path, const char* leaf) {
  const std::string self = std::string("/proc/self/") + leaf;
  if (path == self || path == std::string("/proc/thread-self/") + leaf) return true;
  const std::string mine = "/proc/" + std::to_string(getpid()) + "/" + leaf;
  return path == mine;
}

std::string host_path(GuestThread& t, const std::string& p) {
  if (is_proc_self(p, "exe")) return t.proc.exe_path;
  return resolve_in_sysroot(t.proc.options.sysroot, p);
}

// Guest iovecs hold guest pointers: translate each.
int64_t host_iovecs(GuestThread& t, uint64_t va, uint64_t count, std::vector<iovec>& out) {
  if (count > 1024) return -EINVAL;
  out.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t g[2];
    if (!t.proc.mem.read(va + 16 * i, g, sizeof g)) return -EFAULT;
    void* p;
    if (!to_host(t, g[0], g[1], p)) return -EFAULT;
    out[i] = {p, size_t(g[1])};
  }
  return 0;
}

namespace {

// The riscv64 struct stat (asm-generic/stat.h).
struct GuestStat {
  uint64_t dev, ino;
  uint32_t mode, nlink, uid, gid;
  uint64_t rdev, pad1;
  int64_t size;
  int32_t blksize, pad2;
  int64_t blocks;
  int64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
  uint32_t unused4, unused5;
};
static_assert(sizeof(GuestStat) == 128);

GuestStat to_guest(const struct stat& s) {
  GuestStat g{};
  g.dev = s.st_dev;
  g.ino = s.st_ino;
  g.mode = s.st_mode;
  g.nlink = uint32_t(s.st_nlink);
  g.uid = s.st_uid;
  g.gid = s.st_gid;
  g.rdev = s.st_rdev;
  g.size = s.st_size;
  g.blksize = int32_t(s.st_blksize);
  g.blocks = s.st_blocks;
  g.atime = s.st_atim.tv_sec;
  g.atime_nsec = s.st_atim.tv_nsec;
  g.mtime = s.st_mtim.tv_sec;
  g.mtime_nsec = s.st_mtim.tv_nsec;
  g.ctime = s.st_ctim.tv_sec;
  g.ctime_nsec = s.st_ctim.tv_nsec;
  return g;
}

int64_t put_stat(GuestThread& t, uint64_t va, const struct stat& s) {
  return write_guest(t, va, to_guest(s)) ? 0 : -EFAULT;
}

// A read-only in-memory file for the /proc entries Strata answers itself.
int64_t synthetic_file(const std::string& content, int flags) {
  const int fd = memfd_create("strata-proc", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
  if (fd < 0) return -errno;
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += size_t(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

std::string cpuinfo() {
  std::string out;
  const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i)
    out += "processor\t: " + std::to_string(i) + "\nhart\t\t: " + std::to_string(i) +
           "\nisa\t\t: rv64imafdc_zicsr_zifencei_zba_zbb_zbs_zicond\nmmu\t\t: sv39\nuarch\t\t: strata\n\n";
  return out;
}

int64_t sys_openat(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  const int flags = int(a[2]);
  if (is_proc_self(p, "maps")) return synthetic_file(t.proc.mem.maps_text(), flags);
  if (is_proc_self(p, "auxv"))
    return synthetic_file(std::string(reinterpret_cast<const char*>(t.proc.auxv.data()), t.proc.auxv.size() * 8), flags);
  if (is_proc_self(p, "cmdline")) {
    std::string s;
    for (const auto& arg : t.proc.argv) s += arg + '\0';
    return synthetic_file(s, flags);
  }
  if (p == "/proc/cpuinfo") return synthetic_file(cpuinfo(), flags);
  return host_blocking(t, SYS_openat, int(a[0]), host_path(t, p).c_str(), flags, unsigned(a[3]));
}

int64_t sys_close(GuestThread& t, const uint64_t* a) { return host(SYS_close, int(a[0])); }

int64_t sys_read(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  return host_blocking(t, SYS_read, int(a[0]), buf, a[2]);
}
int64_t sys_write(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  return host_blocking(t, SYS_write, int(a[0]), buf, a[2]);
}
int64_t sys_pread64(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  return host_blocking(t, SYS_pread64, int(a[0]), buf, a[2], a[3]);
}
int64_t sys_pwrite64(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  return host_blocking(t, SYS_pwrite64, int(a[0]), buf, a[2], a[3]);
}

template <long Number, bool Positioned, bool Flags>
int64_t sys_vector_io(GuestThread& t, const uint64_t* a) {
  std::vector<iovec> iov;
  if (int64_t e = host_iovecs(t, a[1], a[2], iov)) return e;
  if constexpr (Flags)
    return host_blocking(t, Number, int(a[0]), iov.data(), iov.size(), a[3], a[4], int(a[5]));
  if constexpr (Positioned) return host_blocking(t, Number, int(a[0]), iov.data(), iov.size(), a[3], a[4]);
  return host_blocking(t, Number, int(a[0]), iov.data(), iov.size());
}

int64_t sys_lseek(GuestThread& t, const uint64_t* a) {
  return host(SYS_lseek, int(a[0]), int64_t(a[1]), int(a[2]));
}

int64_t sys_newfstatat(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  struct stat s;
  const int64_t r = host(SYS_newfstatat, int(a[0]), p.empty() ? "" : host_path(t, p).c_str(), &s, int(a[3]));
  return r < 0 ? r : put_stat(t, a[2], s);
}

int64_t sys_fstat(GuestThread& t, const uint64_t* a) {
  struct stat s;
  const int64_t r = host(SYS_fstat, int(a[0]), &s);
  return r < 0 ? r : put_stat(t, a[1], s);
}

int64_t sys_statx(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  GUEST_PTR(buf, a[4], 256);
  return host(SYS_statx, int(a[0]), p.empty() ? "" : host_path(t, p).c_str(), int(a[2]), unsigned(a[3]), buf);
}

int64_t sys_readlinkat(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  if (int64_t(a[3]) <= 0) return -EINVAL;
  GUEST_PTR(buf, a[2], a[3]);
  if (is_proc_self(p, "exe")) {
    const std::string& exe = t.proc.exe_path;
    const size_t n = std::min<size_t>(exe.size(), a[3]);
    return t.proc.mem.write(a[2], exe.data(), n) ? int64_t(n) : -EFAULT;
  }
  return host(SYS_readlinkat, int(a[0]), host_path(t, p).c_str(), buf, a[3]);
}

int64_t sys_faccessat(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  return host(SYS_faccessat, int(a[0]), host_path(t, p).c_str(), int(a[2]));
}
int64_t sys_faccessat2(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  return host(SYS_faccessat2, int(a[0]), host_path(t, p).c_str(), int(a[2]), int(a[3]));
}

// Syscalls of the shape (dirfd, path, int...) with nothing to translate but the path.
template <long Number>
int64_t sys_dirfd_path(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  return host(Number, int(a[0]), p.c_str(), a[2], a[3]);
}
// (path, int...)
template <long Number>
int64_t sys_path(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[0], p)) return e;
  return host(Number, p.c_str(), a[1], a[2]);
}
// Plain integer arguments only.
template <long Number>
int64_t sys_ints(GuestThread& t, const uint64_t* a) {
  return host(Number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int64_t sys_symlinkat(GuestThread& t, const uint64_t* a) {
  std::string target, p;
  if (int e = read_path(t, a[0], target)) return e;
  if (int e = read_path(t, a[2], p)) return e;
  return host(SYS_symlinkat, target.c_str(), int(a[1]), p.c_str());
}
int64_t sys_linkat(GuestThread& t, const uint64_t* a) {
  std::string from, to;
  if (int e = read_path(t, a[1], from)) return e;
  if (int e = read_path(t, a[3], to)) return e;
  return host(SYS_linkat, int(a[0]), from.c_str(), int(a[2]), to.c_str(), int(a[4]));
}
int64_t sys_renameat2(GuestThread& t, const uint64_t* a) {
  std::string from, to;
  if (int e = read_path(t, a[1], from)) return e;
  if (int e = read_path(t, a[3], to)) return e;
  return host(SYS_renameat2, int(a[0]), from.c_str(), int(a[2]), to.c_str(), unsigned(a[4]));
}

int64_t sys_getcwd(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[0], a[1]);
  return host(SYS_getcwd, buf, a[1]);
}

int64_t sys_getdents64(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  return host(SYS_getdents64, int(a[0]), buf, a[2]);
}

int64_t sys_statfs(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[0], p)) return e;
  GUEST_PTR(buf, a[1], 120);
  return host(SYS_statfs, host_path(t, p).c_str(), buf);
}
int64_t sys_fstatfs(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], 120);
  return host(SYS_fstatfs, int(a[0]), buf);
}

int64_t sys_pipe2(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(fds, a[0], 8);
  return host(SYS_pipe2, fds, int(a[1]));
}

int64_t sys_utimensat(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (a[1] && read_path(t, a[1], p)) return -EFAULT;
  GUEST_PTR(times, a[2], 32);
  return host(SYS_utimensat, int(a[0]), a[1] ? p.c_str() : nullptr, times, int(a[3]));
}

int64_t sys_sendfile(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(off, a[2], 8);
  return host_blocking(t, SYS_sendfile, int(a[0]), int(a[1]), off, a[3]);
}
int64_t sys_splice(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(off_in, a[1], 8);
  GUEST_PTR(off_out, a[3], 8);
  return host_blocking(t, SYS_splice, int(a[0]), off_in, int(a[2]), off_out, a[4], unsigned(a[5]));
}
int64_t sys_copy_file_range(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(off_in, a[1], 8);
  GUEST_PTR(off_out, a[3], 8);
  return host(SYS_copy_file_range, int(a[0]), off_in, int(a[2]), off_out, a[4], unsigned(a[5]));
}

int64_t sys_fcntl(GuestThread& t, const uint64_t* a) {
  const int cmd = int(a[1]);
  switch (cmd) {
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW: {
      GUEST_PTR(lock, a[2], sizeof(struct flock));
      return host_blocking(t, SYS_fcntl, int(a[0]), cmd, lock);
    }
    case F_GETOWN_EX:
    case F_SETOWN_EX: {
      GUEST_PTR(owner, a[2], 8);
      return host(SYS_fcntl, int(a[0]), cmd, owner);
    }
    case F_DUPFD:
    case F_GETFD:
    case F_SETFD:
    case F_GETFL:
    case F_SETFL:
    case F_SETOWN:
    case F_GETOWN:
    case F_SETSIG:
    case F_GETSIG:
    case F_SETLEASE:
    case F_GETLEASE:
    case F_NOTIFY:
    case F_DUPFD_CLOEXEC:
    case F_SETPIPE_SZ:
    case F_GETPIPE_SZ:
    case F_ADD_SEALS:
    case F_GET_SEALS:
      return host(SYS_fcntl, int(a[0]), cmd, a[2]);
    default:
      return -EINVAL;
  }
}

int64_t sys_ioctl(GuestThread& t, const uint64_t* a) {
  const int fd = int(a[0]);
  const unsigned long req = unsigned(a[1]);
  size_t size = 0;
  switch (req) {
    case TCGETS:
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      size = 36;
      break;
    case TIOCGWINSZ:
    case TIOCSWINSZ:
      size = 8;
      break;
    case TIOCGPGRP:
    case TIOCSPGRP:
    case FIONREAD:
    case FIONBIO:
    case TIOCGSID:
    case TIOCOUTQ:
    case FIOASYNC:
    case TIOCGPTN:
    case TIOCSPTLCK:
    case TIOCGEXCL:
    case TIOCGETD:
    case TIOCSETD:
    case TIOCMGET:
    case TIOCMSET:
    case TIOCMBIS:
    case TIOCMBIC:
      size = 4;
      break;
    case TIOCSCTTY:
    case TIOCNOTTY:
    case TCSBRK:
    case TCXONC:
    case TCFLSH:
    case FIOCLEX:
    case FIONCLEX:
    case TIOCEXCL:
    case TIOCNXCL:
    case TIOCSBRK:
    case TIOCCBRK:
    case TCSBRKP:
      return host(SYS_ioctl, fd, req, a[2]);
    default:
      // Requests that encode their argument size (the _IOC layout is the same on both
      // architectures) take a pointer to that many bytes.
      size = _IOC_SIZE(req);
      if (size == 0 || _IOC_DIR(req) == _IOC_NONE) return -ENOTTY;
  }
  GUEST_PTR(arg, a[2], size);
  return host(SYS_ioctl, fd, req, arg);
}

// poll family. A sigmask argument swaps the guest mask for the duration, like the kernel.
void begin_temp_mask(GuestThread& t, uint64_t mask_va, uint64_t size) {
  uint64_t m;
  if (!mask_va || size != 8 || !read_guest(t, mask_va, m)) return;
  t.saved_mask = t.sigmask;
  t.saved_mask_valid = true;
  t.sigmask = m & ~kUnblockable;
  t.interrupted = signal_deliverable(t);  // one the new mask lets through interrupts at once
}
int64_t end_temp_mask(GuestThread& t, int64_t r) {
  if (r != -EINTR && t.saved_mask_valid) {
    t.saved_mask_valid = false;
    t.sigmask = t.saved_mask;
  }
  return r;
}

int64_t sys_ppoll(GuestThread& t, const uint64_t* a) {
  if (a[1] > 65536) return -EINVAL;
  GUEST_PTR(fds, a[0], a[1] * sizeof(pollfd));
  GUEST_PTR(ts, a[2], 16);
  GUEST_PTR(mask, a[3], 8);
  begin_temp_mask(t, a[3], a[4]);
  return end_temp_mask(t, host_blocking(t, SYS_ppoll, fds, a[1], ts, mask, a[4]));
}

int64_t sys_pselect6(GuestThread& t, const uint64_t* a) {
  const int n = int(a[0]);
  if (n < 0 || n > 65536) return -EINVAL;
  const uint64_t set_bytes = (uint64_t(n) + 63) / 64 * 8;
  GUEST_PTR(in, a[1], set_bytes);
  GUEST_PTR(out, a[2], set_bytes);
  GUEST_PTR(ex, a[3], set_bytes);
  GUEST_PTR(ts, a[4], 16);
  struct {
    void* ss;
    size_t len;
  } sig{nullptr, 8}, *sigp = nullptr;
  if (a[5]) {
    uint64_t g[2];
    if (!t.proc.mem.read(a[5], g, sizeof g)) return -EFAULT;
    if (!to_host(t, g[0], 8, sig.ss)) return -EFAULT;
    sig.len = g[1];
    sigp = &sig;
    begin_temp_mask(t, g[0], g[1]);
  }
  return end_temp_mask(t, host_blocking(t, SYS_pselect6, n, in, out, ex, ts, sigp));
}

struct GuestEpollEvent {
  uint32_t events, pad;
  uint64_t data;
};

int64_t sys_epoll_ctl(GuestThread& t, const uint64_t* a) {
  epoll_event ev{};
  epoll_event* evp = nullptr;
  if (a[3]) {
    GuestEpollEvent g;
    if (!read_guest(t, a[3], g)) return -EFAULT;
    ev.events = g.events;
    ev.data.u64 = g.data;
    evp = &ev;
  }
  return host(SYS_epoll_ctl, int(a[0]), int(a[1]), int(a[2]), evp);
}

template <bool Timespec>
int64_t sys_epoll_wait(GuestThread& t, const uint64_t* a) {
  const int max = int(a[2]);
  if (max <= 0 || max > (1 << 24)) return -EINVAL;
  if (!t.proc.mem.accessible(a[1], uint64_t(max) * sizeof(GuestEpollEvent), kProtWrite)) return -EFAULT;
  std::vector<epoll_event> evs(size_t(std::min(max, 1024)));
  GUEST_PTR(mask, a[4], 8);
  begin_temp_mask(t, a[4], a[5]);
  int64_t r;
  if constexpr (Timespec) {
    GUEST_PTR(ts, a[3], 16);
    r = host_blocking(t, SYS_epoll_pwait2, int(a[0]), evs.data(), int(evs.size()), ts, mask, a[5]);
  } else {
    r = host_blocking(t, SYS_epoll_pwait, int(a[0]), evs.data(), int(evs.size()), int(a[3]), mask, a[5]);
  }
  end_temp_mask(t, r);
  for (int64_t i = 0; i < r; ++i) {
    const GuestEpollEvent g{evs[i].events, 0, evs[i].data.u64};
    t.proc.mem.write(a[1] + uint64_t(i) * sizeof g, &g, sizeof g);
  }
  return r;
}

int64_t sys_signalfd4(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(mask, a[1], 8);
  return host(SYS_signalfd4, int(a[0]), mask, a[2], int(a[3]));
}

int64_t sys_inotify_add_watch(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  return host(SYS_inotify_add_watch, int(a[0]), p.c_str(), uint32_t(a[2]));
}

int64_t sys_memfd_create(GuestThread& t, const uint64_t* a) {
  std::string name;
  if (!t.proc.mem.read_string(a[0], name, 256)) return -EFAULT;
  return host(SYS_memfd_create, name.c_str(), unsigned(a[1]));
}

// Extended attributes: path (or fd) + name + buffer.
template <long Number, bool ByFd>
int64_t sys_xattr_get(GuestThread& t, const uint64_t* a) {
  std::string p, name;
  if (!ByFd)
    if (int e = read_path(t, a[0], p)) return e;
  if (!t.proc.mem.read_string(a[1], name, 256)) return -EFAULT;
  GUEST_PTR(buf, a[2], a[3]);
  if constexpr (ByFd) return host(Number, int(a[0]), name.c_str(), buf, a[3], int(a[4]));
  return host(Number, p.c_str(), name.c_str(), buf, a[3], int(a[4]));
}
template <long Number, bool ByFd>
int64_t sys_xattr_set(GuestThread& t, const uint64_t* a) {
  std::string p, name;
  if (!ByFd)
    if (int e = read_path(t, a[0], p)) return e;
  if (!t.proc.mem.read_string(a[1], name, 256)) return -EFAULT;
  GUEST_PTR(value, a[2], a[3]);
  if constexpr (ByFd) return host(Number, int(a[0]), name.c_str(), value, a[3], int(a[4]));
  return host(Number, p.c_str(), name.c_str(), value, a[3], int(a[4]));
}
template <long Number, bool ByFd>
int64_t sys_xattr_list(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (!ByFd)
    if (int e = read_path(t, a[0], p)) return e;
  GUEST_PTR(buf, a[1], a[2]);
  if constexpr (ByFd) return host(Number, int(a[0]), buf, a[2]);
  return host(Number, p.c_str(), buf, a[2]);
}
template <long Number, bool ByFd>
int64_t sys_xattr_remove(GuestThread& t, const uint64_t* a) {
  std::string p, name;
  if (!ByFd)
    if (int e = read_path(t, a[0], p)) return e;
  if (!t.proc.mem.read_string(a[1], name, 256)) return -EFAULT;
  if constexpr (ByFd) return host(Number, int(a[0]), name.c_str());
  return host(Number, p.c_str(), name.c_str());
}

int64_t sys_truncate(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[0], p)) return e;
  return host(SYS_truncate, p.c_str(), int64_t(a[1]));
}

int64_t sys_chdir(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[0], p)) return e;
  return host(SYS_chdir, p.c_str());
}

int64_t sys_fchownat(GuestThread& t, const uint64_t* a) {
  std::string p;
  if (int e = read_path(t, a[1], p)) return e;
  return host(SYS_fchownat, int(a[0]), p.c_str(), unsigned(a[2]), unsigned(a[3]), int(a[4]));
}

}  // namespace

void register_fs_syscalls(SyscallTable& t) {
  t[5] = {"setxattr", sys_xattr_set<SYS_setxattr, false>, "ssp"};
  t[6] = {"lsetxattr", sys_xattr_set<SYS_lsetxattr, false>, "ssp"};
  t[7] = {"fsetxattr", sys_xattr_set<SYS_fsetxattr, true>, "dsp"};
  t[8] = {"getxattr", sys_xattr_get<SYS_getxattr, false>, "ssp"};
  t[9] = {"lgetxattr", sys_xattr_get<SYS_lgetxattr, false>, "ssp"};
  t[10] = {"fgetxattr", sys_xattr_get<SYS_fgetxattr, true>, "dsp"};
  t[11] = {"listxattr", sys_xattr_list<SYS_listxattr, false>, "spu"};
  t[12] = {"llistxattr", sys_xattr_list<SYS_llistxattr, false>, "spu"};
  t[13] = {"flistxattr", sys_xattr_list<SYS_flistxattr, true>, "dpu"};
  t[14] = {"removexattr", sys_xattr_remove<SYS_removexattr, false>, "ss"};
  t[15] = {"lremovexattr", sys_xattr_remove<SYS_lremovexattr, false>, "ss"};
  t[16] = {"fremovexattr", sys_xattr_remove<SYS_fremovexattr, true>, "ds"};
  t[17] = {"getcwd", sys_getcwd, "pu"};
  t[19] = {"eventfd2", sys_ints<SYS_eventfd2>, "ux"};
  t[20] = {"epoll_create1", sys_ints<SYS_epoll_create1>, "x"};
  t[21] = {"epoll_ctl", sys_epoll_ctl, "dddp"};
  t[22] = {"epoll_pwait", sys_epoll_wait<false>, "dpddpu"};
  t[22].no_restart = true;
  t[23] = {"dup", sys_ints<SYS_dup>, "d"};
  t[24] = {"dup3", sys_ints<SYS_dup3>, "ddx"};
  t[25] = {"fcntl", sys_fcntl, "ddx"};
  t[26] = {"inotify_init1", sys_ints<SYS_inotify_init1>, "x"};
  t[27] = {"inotify_add_watch", sys_inotify_add_watch, "dsx"};
  t[28] = {"inotify_rm_watch", sys_ints<SYS_inotify_rm_watch>, "dd"};
  t[29] = {"ioctl", sys_ioctl, "dxp"};
  t[32] = {
      "flock",
      [](GuestThread& t, const uint64_t* a) { return host_blocking(t, SYS_flock, int(a[0]), int(a[1])); },
      "dx"};
  t[33] = {"mknodat", sys_dirfd_path<SYS_mknodat>, "fsOx"};
  t[34] = {"mkdirat", sys_dirfd_path<SYS_mkdirat>, "fsO"};
  t[35] = {"unlinkat", sys_dirfd_path<SYS_unlinkat>, "fsx"};
  t[36] = {"symlinkat", sys_symlinkat, "sfs"};
  t[37] = {"linkat", sys_linkat, "fsfsx"};
  t[38] = {"renameat", sys_renameat2, "fsfs"};
  t[43] = {"statfs", sys_statfs, "sp"};
  t[44] = {"fstatfs", sys_fstatfs, "dp"};
  t[45] = {"truncate", sys_truncate, "sd"};
  t[46] = {"ftruncate", sys_ints<SYS_ftruncate>, "dd"};
  t[47] = {"fallocate", sys_ints<SYS_fallocate>, "dxdd"};
  t[48] = {"faccessat", sys_faccessat, "fsO"};
  t[49] = {"chdir", sys_chdir, "s"};
  t[50] = {"fchdir", sys_ints<SYS_fchdir>, "d"};
  t[51] = {"chroot", sys_path<SYS_chroot>, "s"};
  t[52] = {"fchmod", sys_ints<SYS_fchmod>, "dO"};
  t[53] = {"fchmodat", sys_dirfd_path<SYS_fchmodat>, "fsO"};
  t[54] = {"fchownat", sys_fchownat, "fsddx"};
  t[55] = {"fchown", sys_ints<SYS_fchown>, "ddd"};
  t[56] = {"openat", sys_openat, "fsF"};
  t[57] = {"close", sys_close, "d"};
  t[59] = {"pipe2", sys_pipe2, "px"};
  t[61] = {"getdents64", sys_getdents64, "dpu"};
  t[62] = {"lseek", sys_lseek, "ddd"};
  t[63] = {"read", sys_read, "dou"};
  t[64] = {"write", sys_write, "diu"};
  t[65] = {"readv", sys_vector_io<SYS_readv, false, false>, "dpu"};
  t[66] = {"writev", sys_vector_io<SYS_writev, false, false>, "dpu"};
  t[67] = {"pread64", sys_pread64, "doud"};
  t[68] = {"pwrite64", sys_pwrite64, "diud"};
  t[69] = {"preadv", sys_vector_io<SYS_preadv, true, false>, "dpud"};
  t[70] = {"pwritev", sys_vector_io<SYS_pwritev, true, false>, "dpud"};
  t[71] = {"sendfile", sys_sendfile, "ddpu"};
  t[72] = {"pselect6", sys_pselect6, "dppppp"};
  t[72].no_restart = true;
  t[73] = {"ppoll", sys_ppoll, "pupp"};
  t[73].no_restart = true;
  t[74] = {"signalfd4", sys_signalfd4, "dpux"};
  t[76] = {"splice", sys_splice, "dpdpux"};
  t[77] = {"tee", sys_ints<SYS_tee>, "ddux"};
  t[78] = {"readlinkat", sys_readlinkat, "fspu"};
  t[79] = {"newfstatat", sys_newfstatat, "fspx"};
  t[80] = {"fstat", sys_fstat, "dp"};
  t[81] = {"sync", sys_ints<SYS_sync>, ""};
  t[82] = {"fsync", sys_ints<SYS_fsync>, "d"};
  t[83] = {"fdatasync", sys_ints<SYS_fdatasync>, "d"};
  t[84] = {"sync_file_range", sys_ints<SYS_sync_file_range>, "dddx"};
  t[88] = {"utimensat", sys_utimensat, "fspx"};
  t[166] = {"umask", sys_ints<SYS_umask>, "O"};
  t[213] = {"readahead", sys_ints<SYS_readahead>, "ddu"};
  t[223] = {"fadvise64", sys_ints<SYS_fadvise64>, "dddd"};
  t[267] = {"syncfs", sys_ints<SYS_syncfs>, "d"};
  t[276] = {"renameat2", sys_renameat2, "fsfsx"};
  t[279] = {"memfd_create", sys_memfd_create, "sx"};
  t[285] = {"copy_file_range", sys_copy_file_range, "dpdpux"};
  t[286] = {"preadv2", sys_vector_io<SYS_preadv2, true, true>, "dpuddx"};
  t[287] = {"pwritev2", sys_vector_io<SYS_pwritev2, true, true>, "dpuddx"};
  t[291] = {"statx", sys_statx, "fsxxp"};
  t[436] = {"close_range", sys_ints<SYS_close_range>, "uux"};
  t[439] = {"faccessat2", sys_faccessat2, "fsOx"};
  t[441] = {"epoll_pwait2", sys_epoll_wait<true>, "dpdppu"};
  t[441].no_restart = true;
}

}  // namespace strata::user
