#include "user/threads.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "user/guest_thread.h"
#include "user/process.h"

namespace strata::user {
namespace {

struct ThreadStart {
  GuestThread* thread;
  uint64_t flags, ptid, ctid;
  sem_t started;
  int tid = 0;
};

void copy_state(const Hart& from, Hart& to) {
  to.x = from.x;
  to.f = from.f;
  to.pc = from.pc;
  to.csr.fflags = from.csr.fflags;
  to.csr.frm = from.csr.frm;
  to.csr.mstatus = from.csr.mstatus;
}

void* thread_main(void* arg) {
  auto* start = static_cast<ThreadStart*>(arg);
  GuestThread* t = start->thread;
  t->tid = int(syscall(SYS_gettid));
  const uint32_t tid = uint32_t(t->tid);
  if (start->flags & CLONE_CHILD_SETTID) t->proc.mem.write(start->ctid, &tid, 4);
  if (start->flags & CLONE_PARENT_SETTID) t->proc.mem.write(start->ptid, &tid, 4);
  if (start->flags & CLONE_CHILD_CLEARTID) t->clear_child_tid = start->ctid;
  {
    std::lock_guard lock(t->proc.threads_mutex);
    t->proc.threads.push_back(t);
  }
  start->tid = t->tid;
  sem_post(&start->started);  // `start` belongs to the parent from here on
  set_current_thread(t);
  apply_host_mask(t->sigmask);
  t->run();
  finish_thread(*t);
  delete t;
  return nullptr;
}

int64_t new_thread(GuestThread& parent, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                   uint64_t ctid) {
  auto* child = new GuestThread(parent.proc);
  copy_state(*parent.hart, *child->hart);
  child->hart->x[10] = 0;
  if (newsp) child->hart->x[2] = newsp;
  if (flags & CLONE_SETTLS) child->hart->x[4] = tls;
  child->sigmask = parent.sigmask;

  ThreadStart start{child, flags, ptid, ctid, {}};
  sem_init(&start.started, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 1 << 20);
  // The new host thread starts with every signal blocked (32 and 33 too, which glibc's
  // pthread_sigmask would leave open) until it adopts the guest mask.
  const uint64_t old = block_host_signals();
  parent.proc.live_threads++;
  pthread_t handle;
  const int err = pthread_create(&handle, &attr, thread_main, &start);
  restore_host_signals(old);
  pthread_attr_destroy(&attr);
  if (err) {
    parent.proc.live_threads--;
    delete child;
    sem_destroy(&start.started);
    return -EAGAIN;
  }
  while (sem_wait(&start.started) != 0) {
  }
  sem_destroy(&start.started);
  return start.tid;
}

int64_t new_process(GuestThread& t, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                    uint64_t ctid) {
  // vfork: the parent waits until the child has exec'd or exited, seen as EOF on a pipe
  // whose write end only the child holds (close-on-exec).
  int vfork_pipe[2] = {-1, -1};
  if ((flags & CLONE_VFORK) && pipe2(vfork_pipe, O_CLOEXEC) != 0) return -errno;
  const int exit_signal = int(flags & 0xff);
  pid_t pid;
  t.proc.threads_mutex.lock();
  t.proc.mem.lock_for_fork();
  if (exit_signal == SIGCHLD)
    pid = fork();
  else
    pid = pid_t(syscall(SYS_clone, exit_signal, nullptr, nullptr, nullptr, 0));
  t.proc.mem.unlock_after_fork();
  t.proc.threads_mutex.unlock();
  if (pid < 0) {
    const int e = errno;
    if (vfork_pipe[0] >= 0) {
      close(vfork_pipe[0]);
      close(vfork_pipe[1]);
    }
    return -e;
  }
  if (pid == 0) {
    if (vfork_pipe[0] >= 0) close(vfork_pipe[0]);
    Process& p = t.proc;
    {
      std::lock_guard lock(p.threads_mutex);  // only this thread survived the fork
      p.threads.assign(1, &t);
    }
    p.live_threads = 1;
    t.tid = int(syscall(SYS_gettid));
    Hart& h = *t.hart;
    h.x[10] = 0;
    if (newsp) h.x[2] = newsp;
    if (flags & CLONE_SETTLS) h.x[4] = tls;
    const uint32_t tid = uint32_t(t.tid);
    if (flags & CLONE_CHILD_SETTID) p.mem.write(ctid, &tid, 4);
    if (flags & CLONE_PARENT_SETTID) p.mem.write(ptid, &tid, 4);
    if (flags & CLONE_CHILD_CLEARTID) t.clear_child_tid = ctid;
    return 0;
  }
  const uint32_t child = uint32_t(pid);
  if (flags & CLONE_PARENT_SETTID) t.proc.mem.write(ptid, &child, 4);
  if (vfork_pipe[0] >= 0) {
    close(vfork_pipe[1]);
    char c;
    while (read(vfork_pipe[0], &c, 1) < 0 && errno == EINTR) {
    }
    close(vfork_pipe[0]);
  }
  return pid;
}

}  // namespace

int64_t guest_clone(GuestThread& t, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                    uint64_t ctid) {
  if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
    // Threads need the shared signal handlers and files a host thread has anyway.
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return -EINVAL;
    return new_thread(t, flags, newsp, ptid, tls, ctid);
  }
  if (flags & (CLONE_THREAD | CLONE_SIGHAND)) return -EINVAL;
  return new_process(t, flags, newsp, ptid, tls, ctid);
}

void finish_thread(GuestThread& t) {
  Process& p = t.proc;
  if (t.clear_child_tid) {
    const uint32_t zero = 0;
    if (p.mem.write(t.clear_child_tid, &zero, 4))
      syscall(SYS_futex, p.mem.base() + t.clear_child_tid, FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
  {
    std::lock_guard lock(p.threads_mutex);
    p.threads.erase(std::remove(p.threads.begin(), p.threads.end(), &t), p.threads.end());
  }
  set_current_thread(nullptr);
  if (--p.live_threads == 0) {
    p.print_jit_stats(t);
    syscall(SYS_exit_group, t.exit_status);
  }
  // Other threads go on: the host main thread ends alone; threads Strata made return.
  if (syscall(SYS_gettid) == getpid()) {
    syscall(SYS_exit, t.exit_status);
  }
}

}  // namespace strata::user
