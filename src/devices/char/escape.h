#pragma once
// The terminal's escape prefix, as QEMU's: Ctrl-A X quits, Ctrl-A Ctrl-A sends one Ctrl-A,
// Ctrl-A H prints the keys; any other key after Ctrl-A is swallowed.
#include <cstdint>

namespace strata {

class EscapeFilter {
 public:
  static constexpr uint8_t kEscape = 0x01;  // Ctrl-A
  enum class Action { Swallow, Deliver, Quit, Help };

  // What to do with `byte`; Deliver means pass `byte` itself to the guest.
  Action feed(uint8_t byte) {
    if (!escaped_) {
      if (byte != kEscape) return Action::Deliver;
      escaped_ = true;
      return Action::Swallow;
    }
    escaped_ = false;
    switch (byte) {
      case kEscape:
        return Action::Deliver;
      case 'x':
      case 'X':
        return Action::Quit;
      case 'h':
      case 'H':
      case '?':
        return Action::Help;
      default:
        return Action::Swallow;
    }
  }

  static constexpr const char* kHelp =
      "\r\nC-a x    exit\r\nC-a C-a  send C-a\r\nC-a h    print this help\r\n";

 private:
  bool escaped_ = false;
};

}  // namespace strata
