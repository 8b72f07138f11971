// Sockets. sockaddr, cmsg and option layouts are the same on riscv64 and x86-64; only the
// pointers inside msghdr need translating.
#include <sys/socket.h>

#include <vector>

#include "user/syscalls/syscalls.h"

namespace strata::user {
namespace {

struct GuestMsghdr {
  uint64_t name;
  uint32_t namelen, pad0;
  uint64_t iov, iovlen, control, controllen;
  int32_t flags, pad1;
};
static_assert(sizeof(GuestMsghdr) == 56);

// Builds a host msghdr from the guest's; `iov` holds the translated vectors.
int64_t host_msghdr(GuestThread& t, const GuestMsghdr& g, msghdr& h, std::vector<iovec>& iov) {
  h = {};
  if (!to_host(t, g.name, g.namelen, h.msg_name)) return -EFAULT;
  h.msg_namelen = g.namelen;
  if (int64_t e = host_iovecs(t, g.iov, g.iovlen, iov)) return e;
  h.msg_iov = iov.data();
  h.msg_iovlen = iov.size();
  if (!to_host(t, g.control, g.controllen, h.msg_control)) return -EFAULT;
  h.msg_controllen = g.controllen;
  h.msg_flags = g.flags;
  return 0;
}

void update_guest_msghdr(GuestMsghdr& g, const msghdr& h) {
  g.namelen = h.msg_namelen;
  g.controllen = h.msg_controllen;
  g.flags = h.msg_flags;
}

template <long Number>
int64_t sys_ints(GuestThread& t, const uint64_t* a) {
  return host(Number, a[0], a[1], a[2], a[3]);
}

int64_t sys_socketpair(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(sv, a[3], 8);
  return host(SYS_socketpair, int(a[0]), int(a[1]), int(a[2]), sv);
}

// (fd, const sockaddr*, len): bind, connect.
template <long Number>
int64_t sys_addr_in(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(addr, a[1], uint32_t(a[2]));
  if constexpr (Number == SYS_connect) return host_blocking(t, Number, int(a[0]), addr, uint32_t(a[2]));
  return host(Number, int(a[0]), addr, uint32_t(a[2]));
}

// (fd, sockaddr*, socklen_t* inout [, flags]): accept, getsockname, getpeername.
template <long Number, bool Flags>
int64_t sys_addr_out(GuestThread& t, const uint64_t* a) {
  uint32_t len = 0;
  if (a[2] && !read_guest(t, a[2], len)) return -EFAULT;
  GUEST_PTR(addr, a[1], len);
  GUEST_PTR(lenp, a[2], 4);
  if constexpr (Flags) return host_blocking(t, Number, int(a[0]), addr, lenp, int(a[3]));
  if constexpr (Number == SYS_accept) return host_blocking(t, Number, int(a[0]), addr, lenp);
  return host(Number, int(a[0]), addr, lenp);
}

int64_t sys_sendto(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  GUEST_PTR(addr, a[4], uint32_t(a[5]));
  return host_blocking(t, SYS_sendto, int(a[0]), buf, a[2], int(a[3]), addr, uint32_t(a[5]));
}

int64_t sys_recvfrom(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[1], a[2]);
  uint32_t len = 0;
  if (a[5] && !read_guest(t, a[5], len)) return -EFAULT;
  GUEST_PTR(addr, a[4], len);
  GUEST_PTR(lenp, a[5], 4);
  return host_blocking(t, SYS_recvfrom, int(a[0]), buf, a[2], int(a[3]), addr, lenp);
}

int64_t sys_setsockopt(GuestThread& t, const uint64_t* a) {
  // Socket filters carry a pointer inside their argument: not supported.
  if (int(a[1]) == SOL_SOCKET && (int(a[2]) == SO_ATTACH_FILTER || int(a[2]) == SO_ATTACH_REUSEPORT_CBPF))
    return -ENOPROTOOPT;
  GUEST_PTR(val, a[3], uint32_t(a[4]));
  return host(SYS_setsockopt, int(a[0]), int(a[1]), int(a[2]), val, uint32_t(a[4]));
}

int64_t sys_getsockopt(GuestThread& t, const uint64_t* a) {
  uint32_t len = 0;
  if (a[4] && !read_guest(t, a[4], len)) return -EFAULT;
  GUEST_PTR(val, a[3], len);
  GUEST_PTR(lenp, a[4], 4);
  return host(SYS_getsockopt, int(a[0]), int(a[1]), int(a[2]), val, lenp);
}

template <bool Receive>
int64_t sys_msg(GuestThread& t, const uint64_t* a) {
  GuestMsghdr g;
  if (!read_guest(t, a[1], g)) return -EFAULT;
  msghdr h;
  std::vector<iovec> iov;
  if (int64_t e = host_msghdr(t, g, h, iov)) return e;
  const int64_t r = host_blocking(t, Receive ? SYS_recvmsg : SYS_sendmsg, int(a[0]), &h, int(a[2]));
  if (Receive && r >= 0) {
    update_guest_msghdr(g, h);
    if (!write_guest(t, a[1], g)) return -EFAULT;
  }
  return r;
}

// sendmmsg/recvmmsg, one message at a time (the kernel's own loop has the same semantics
// for the counts returned; timeouts of recvmmsg are not applied).
template <bool Receive>
int64_t sys_mmsg(GuestThread& t, const uint64_t* a) {
  const unsigned count = unsigned(std::min<uint64_t>(a[2], 1024));
  int64_t done = 0;
  for (unsigned i = 0; i < count; ++i) {
    const uint64_t va = a[1] + uint64_t(i) * 64;  // struct mmsghdr: msghdr + unsigned len (+pad)
    GuestMsghdr g;
    if (!read_guest(t, va, g)) return done ? done : -EFAULT;
    msghdr h;
    std::vector<iovec> iov;
    if (int64_t e = host_msghdr(t, g, h, iov)) return done ? done : e;
    int flags = int(a[3]);
    if (Receive && done) flags |= MSG_DONTWAIT;
    const int64_t r = host_blocking(t, Receive ? SYS_recvmsg : SYS_sendmsg, int(a[0]), &h, flags);
    if (r < 0) return done ? done : r;
    if (Receive) update_guest_msghdr(g, h);
    write_guest(t, va, g);
    const uint32_t len = uint32_t(r);
    t.proc.mem.write(va + 56, &len, 4);
    ++done;
  }
  return done;
}

}  // namespace

void register_net_syscalls(SyscallTable& t) {
  t[198] = {"socket", sys_ints<SYS_socket>, "ddd"};
  t[199] = {"socketpair", sys_socketpair, "dddp"};
  t[200] = {"bind", sys_addr_in<SYS_bind>, "dpu"};
  t[201] = {"listen", sys_ints<SYS_listen>, "dd"};
  t[202] = {"accept", sys_addr_out<SYS_accept, false>, "dpp"};
  t[203] = {"connect", sys_addr_in<SYS_connect>, "dpu"};
  t[204] = {"getsockname", sys_addr_out<SYS_getsockname, false>, "dpp"};
  t[205] = {"getpeername", sys_addr_out<SYS_getpeername, false>, "dpp"};
  t[206] = {"sendto", sys_sendto, "diuxpu"};
  t[207] = {"recvfrom", sys_recvfrom, "douxpp"};
  t[208] = {"setsockopt", sys_setsockopt, "dddpu"};
  t[209] = {"getsockopt", sys_getsockopt, "dddpp"};
  t[210] = {"shutdown", sys_ints<SYS_shutdown>, "dd"};
  t[211] = {"sendmsg", sys_msg<false>, "dpx"};
  t[212] = {"recvmsg", sys_msg<true>, "dpx"};
  t[242] = {"accept4", sys_addr_out<SYS_accept4, true>, "dppx"};
  t[243] = {"recvmmsg", sys_mmsg<true>, "dpuxp"};
  t[269] = {"sendmmsg", sys_mmsg<false>, "dpux"};
}

}  // namespace strata::user
