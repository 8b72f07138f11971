/* Files and directories: open/read/write, vectors, stat layouts, statx, directories, links,
   fcntl, pipes, /proc/self/exe and /proc/self/maps. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static char dir[256];

static void path(char* out, const char* leaf) { snprintf(out, 512, "%s/%s", dir, leaf); }

int main(int argc, char** argv) {
  umask(022);
  snprintf(dir, sizeof dir, "/tmp/strata-fs-%d", getpid());
  CHECK_EQ(mkdir(dir, 0755), 0);
  CHECK_EQ(mkdir(dir, 0755), -1);
  CHECK_EQ(errno, EEXIST);
  char f[512], g[512], l[512];
  path(f, "file");
  path(g, "renamed");
  path(l, "link");

  int fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0640);
  CHECK(fd >= 3);
  CHECK_EQ(write(fd, "hello, world\n", 13), 13);
  CHECK_EQ(lseek(fd, 7, SEEK_SET), 7);
  char buf[64] = {0};
  CHECK_EQ(read(fd, buf, 5), 5);
  CHECK(memcmp(buf, "world", 5) == 0);
  CHECK_EQ(pwrite(fd, "W", 1, 7), 1);
  CHECK_EQ(pread(fd, buf, 13, 0), 13);
  CHECK(memcmp(buf, "hello, World\n", 13) == 0);
  struct iovec iov[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
  CHECK_EQ(lseek(fd, 0, SEEK_END), 13);
  CHECK_EQ(writev(fd, iov, 3), 6);
  char x[2], y[4];
  struct iovec riov[2] = {{x, 2}, {y, 4}};
  CHECK_EQ(preadv(fd, riov, 2, 13), 6);
  CHECK(memcmp(x, "ab", 2) == 0 && memcmp(y, "cdef", 4) == 0);

  /* stat in the riscv64 layout: compare with what we know. */
  struct stat st;
  CHECK_EQ(fstat(fd, &st), 0);
  CHECK_EQ(st.st_size, 19);
  CHECK_EQ(st.st_mode & 0777, 0640);
  CHECK(S_ISREG(st.st_mode));
  CHECK_EQ(st.st_nlink, 1);
  CHECK_EQ(st.st_uid, getuid());
  CHECK(st.st_blksize > 0);
  CHECK(st.st_mtim.tv_sec > 1600000000);
  struct stat st2;
  CHECK_EQ(stat(f, &st2), 0);
  CHECK_EQ(st2.st_ino, st.st_ino);
  CHECK_EQ(st2.st_dev, st.st_dev);
  struct statx sx;
  CHECK_EQ(statx(AT_FDCWD, f, 0, STATX_ALL, &sx), 0);
  CHECK_EQ(sx.stx_size, 19);
  CHECK_EQ(sx.stx_ino, st.st_ino);
  CHECK_EQ(fstatat(AT_FDCWD, "/nonexistent/x", &st2, 0), -1);
  CHECK_EQ(errno, ENOENT);
  CHECK_EQ(stat((const char*)8, &st2), -1);
  CHECK_EQ(errno, EFAULT);

  /* fcntl, dup, flock */
  int d = dup(fd);
  CHECK(d > fd);
  CHECK_EQ(fcntl(d, F_GETFD), 0);
  CHECK_EQ(fcntl(d, F_SETFD, FD_CLOEXEC), 0);
  CHECK_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
  CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
  struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4};
  CHECK_EQ(fcntl(fd, F_SETLK, &lk), 0);
  lk.l_type = F_RDLCK;
  CHECK_EQ(fcntl(fd, F_GETLK, &lk), 0);
  CHECK_EQ(lk.l_type, F_UNLCK); /* our own lock does not conflict */
  CHECK_EQ(flock(fd, LOCK_EX), 0);
  CHECK_EQ(dup2(fd, 100), 100);
  CHECK_EQ(close(100), 0);
  CHECK_EQ(close(100), -1);
  CHECK_EQ(errno, EBADF);
  close(d);
  close(fd);

  /* links and names */
  CHECK_EQ(symlink("file", l), 0);
  char target[64] = {0};
  CHECK_EQ(readlink(l, target, sizeof target), 4);
  CHECK(strcmp(target, "file") == 0);
  CHECK_EQ(lstat(l, &st2), 0);
  CHECK(S_ISLNK(st2.st_mode));
  CHECK_EQ(rename(f, g), 0);
  CHECK_EQ(access(f, F_OK), -1);
  CHECK_EQ(access(g, R_OK | W_OK), 0);
  char hard[512];
  path(hard, "hard");
  CHECK_EQ(link(g, hard), 0);
  CHECK_EQ(stat(g, &st2), 0);
  CHECK_EQ(st2.st_nlink, 2);
  CHECK_EQ(truncate(g, 3), 0);
  CHECK_EQ(stat(hard, &st2), 0);
  CHECK_EQ(st2.st_size, 3);
  struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
  CHECK_EQ(utimensat(AT_FDCWD, g, times, 0), 0);
  CHECK_EQ(stat(g, &st2), 0);
  CHECK_EQ(st2.st_mtim.tv_sec, 1234567890);
  CHECK_EQ(st2.st_mtim.tv_nsec, 123456789);
  CHECK_EQ(chmod(g, 0600), 0);
  CHECK_EQ(stat(g, &st2), 0);
  CHECK_EQ(st2.st_mode & 0777, 0600);

  /* directories */
  DIR* dp = opendir(dir);
  CHECK(dp != NULL);
  int seen = 0;
  struct dirent* e;
  while (dp && (e = readdir(dp)) != NULL) {
    if (!strcmp(e->d_name, "renamed")) seen |= 1;
    if (!strcmp(e->d_name, "link")) {
      seen |= 2;
      CHECK_EQ(e->d_type, DT_LNK);
    }
    if (!strcmp(e->d_name, "hard")) seen |= 4;
  }
  if (dp) closedir(dp);
  CHECK_EQ(seen, 7);
  char cwd[PATH_MAX];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  CHECK_EQ(chdir(dir), 0);
  char here[PATH_MAX];
  CHECK(getcwd(here, sizeof here) != NULL);
  CHECK(strcmp(here, dir) == 0);
  CHECK_EQ(access("renamed", F_OK), 0);
  CHECK_EQ(chdir(cwd), 0);

  /* pipes */
  int p[2];
  CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
  CHECK_EQ(write(p[1], "xyz", 3), 3);
  int avail = 0;
  CHECK_EQ(ioctl(p[0], FIONREAD, &avail), 0);
  CHECK_EQ(avail, 3);
  CHECK_EQ(read(p[0], buf, sizeof buf), 3);
  close(p[1]);
  CHECK_EQ(read(p[0], buf, sizeof buf), 0);
  close(p[0]);
  struct winsize ws;
  CHECK_EQ(ioctl(p[0] = open("/dev/null", O_RDONLY), TIOCGWINSZ, &ws), -1);
  CHECK_EQ(errno, ENOTTY);
  close(p[0]);

  /* /proc/self/exe is the guest program; /proc/self/maps lists its mappings */
  char exe[PATH_MAX] = {0}, real[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  CHECK(n > 0);
  CHECK(realpath(argv[0], real) != NULL);
  CHECK(strcmp(exe, real) == 0);
  FILE* maps = fopen("/proc/self/maps", "r");
  CHECK(maps != NULL);
  int stack = 0, prog = 0;
  char line[512];
  while (maps && fgets(line, sizeof line, maps)) {
    if (strstr(line, "[stack]")) stack = 1;
    if (strstr(line, real) && strstr(line, "r-xp")) prog = 1;
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) CHECK(hi > lo && hi <= (1ul << 38));
  }
  if (maps) fclose(maps);
  CHECK(stack && prog);
  int self = open("/proc/self/exe", O_RDONLY);
  CHECK(self >= 0);
  char magic[4];
  CHECK_EQ(read(self, magic, 4), 4);
  CHECK(memcmp(magic, "\x7f" "ELF", 4) == 0);
  close(self);

  /* cleanup */
  CHECK_EQ(unlink(l), 0);
  CHECK_EQ(unlink(g), 0);
  CHECK_EQ(unlink(hard), 0);
  CHECK_EQ(rmdir(dir), 0);
  return report("fs");
}
