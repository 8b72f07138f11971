#pragma once
// The shape of every engine-neutral semantic function, and the small pieces they share.
// A semantic function is told the instruction's operands and its guest pc (its length is
// in the operands); it knows nothing of the engine that called it.
#include <cstdint>

#include "cpu/hart.h"
#include "cpu/sem/flow.h"
#include "cpu/sem/operands.h"
#include "cpu/trap.h"

namespace strata::sem {

using SemFn = Flow (*)(Hart&, const Operands&, uint64_t pc);

// Raises illegal-instruction (tval = the instruction bits).
inline Flow illegal(Hart& h, const Operands& o, uint64_t pc) {
  raise_exception(h, cause::kIllegalInsn, o.raw, pc);
  return Flow::Trapped;
}

// Finishes an instruction after which the engine must return to its dispatcher
// (interrupt, translation or code state changed): pc moves to the next instruction.
inline Flow complete_and_leave(Hart& h, const Operands& o, uint64_t pc) {
  h.pc = pc + o.len;
  return Flow::LeaveBlock;
}

}  // namespace strata::sem
