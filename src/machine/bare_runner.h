#pragma once
// `strata run --bare PROGRAM.elf`: one hart in M-mode on RAM at 0x80000000 with the HTIF
// tohost/fromhost convention of the RISC-V self-checking test suites (machine/htif.h), the
// syscon poweroff register, a CLINT and a 16550 UART (output to stdout, no input, no
// interrupt controller), all at the virt board's addresses.
//
// The hart runs in slices; tohost and the syscon are polled between slices. WFI sleeps
// until an armed timer (CLINT mtimecmp or Sstc stimecmp, enabled in mie) fires; a WFI that
// nothing could ever wake ends the run with kBareFail and a message.
#include <cstdint>
#include <string>

#include "cpu/engine_kind.h"

namespace strata {

struct BareOptions {
  std::string program;
  uint64_t memory_bytes = 128ull << 20;
  bool trace = false;             // print every executed instruction with its disassembly
  uint64_t max_instructions = 0;  // 0: no limit
  EngineConfig engine;            // what runs the hart
};

// Exit statuses of a bare run (also documented in `strata run --help`).
inline constexpr int kBarePass = 0;
inline constexpr int kBareFail = 1;
inline constexpr int kBareBadInput = 2;
inline constexpr int kBareInstructionLimit = 3;

// Runs the program to its end and returns the process exit status. Bad input (missing or
// truncated file, a non-RISC-V ELF, a segment outside RAM) prints one line on stderr and
// returns kBareBadInput before anything runs.
int run_bare(const BareOptions& options);

}  // namespace strata
