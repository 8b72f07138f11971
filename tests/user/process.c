/* Processes: fork and wait statuses, execve of riscv64 programs (this one, again) and of
   scripts with host or riscv64 interpreters, vfork/posix_spawn, wait4 rusage, ids. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char** environ;

static char self[PATH_MAX];

/* Runs argv with stdout into a pipe; returns the exit status and the output. */
static int capture(char* const argv[], char* out, size_t size) {
  int p[2];
  if (pipe(p)) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    execve(argv[0], argv, environ);
    _exit(127);
  }
  close(p[1]);
  size_t got = 0;
  ssize_t n;
  while (got + 1 < size && (n = read(p[0], out + got, size - 1 - got)) > 0) got += n;
  out[got] = 0;
  close(p[0]);
  int status;
  waitpid(pid, &status, 0);
  return status;
}

int main(int argc, char** argv) {
  if (argc >= 2 && !strcmp(argv[1], "child")) {
    printf("child argv0=%s n=%d last=%s env=%s\n", argv[0], argc, argv[argc - 1], getenv("STRATA_TEST_VAR"));
    return 7;
  }
  if (argc >= 2 && !strcmp(argv[1], "interp-mode")) {
    printf("interpreted %s %s\n", strrchr(argv[2], '/') + 1, argv[3]);
    return 0;
  }
  CHECK(realpath("/proc/self/exe", self) != NULL);

  /* fork + exit status */
  pid_t pid = fork();
  if (pid == 0) _exit(42);
  CHECK(pid > 0);
  int status;
  CHECK_EQ(waitpid(pid, &status, 0), pid);
  CHECK(WIFEXITED(status));
  CHECK_EQ(WEXITSTATUS(status), 42);

  /* a child killed by a signal */
  pid = fork();
  if (pid == 0) {
    pause();
    _exit(0);
  }
  usleep(20000);
  kill(pid, SIGTERM);
  CHECK_EQ(waitpid(pid, &status, 0), pid);
  CHECK(WIFSIGNALED(status));
  CHECK_EQ(WTERMSIG(status), SIGTERM);

  /* a child dying of an unhandled fault */
  pid = fork();
  if (pid == 0) {
    *(volatile int*)(uintptr_t)atoi("16") = 1;
    _exit(0);
  }
  CHECK_EQ(waitpid(pid, &status, 0), pid);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);

  /* memory is copied, not shared, after fork */
  static int shared_check = 1;
  pid = fork();
  if (pid == 0) {
    shared_check = 2;
    _exit(shared_check);
  }
  waitpid(pid, &status, 0);
  CHECK_EQ(WEXITSTATUS(status), 2);
  CHECK_EQ(shared_check, 1);

  /* getppid in the child, wait4 with rusage */
  int p[2];
  pipe(p);
  pid = fork();
  if (pid == 0) {
    pid_t pp = getppid();
    write(p[1], &pp, sizeof pp);
    _exit(0);
  }
  pid_t reported = 0;
  read(p[0], &reported, sizeof reported);
  CHECK_EQ(reported, getpid());
  struct rusage ru;
  CHECK_EQ(wait4(pid, &status, 0, &ru), pid);
  CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_maxrss > 0);
  close(p[0]);
  close(p[1]);

  /* execve of a riscv64 program (this one) runs under Strata again */
  setenv("STRATA_TEST_VAR", "passed-through", 1);
  char out[512];
  char* args[] = {self, "child", "two words", NULL};
  status = capture(args, out, sizeof out);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
  char want[PATH_MAX + 100];
  snprintf(want, sizeof want, "child argv0=%s n=3 last=two words env=passed-through\n", self);
  CHECK(strcmp(out, want) == 0);
  if (strcmp(out, want)) printf("got: %s", out);

  /* scripts: a host interpreter, and a riscv64 interpreter (this program) */
  char script[64];
  snprintf(script, sizeof script, "/tmp/strata-script-%d", getpid());
  FILE* f = fopen(script, "w");
  fprintf(f, "#!/bin/sh\necho host-shell \"$1\"\n");
  fclose(f);
  chmod(script, 0755);
  char* sargs[] = {script, "arg1", NULL};
  status = capture(sargs, out, sizeof out);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(strcmp(out, "host-shell arg1\n") == 0);
  f = fopen(script, "w");
  fprintf(f, "#!%s interp-mode\n", self);
  fclose(f);
  status = capture(sargs, out, sizeof out);
  snprintf(want, sizeof want, "interpreted %s arg1\n", strrchr(script, '/') + 1);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(strcmp(out, want) == 0);
  unlink(script);

  /* exec failures come back as errors */
  char* bad[] = {"/nonexistent/program", NULL};
  CHECK_EQ(execve(bad[0], bad, environ), -1);
  CHECK_EQ(errno, ENOENT);
  char* dir[] = {"/tmp", NULL};
  CHECK_EQ(execve(dir[0], dir, environ), -1);
  CHECK_EQ(errno, EACCES);

  /* posix_spawn (vfork-style clone) and system() */
  pid_t sp;
  char* spargs[] = {self, "child", "spawned", NULL};
  int devnull = open("/dev/null", O_WRONLY);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, devnull, 1);
  CHECK_EQ(posix_spawn(&sp, self, &fa, NULL, spargs, environ), 0);
  CHECK_EQ(waitpid(sp, &status, 0), sp);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
  status = system("exit 3");
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
  pid = vfork();
  if (pid == 0) _exit(9);
  CHECK_EQ(waitpid(pid, &status, 0), pid);
  CHECK_EQ(WEXITSTATUS(status), 9);

  /* ids */
  CHECK(getpid() > 1);
  CHECK_EQ(gettid(), getpid());
  CHECK_EQ(getpgid(0), getpgrp());
  /* 0 when the session leader lives outside our PID namespace (containers, CI). */
  CHECK(getsid(0) >= 0);
  uid_t r, e, s;
  CHECK_EQ(getresuid(&r, &e, &s), 0);
  CHECK_EQ(r, getuid());
  return report("process");
}
