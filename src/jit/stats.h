#pragma once
// Counters behind --jit-stats. One Stats per hart thread, so plain integers: no atomics on the
// hot path; the owner sums them with merge() when it prints the report.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "isa/op.h"

namespace strata::jit {

// Why translated code returned to the dispatcher.
enum class ExitKind : uint8_t {
  Budget,           // the instruction budget ran out
  Interrupt,        // an interrupt became pending
  Trap,             // a guest exception
  Syscall,          // ecall handled outside the JIT
  Leave,            // the block had no chained successor: back to the dispatcher
  CodeInvalidated,  // guest code was written or fence.i/sfence.vma dropped translations
  Count
};

constexpr size_t kExitKindCount = size_t(ExitKind::Count);

std::string_view exit_kind_name(ExitKind reason);

struct Stats {
  uint64_t blocks_translated = 0;
  uint64_t instructions_translated = 0;   // guest instructions in those blocks
  uint64_t instructions_interpreted = 0;  // run by the interpreter in the runs below
  uint64_t code_bytes = 0;                // host code emitted (across flushes)
  uint64_t cache_flushes = 0;
  uint64_t blocks_invalidated = 0;  // dropped because their guest bytes changed
  uint64_t chain_hits = 0;          // a block exit went straight to a translated successor
  uint64_t chain_misses = 0;
  uint64_t indirect_hits = 0;  // jalr target found in the lookup table
  uint64_t indirect_misses = 0;
  // Runs handed to the interpreter (cold code, a budget shorter than a block, a straddling
  // instruction, a faulting fetch), by the operation each starts at.
  std::array<uint64_t, kOpCount> fallbacks{};
  std::array<uint64_t, kExitKindCount> exits{};

  void fallback(Op op) { fallbacks[size_t(op)]++; }
  void exit(ExitKind reason) { exits[size_t(reason)]++; }

  // Adds every counter of `other` to this one.
  void merge(const Stats& other);
};

// A readable multi-line table: totals, hit rates, cache use, exits and the top 10 fallbacks.
std::string report(const Stats& stats, size_t cache_used, size_t cache_capacity);

}  // namespace strata::jit
