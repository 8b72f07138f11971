#include "devices/char/socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace strata {

namespace {
sockaddr_un address_of(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    fail("socket path '{}' is empty or longer than {} bytes", path, sizeof addr.sun_path - 1);
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}
}  // namespace

SocketCharBackend::SocketCharBackend(const std::string& path, Mode mode) : path_(path), mode_(mode) {
  const sockaddr_un addr = address_of(path);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) fail("cannot create a Unix socket: {}", std::strerror(errno));
  if (mode == Mode::Listen) {
    // A socket left behind by an earlier run would make bind fail; anything else stays.
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path.c_str());
    if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 1) != 0) {
      const int err = errno;
      close(fd);
      fail("cannot listen on {}: {}", path, std::strerror(err));
    }
    listen_fd_ = fd;
  } else {
    // Connecting a non-blocking Unix stream socket completes at once or fails (EAGAIN: the
    // listener's backlog is full).
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      const int err = errno;
      close(fd);
      fail("cannot connect to {}: {}", path, std::strerror(err));
    }
    peer_fd_ = fd;
  }
}

SocketCharBackend::~SocketCharBackend() {
  stop();
  if (peer_fd_ >= 0) close(peer_fd_);
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    unlink(path_.c_str());
  }
}

void SocketCharBackend::write(std::span<const uint8_t> bytes) {
  if (peer_fd_ < 0) {
    dropped_ += bytes.size();
    return;
  }
  {
    std::lock_guard lock(out_mutex_);
    if (outbox_.size() + bytes.size() > kBacklog) {
      dropped_ += bytes.size();
      return;
    }
    outbox_.insert(outbox_.end(), bytes.begin(), bytes.end());
  }
  wake_.wake();
}

void SocketCharBackend::start() {
  if (started_) return;
  started_ = true;
  stopping_ = false;
  io_ = std::thread([this] { io_loop(); });
}

void SocketCharBackend::stop() {
  if (!started_) return;
  started_ = false;
  stopping_ = true;
  wake_.wake();
  io_.join();
}

void SocketCharBackend::drop_peer() {
  close(peer_fd_);
  peer_fd_ = -1;
  std::lock_guard lock(out_mutex_);
  outbox_.clear();
}

bool SocketCharBackend::flush() {
  std::lock_guard lock(out_mutex_);
  while (!outbox_.empty()) {
    const ssize_t n = send(peer_fd_, outbox_.data(), outbox_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      outbox_.erase(outbox_.begin(), outbox_.begin() + n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);  // full for now, or gone
  }
  return true;
}

void SocketCharBackend::io_loop() {
  while (!stopping_) {
    const int peer = peer_fd_;
    bool want_out;
    {
      std::lock_guard lock(out_mutex_);
      want_out = !outbox_.empty();
    }
    pollfd fds[2] = {{wake_.fd(), POLLIN, 0}, {-1, 0, 0}};
    if (peer >= 0)
      fds[1] = {peer, short(POLLIN | (want_out ? POLLOUT : 0)), 0};
    else if (listen_fd_ >= 0)
      fds[1] = {listen_fd_, POLLIN, 0};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents) wake_.drain();
    if (!fds[1].revents) continue;
    if (peer < 0) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        std::lock_guard lock(out_mutex_);
        outbox_.clear();  // anything queued while nobody listened is not the new peer's
        peer_fd_ = fd;
      }
      continue;
    }
    if (fds[1].revents & POLLOUT && !flush()) {
      drop_peer();
      continue;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      uint8_t buf[4096];
      const ssize_t n = recv(peer, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        for (ssize_t i = 0; i < n; i++) deliver(buf[i]);
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        drop_peer();  // the peer left; a listener waits for the next one
      }
    }
  }
}

}  // namespace strata
