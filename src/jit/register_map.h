#pragma once
// Which guest registers live in host registers while translated code runs. One map serves
// every block of a JIT, so a block goes on to the next one (chained, or through the jump
// cache) with the registers still in host registers: they are stored to the hart only when
// code leaves for the dispatcher or calls a semantic function that reads them, and loaded
// only when the dispatcher enters a block. A hot loop spread over several blocks then runs
// without a store and a load of its registers at every block boundary.
//
// The map follows the program: it starts as a guess from the calling convention and is
// chosen again from the register uses of the blocks translated so far, after the first 512
// blocks and then at intervals growing sixteenfold. A new map means retranslating everything
// (the owner flushes), so it is taken only when it covers a quarter more uses than the old.
#include <array>
#include <cstdint>

#include "jit/block_builder.h"

namespace strata::jit {

// Guest registers a map may keep in host registers (see guest_operand.h for which).
constexpr unsigned kCachedRegs = 9;
constexpr unsigned kCalleeSavedCached = 4;  // the first four survive calls

using RegisterMap = std::array<int, kCachedRegs>;  // the guest register of each slot, -1 none

class RegisterPlanner {
 public:
  RegisterPlanner();
  const RegisterMap& map() const { return map_; }
  // Adds the uses of a block about to be translated.
  void count(const GuestBlock& block);
  // With `translated` blocks made so far: chooses the map again when it is time to, and
  // returns true when the map changed (the owner must drop every block made with the old one).
  bool rechoose(uint64_t translated);

 private:
  RegisterMap map_;
  std::array<uint64_t, 33> uses_{};
  uint64_t next_choice_ = 512;
};

}  // namespace strata::jit
