/* Threads on host threads: pthread_create/join, mutexes and condition variables, TLS,
   raw futex wait/wake, gettid, a signal sent to one thread, and exit from a thread. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

enum { kThreads = 8, kIncrements = 20000 };

static atomic_long counter;
static long plain_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready;
static __thread int tls_value = 5;
static pid_t tids[kThreads];

static void* worker(void* arg) {
  long id = (long)arg;
  tids[id] = gettid();
  tls_value = (int)id * 10;
  for (int i = 0; i < kIncrements; ++i) {
    atomic_fetch_add(&counter, 1);
    pthread_mutex_lock(&lock);
    plain_counter++;
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  ready++;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  return (void*)(long)(tls_value + 1);
}

static uint32_t futex_word;
static void* futex_waker(void* arg) {
  usleep(50000);
  __atomic_store_n(&futex_word, 1, __ATOMIC_SEQ_CST);
  syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  return NULL;
}

static volatile pid_t handled_on;
static void on_usr1(int sig) { handled_on = gettid(); }
static void* sleeper(void* arg) {
  *(pid_t*)arg = gettid();
  for (int i = 0; i < 200 && !handled_on; ++i) usleep(5000);
  return NULL;
}

static void* exits_early(void* arg) {
  pthread_exit((void*)123);
  return NULL;
}

int main(void) {
  pthread_t t[kThreads];
  for (long i = 0; i < kThreads; ++i) CHECK_EQ(pthread_create(&t[i], NULL, worker, (void*)i), 0);
  pthread_mutex_lock(&lock);
  while (ready < kThreads) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  for (long i = 0; i < kThreads; ++i) {
    void* ret;
    CHECK_EQ(pthread_join(t[i], &ret), 0);
    CHECK_EQ((long)ret, i * 10 + 1);
  }
  CHECK_EQ(atomic_load(&counter), (long)kThreads * kIncrements);
  CHECK_EQ(plain_counter, (long)kThreads * kIncrements);
  CHECK_EQ(tls_value, 5);
  for (int i = 0; i < kThreads; ++i) {
    CHECK(tids[i] != getpid());
    for (int j = 0; j < i; ++j) CHECK(tids[i] != tids[j]);
  }

  /* futex: wait until another thread changes the word */
  pthread_t w;
  pthread_create(&w, NULL, futex_waker, NULL);
  while (__atomic_load_n(&futex_word, __ATOMIC_SEQ_CST) == 0) {
    long r = syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    CHECK(r == 0 || errno == EAGAIN || errno == EINTR);
  }
  pthread_join(w, NULL);
  struct timespec to = {0, 10000000};
  uint32_t word = 3;
  CHECK_EQ(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 3, &to, NULL, 0), -1);
  CHECK_EQ(errno, ETIMEDOUT);
  CHECK_EQ(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, &to, NULL, 0), -1);
  CHECK_EQ(errno, EAGAIN);

  /* a signal aimed at one thread runs there */
  signal(SIGUSR1, on_usr1);
  pid_t target = 0;
  pthread_t s;
  pthread_create(&s, NULL, sleeper, &target);
  while (!__atomic_load_n(&target, __ATOMIC_SEQ_CST)) usleep(1000);
  CHECK_EQ(syscall(SYS_tgkill, getpid(), target, SIGUSR1), 0);
  pthread_join(s, NULL);
  CHECK_EQ(handled_on, target);

  void* ret;
  pthread_t e;
  pthread_create(&e, NULL, exits_early, NULL);
  CHECK_EQ(pthread_join(e, &ret), 0);
  CHECK_EQ((long)ret, 123);

  /* many short-lived threads */
  for (int round = 0; round < 50; ++round) {
    pthread_t q;
    CHECK_EQ(pthread_create(&q, NULL, exits_early, NULL), 0);
    pthread_join(q, NULL);
  }
  return report("threads");
}
