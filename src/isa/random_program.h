#pragma once
// Random straight-line-ish programs drawn from the instruction table, for differential
// testing against another engine. Every generated block is valid to run from any register
// state: memory operations are preceded by an addi that points their base register into a
// data window around the base register x31 (which nothing else writes), and control flow
// only goes forward inside the block, so every block ends at its last byte.
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "isa/spec.h"

namespace strata {

struct RandomProgramOptions {
  bool compressed = true;
  bool atomics = true;
  bool floating_point = false;
  bool bitmanip = false;  // Zba/Zbb/Zbs/Zicond (engines without them exclude these)
  std::set<Op> excluded;  // operations the other engine is known to get wrong
};

class RandomProgram {
 public:
  // Data accesses stay within [x31 - kWindow, x31 + kWindow).
  static constexpr int64_t kWindow = 2048 + 1024;
  static constexpr unsigned kDataBaseReg = 31;

  RandomProgram(uint64_t seed, RandomProgramOptions options);

  // About `count` instructions (addi prefixes included) for code placed at `pc`.
  std::vector<uint8_t> block(uint64_t pc, unsigned count);

  std::mt19937_64& rng() { return rng_; }

 private:
  struct Item;
  bool pick(Item& item);
  uint32_t random_word(const InstrSpec& spec);

  std::mt19937_64 rng_;
  std::vector<const InstrSpec*> rows_;
};

}  // namespace strata
