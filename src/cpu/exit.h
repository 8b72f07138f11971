#pragma once
// Why Hart::run() returned. A trap is not an exit: it changes the hart's state and
// execution goes on, except under user-mode ABI emulation where there is no guest kernel.
#include <cstdint>

namespace strata {

enum class ExitReason : uint8_t {
  BudgetSpent,       // ran the whole budget
  WaitForInterrupt,  // WFI with nothing pending: the caller may sleep until an interrupt
  Breakpoint,        // ebreak with a debugger attached
  Shutdown,          // the machine asked to power off; detail = exit status
  Reset,             // the machine asked to reboot
  Syscall,           // user-mode emulation: ecall from the guest (a7 holds the number)
  UserTrap,          // user-mode emulation: a fault; detail = cause, hart.trap_tval = tval
  Fatal,             // the emulator cannot go on (detail says why)
};

struct Exit {
  ExitReason reason;
  uint64_t detail = 0;
};

}  // namespace strata
