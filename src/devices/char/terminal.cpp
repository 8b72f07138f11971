#include "devices/char/terminal.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "devices/char/fd_io.h"
#include "devices/char/terminal_mode.h"

namespace strata {

TerminalCharBackend::TerminalCharBackend(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {}

TerminalCharBackend::~TerminalCharBackend() { stop(); }

void TerminalCharBackend::write(std::span<const uint8_t> bytes) {
  // A terminal that went away (EIO, EPIPE) drops the output; the guest keeps running.
  write_all(out_fd_, bytes.data(), bytes.size());
}

void TerminalCharBackend::start() {
  if (started_) return;
  started_ = true;
  raw_ = terminal_mode::enter_raw(in_fd_);
  reader_ = std::thread([this] { read_loop(); });
}

void TerminalCharBackend::stop() {
  if (!started_) return;
  started_ = false;
  wake_.wake();
  reader_.join();
  wake_.drain();
  if (raw_) terminal_mode::restore();
  raw_ = false;
}

void TerminalCharBackend::handle(uint8_t byte) {
  switch (escape_.feed(byte)) {
    case EscapeFilter::Action::Deliver:
      deliver(byte);
      break;
    case EscapeFilter::Action::Quit:
      quit();
      break;
    case EscapeFilter::Action::Help:
      write_all(out_fd_, reinterpret_cast<const uint8_t*>(EscapeFilter::kHelp),
                std::strlen(EscapeFilter::kHelp));
      break;
    case EscapeFilter::Action::Swallow:
      break;
  }
}

void TerminalCharBackend::read_loop() {
  bool input_open = true;
  for (;;) {
    pollfd fds[2] = {{wake_.fd(), POLLIN, 0}, {input_open ? in_fd_ : -1, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents) return;  // stop()
    if (!fds[1].revents) continue;
    uint8_t buf[256];
    const ssize_t n = ::read(in_fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      input_open = false;  // end of input or a dead terminal: wait for stop() only
      continue;
    }
    for (ssize_t i = 0; i < n; i++) handle(buf[i]);
  }
}

}  // namespace strata
