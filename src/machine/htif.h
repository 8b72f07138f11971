#pragma once
// The host-target interface of Spike and the RISC-V test suites: the guest writes a command
// to the 64-bit word `tohost` in RAM and the host answers in `fromhost`. The host polls
// tohost between run slices (the words are ordinary RAM, not MMIO).
//
// A command is device (bits 63:56), command (55:48) and payload (47:0):
//   device 0, command 0, payload odd:  exit; payload >> 1 is 0 for pass or the failing test
//   device 0, command 0, payload even: a proxied system call whose arguments sit in eight
//                                      64-bit words at that physical address (the "magic
//                                      memory" of riscv-tests' benchmarks): write(64) to
//                                      fd 1 or 2 and exit(93); others return -ENOSYS
//   device 1, command 1:               console output of the payload's low byte
//   device 1, command 0:               console input request (there is none: ignored)
// Each handled command clears tohost; console output and system calls also answer in
// fromhost as Spike's front end and QEMU do.
#include <cstdint>
#include <functional>
#include <optional>

namespace strata {

class Bus;

class Htif {
 public:
  struct Exit {
    uint64_t code = 0;  // 0: pass; otherwise the failing test number (or exit status)
  };
  using Output = std::function<void(int fd, const uint8_t* bytes, uint64_t size)>;

  // `tohost` and `fromhost` (if the program has it) are guest physical addresses; both must
  // be 8-byte aligned words in RAM (throws strata::Error otherwise). `output` receives the
  // console and write() bytes for fd 1 or 2.
  Htif(Bus& bus, uint64_t tohost, std::optional<uint64_t> fromhost, Output output);

  // Handles the pending command, if any. Returns the program's exit when it asked to end.
  std::optional<Exit> poll();

 private:
  uint64_t load(uint64_t pa) const;
  void store(uint64_t pa, uint64_t value) const;
  void respond(uint64_t value) const;
  std::optional<Exit> syscall(uint64_t magic);

  Bus& bus_;
  uint64_t tohost_;
  std::optional<uint64_t> fromhost_;
  Output output_;
  bool warned_ = false;
};

}  // namespace strata
