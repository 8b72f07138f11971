// Time and clocks: timespec, timeval, itimerspec and struct tms have the same layout on
// riscv64 and x86-64, so these only translate pointers.
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>

#include "user/syscalls/syscalls.h"

namespace strata::user {
namespace {

// (int, T* [, T*]) shapes with fixed sizes.
template <long Number, size_t Size>
int64_t sys_id_ptr(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(p, a[1], Size);
  return host(Number, a[0], p);
}
template <long Number, size_t In, size_t Out>
int64_t sys_id_flags_in_out(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(in, a[2], In);
  GUEST_PTR(out, a[3], Out);
  return host(Number, a[0], a[1], in, out);
}

int64_t sys_nanosleep(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(req, a[0], 16);
  GUEST_PTR(rem, a[1], 16);
  return host_blocking(t, SYS_nanosleep, req, rem);
}

int64_t sys_clock_nanosleep(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(req, a[2], 16);
  GUEST_PTR(rem, a[3], 16);
  return host_blocking(t, SYS_clock_nanosleep, int(a[0]), int(a[1]), req, rem);
}

int64_t sys_setitimer(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(in, a[1], 32);
  GUEST_PTR(out, a[2], 32);
  return host(SYS_setitimer, int(a[0]), in, out);
}

int64_t sys_timer_create(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(event, a[1], 64);
  GUEST_PTR(id, a[2], 4);
  return host(SYS_timer_create, int(a[0]), event, id);
}

int64_t sys_times(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(buf, a[0], sizeof(struct tms));
  return host(SYS_times, buf);
}

int64_t sys_gettimeofday(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(tv, a[0], 16);
  GUEST_PTR(tz, a[1], 8);
  return host(SYS_gettimeofday, tv, tz);
}
int64_t sys_settimeofday(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(tv, a[0], 16);
  GUEST_PTR(tz, a[1], 8);
  return host(SYS_settimeofday, tv, tz);
}

int64_t sys_adjtimex(GuestThread& t, const uint64_t* a) {
  GUEST_PTR(tx, a[0], sizeof(struct timex));
  return host(SYS_adjtimex, tx);
}

template <long Number>
int64_t sys_ints(GuestThread& t, const uint64_t* a) {
  return host(Number, a[0], a[1]);
}

}  // namespace

void register_time_syscalls(SyscallTable& t) {
  t[85] = {"timerfd_create", sys_ints<SYS_timerfd_create>, "dx"};
  t[86] = {"timerfd_settime", sys_id_flags_in_out<SYS_timerfd_settime, 32, 32>, "dxpp"};
  t[87] = {"timerfd_gettime", sys_id_ptr<SYS_timerfd_gettime, 32>, "dp"};
  t[101] = {"nanosleep", sys_nanosleep, "pp"};
  t[101].no_restart = true;
  t[102] = {"getitimer", sys_id_ptr<SYS_getitimer, 32>, "dp"};
  t[103] = {"setitimer", sys_setitimer, "dpp"};
  t[107] = {"timer_create", sys_timer_create, "dpp"};
  t[108] = {"timer_gettime", sys_id_ptr<SYS_timer_gettime, 32>, "dp"};
  t[109] = {"timer_getoverrun", sys_ints<SYS_timer_getoverrun>, "d"};
  t[110] = {"timer_settime", sys_id_flags_in_out<SYS_timer_settime, 32, 32>, "dxpp"};
  t[111] = {"timer_delete", sys_ints<SYS_timer_delete>, "d"};
  t[112] = {"clock_settime", sys_id_ptr<SYS_clock_settime, 16>, "dp"};
  t[113] = {"clock_gettime", sys_id_ptr<SYS_clock_gettime, 16>, "dp"};
  t[114] = {"clock_getres", sys_id_ptr<SYS_clock_getres, 16>, "dp"};
  t[115] = {"clock_nanosleep", sys_clock_nanosleep, "dxpp"};
  t[115].no_restart = true;
  t[153] = {"times", sys_times, "p"};
  t[169] = {"gettimeofday", sys_gettimeofday, "pp"};
  t[170] = {"settimeofday", sys_settimeofday, "pp"};
  t[171] = {"adjtimex", sys_adjtimex, "p"};
  t[266] = {"clock_adjtime", sys_id_ptr<SYS_clock_adjtime, sizeof(struct timex)>, "dp"};
}

}  // namespace strata::user
