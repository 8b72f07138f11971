#pragma once
// `strata run --kernel IMAGE ...`: a Linux guest on the virt board. Everything the user named
// is checked and loaded before the guest starts; a problem is one line on stderr and
// kBadInput. Then the harts run until the guest powers off or reboots (status 0), reports a
// failure (1), the machine cannot go on (3), or the user quits (Ctrl-A X on the terminal,
// SIGINT/SIGTERM/SIGHUP from outside; status 0). The terminal is restored on every path.
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/engine_kind.h"

namespace strata {

inline constexpr const char* kDefaultAppend = "console=ttyS0 earlycon=sbi";

struct LinuxOptions {
  std::string kernel;
  std::string initrd;
  std::string append = kDefaultAppend;
  std::vector<std::string> drives;  // --drive values, as typed
  std::string net = "none";         // --net value, as typed
  unsigned cpus = 1;
  uint64_t memory_bytes = 256ull << 20;
  std::string bios;                              // empty: the built-in SBI
  std::string dump_dtb;                          // write the device tree here and exit
  std::vector<std::string> console = {"stdio"};  // char back ends (devices/char/open.h)
  std::vector<std::string> virtio_console;       // empty: no virtio-console
  EngineConfig engine;                           // what runs the harts
  bool jit_stats = false;                        // every hart's JIT report on stderr at the end
};

// Runs the guest and returns the process exit status (board.h: kGuestDone ...).
int run_linux(const LinuxOptions& options);

}  // namespace strata
