#pragma once
// Encodes 32-bit instructions from the table: the inverse of the decoder, used by tests and
// by the random instruction generators.
#include <cstdint>

#include "isa/op.h"

namespace strata {

struct Operands {
  unsigned rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  int64_t imm = 0;  // immediate, branch/jump offset, shift amount, CSR number or fence bits
  unsigned rm = 0;  // rounding mode (F/D) or aq/rl (A)
};

// The 32-bit word for `op` with these operands. Fields the format does not have are ignored;
// immediates are truncated to their field (callers pass values that fit).
uint32_t encode(Op op, const Operands& operands);

}  // namespace strata
