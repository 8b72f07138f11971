#pragma once
// The host side of a character device (16550 UART, virtio-console, the SBI console):
// where guest output goes and where guest input comes from. Implementations are in
// devices/char/: the terminal in raw mode (Ctrl-A X quits), a file (output only), a Unix
// socket, a tee of several, memory and null ones; devices/char/open.h parses their
// command-line spelling. write() may be called from several threads at once.
#include <cstdint>
#include <functional>
#include <span>

namespace strata {

class CharBackend {
 public:
  virtual ~CharBackend() = default;

  // Guest output. Never blocks a vCPU for long (a slow reader loses nothing but may be
  // buffered).
  virtual void write(std::span<const uint8_t> bytes) = 0;

  // Guest input: the backend calls `sink` from its own thread for each byte the host side
  // sends. Set once, before start(); the device buffers what it cannot take yet.
  void set_input_sink(std::function<void(uint8_t)> sink) { input_sink_ = std::move(sink); }
  // The user asked to leave (Ctrl-A X on the terminal, peer closed where that means quit).
  void set_quit_handler(std::function<void()> handler) { quit_handler_ = std::move(handler); }

  // Starts delivering input; stop() ends it and restores whatever the backend changed
  // (terminal modes). Both are idempotent.
  virtual void start() {}
  virtual void stop() {}

 protected:
  void deliver(uint8_t byte) const {
    if (input_sink_) input_sink_(byte);
  }
  void quit() const {
    if (quit_handler_) quit_handler_();
  }

 private:
  std::function<void(uint8_t)> input_sink_;
  std::function<void()> quit_handler_;
};

}  // namespace strata
