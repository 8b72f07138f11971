#pragma once
// An eventfd that wakes a back end's poll loop from another thread (a frame to send, a stop
// request). Signalling is async-signal-safe and never blocks.
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "util/error.h"

namespace strata {

class Wakeup {
 public:
  Wakeup() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (fd_ < 0) fail("cannot create an eventfd: {}", std::strerror(errno));
  }
  ~Wakeup() { close(fd_); }
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  int fd() const { return fd_; }
  void signal() const {
    uint64_t one = 1;
    // Only fails when the counter would overflow, and then a wakeup is pending anyway.
    [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
  }
  // Consumes pending signals (the poll loop calls this when fd() is readable).
  void drain() const {
    uint64_t count;
    [[maybe_unused]] ssize_t n = read(fd_, &count, sizeof count);
  }

 private:
  int fd_;
};

}  // namespace strata
