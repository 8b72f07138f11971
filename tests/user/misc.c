/* Time, uname, getrandom, limits, hwprobe, polling (poll, select, epoll), sockets with
   SCM_RIGHTS, eventfd, timerfd. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

struct hwprobe_pair {
  int64_t key;
  uint64_t value;
};

static long long ns(struct timespec t) { return t.tv_sec * 1000000000ll + t.tv_nsec; }

int main(void) {
  struct timespec a, b, res;
  CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
  struct timespec nap = {0, 30000000};
  CHECK_EQ(nanosleep(&nap, NULL), 0);
  CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
  CHECK(ns(b) - ns(a) >= 30000000);
  CHECK(ns(b) - ns(a) < 2000000000);
  CHECK_EQ(clock_getres(CLOCK_MONOTONIC, &res), 0);
  CHECK(res.tv_sec == 0 && res.tv_nsec > 0);
  struct timeval tv;
  CHECK_EQ(gettimeofday(&tv, NULL), 0);
  CHECK(tv.tv_sec > 1600000000);
  CHECK(labs(time(NULL) - tv.tv_sec) <= 1);
  struct tms tm;
  CHECK(times(&tm) != (clock_t)-1);
  /* rdtime counts at the frequency hwprobe reports, close to the monotonic clock */
  uint64_t t0, t1;
  asm volatile("rdtime %0" : "=r"(t0));
  nanosleep(&nap, NULL);
  asm volatile("rdtime %0" : "=r"(t1));
  struct hwprobe_pair pairs[] = {{3, 0}, {4, 0}, {8, 0}, {7, 0}, {12345, 9}};
  CHECK_EQ(syscall(258, pairs, 5, 0, NULL, 0), 0);
  CHECK_EQ(pairs[0].value, 1);                     /* IMA */
  CHECK_EQ(pairs[1].value & 3, 3);                 /* FD and C */
  CHECK(pairs[1].value & (1 << 3));                /* Zba */
  CHECK(!(pairs[1].value & (1 << 2)));             /* no V */
  CHECK(pairs[2].value > 0);
  CHECK_EQ(pairs[3].value, (1ull << 38) - 1);
  CHECK_EQ(pairs[4].key, -1);
  double elapsed = (double)(t1 - t0) / pairs[2].value;
  CHECK(elapsed > 0.025 && elapsed < 1.0);

  struct utsname u;
  CHECK_EQ(uname(&u), 0);
  CHECK(strcmp(u.machine, "riscv64") == 0);
  CHECK(strlen(u.release) > 0);
  unsigned long hw = getauxval(AT_HWCAP);
  CHECK_EQ(hw, (1 << ('i' - 'a')) | (1 << ('m' - 'a')) | (1 << ('a' - 'a')) | (1 << ('f' - 'a')) |
                   (1 << ('d' - 'a')) | (1 << ('c' - 'a')));
  CHECK_EQ(getauxval(AT_PAGESZ), 4096);
  CHECK_EQ(getauxval(AT_SECURE), 0);
  CHECK(getauxval(AT_RANDOM) != 0);
  CHECK(getauxval(AT_ENTRY) != 0);

  /* /proc/self/auxv is the guest's auxiliary vector */
  int afd = open("/proc/self/auxv", O_RDONLY);
  CHECK(afd >= 0);
  unsigned long av[128] = {0};
  ssize_t an = read(afd, av, sizeof av);
  close(afd);
  CHECK(an >= 32 && an % 16 == 0);
  int found_pagesz = 0, found_hwcap = 0;
  for (ssize_t i = 0; i + 1 < an / 8; i += 2) {
    if (av[i] == AT_PAGESZ) found_pagesz = av[i + 1] == 4096;
    if (av[i] == AT_HWCAP) found_hwcap = av[i + 1] == hw;
  }
  CHECK(found_pagesz && found_hwcap);

  unsigned char r1[32], r2[32];
  CHECK_EQ(getrandom(r1, sizeof r1, 0), 32);
  CHECK_EQ(getrandom(r2, sizeof r2, 0), 32);
  CHECK(memcmp(r1, r2, 32) != 0);

  struct rlimit rl;
  CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  CHECK(rl.rlim_cur > 0);
  struct rlimit small = {rl.rlim_cur > 64 ? 64 : rl.rlim_cur, rl.rlim_max};
  CHECK_EQ(setrlimit(RLIMIT_NOFILE, &small), 0);
  CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  CHECK_EQ(rl.rlim_cur, small.rlim_cur);
  struct sysinfo si;
  CHECK_EQ(sysinfo(&si), 0);
  CHECK(si.totalram > 0);
  cpu_set_t cpus;
  CHECK_EQ(sched_getaffinity(0, sizeof cpus, &cpus), 0);
  CHECK(CPU_COUNT(&cpus) >= 1);
  struct rusage ru;
  CHECK_EQ(getrusage(RUSAGE_SELF, &ru), 0);

  /* poll / select / epoll on a pipe */
  int p[2];
  CHECK_EQ(pipe(p), 0);
  struct pollfd pf = {p[0], POLLIN, 0};
  CHECK_EQ(poll(&pf, 1, 0), 0);
  write(p[1], "x", 1);
  CHECK_EQ(poll(&pf, 1, 100), 1);
  CHECK(pf.revents & POLLIN);
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  struct timeval zero = {0, 0};
  CHECK_EQ(select(p[0] + 1, &rd, NULL, NULL, &zero), 1);
  CHECK(FD_ISSET(p[0], &rd));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  CHECK(ep >= 0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
  CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
  struct epoll_event got[4];
  memset(got, 0, sizeof got);
  CHECK_EQ(epoll_wait(ep, got, 4, 100), 1);
  CHECK_EQ(got[0].data.u64, 0x1122334455667788ull);
  CHECK(got[0].events & EPOLLIN);
  char c;
  read(p[0], &c, 1);
  CHECK_EQ(epoll_wait(ep, got, 4, 10), 0);
  close(ep);

  /* eventfd and timerfd */
  int efd = eventfd(3, 0);
  uint64_t val;
  CHECK_EQ(read(efd, &val, 8), 8);
  CHECK_EQ(val, 3);
  close(efd);
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 0}, {0, 20000000}};
  CHECK_EQ(timerfd_settime(tfd, 0, &its, NULL), 0);
  CHECK_EQ(read(tfd, &val, 8), 8);
  CHECK_EQ(val, 1);
  close(tfd);

  /* sockets: a socketpair carrying data and a file descriptor */
  int sv[2];
  CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  char data[] = "with-fd";
  struct iovec iov = {data, sizeof data};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } ctl;
  struct msghdr msg = {0};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctl.buf;
  msg.msg_controllen = sizeof ctl.buf;
  struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
  CHECK_EQ(sendmsg(sv[0], &msg, 0), (long)sizeof data);
  char rbuf[32] = {0};
  struct iovec riov = {rbuf, sizeof rbuf};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } rctl;
  struct msghdr rmsg = {0};
  rmsg.msg_iov = &riov;
  rmsg.msg_iovlen = 1;
  rmsg.msg_control = rctl.buf;
  rmsg.msg_controllen = sizeof rctl.buf;
  CHECK_EQ(recvmsg(sv[1], &rmsg, 0), (long)sizeof data);
  CHECK(strcmp(rbuf, "with-fd") == 0);
  struct cmsghdr* rc = CMSG_FIRSTHDR(&rmsg);
  CHECK(rc != NULL && rc->cmsg_type == SCM_RIGHTS);
  int passed = -1;
  if (rc) memcpy(&passed, CMSG_DATA(rc), sizeof passed);
  CHECK(passed >= 0 && passed != p[1]);
  CHECK_EQ(write(passed, "y", 1), 1);
  CHECK_EQ(read(p[0], &c, 1), 1);
  CHECK_EQ(c, 'y');
  CHECK_EQ(send(sv[1], "back", 4, 0), 4);
  CHECK_EQ(recv(sv[0], rbuf, sizeof rbuf, 0), 4);
  int type = 0;
  socklen_t len = sizeof type;
  CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len), 0);
  CHECK_EQ(type, SOCK_STREAM);
  struct sockaddr_storage addr;
  len = sizeof addr;
  CHECK_EQ(getsockname(sv[0], (struct sockaddr*)&addr, &len), 0);
  CHECK_EQ(addr.ss_family, AF_UNIX);
  return report("misc");
}
