#pragma once
// `strata run --bare PROGRAM.elf`: one hart in M-mode on RAM at 0x80000000 with the HTIF
// tohost/fromhost convention of the RISC-V self-checking test suites and a syscon poweroff.
#include <cstdint>
#include <string>

namespace strata {

struct BareOptions {
  std::string program;
  uint64_t memory_bytes = 128ull << 20;
  bool trace = false;               // print every executed instruction with its disassembly
  uint64_t max_instructions = 0;    // 0: no limit
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
