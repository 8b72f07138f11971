/* Exit statuses as the host sees them: `exit N`, death by an unhandled signal, abort(), and
   the main thread leaving first while another thread ends the process. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  fprintf(stderr, "usage: exit_status exit N | segv | abort | kill SIG | main-thread-exits\n");
  return 100;
}
