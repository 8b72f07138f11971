#pragma once
// What an instruction's semantics tell the engine that ran them. Both engines turn it into
// their own control flow: the interpreter into its next slot or a return to its dispatcher,
// the JIT into falling through or leaving the translated block.
#include <cstdint>

namespace strata::sem {

enum class Flow : uint8_t {
  Continue,    // done; the engine goes on with the next instruction (hart.pc untouched)
  LeaveBlock,  // done, but translation, interrupt or code state may have changed: hart.pc
               // holds where to go on, and the engine must return to its dispatcher
  Trapped,     // the instruction did not complete: the trap is already taken (hart.pc is
               // the trap vector), or in user-ABI mode the exit is already requested
};

}  // namespace strata::sem
