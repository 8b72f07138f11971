#pragma once
// The terminal as a character back end (QEMU's `-serial stdio`): guest output to `out_fd`,
// keyboard input from `in_fd` read by a thread of ours. When `in_fd` is a tty it is put in
// raw mode on start() and restored on stop(), at exit and on fatal signals. Ctrl-A X asks to
// quit, Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A H lists the keys. End of input (a pipe or
// file on stdin) just ends the input; it does not quit.
#include <thread>

#include "devices/char/escape.h"
#include "devices/char/wake_fd.h"
#include "devices/char_backend.h"

namespace strata {

class TerminalCharBackend final : public CharBackend {
 public:
  explicit TerminalCharBackend(int in_fd = 0, int out_fd = 1);
  ~TerminalCharBackend() override;

  void write(std::span<const uint8_t> bytes) override;
  void start() override;
  void stop() override;

  bool raw() const { return raw_; }

 private:
  void read_loop();
  void handle(uint8_t byte);

  int in_fd_, out_fd_;
  WakeFd wake_;
  EscapeFilter escape_;
  std::thread reader_;
  bool started_ = false;
  bool raw_ = false;
};

}  // namespace strata
