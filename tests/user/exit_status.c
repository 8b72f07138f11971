/* Exit statuses as the host sees them: `exit N`, death by an unhandled signal, abort(), and
   the main thread leaving first while another thread ends the process. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void* late_exit(void* arg) {
  usleep(50000);
  exit(5);
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "exit")) return atoi(argv[2]);
  if (!strcmp(mode, "segv")) *(volatile int*)0 = 1;
  if (!strcmp(mode, "abort")) abort();
  if (!strcmp(mode, "kill")) raise(atoi(argv[2]));
  if (!strcmp(mode, "main-thread-exits")) {
    pthread_t t;
    pthread_create(&t, NULL, late_exit, NULL);
    pthread_exit(NULL);
  }
  if (!strcmp(mode, "getenv")) {
    const char* v = getenv(argv[2]);
    printf("%s=%s\n", argv[2], v ? v : "(unset)");
    return 0;
  }
  if (!strcmp(mode, "nosys")) { /* an unknown syscall: ENOSYS each time, one warning in all */
    long a = syscall(404), ea = errno;
    long b = syscall(404), eb = errno;
    return a == -1 && b == -1 && ea == ENOSYS && eb == ENOSYS ? 0 : 1;
  }
  fprintf(stderr, "usage: exit_status exit N | segv | abort | kill SIG | main-thread-exits | getenv NAME | nosys\n");
  return 100;
}
