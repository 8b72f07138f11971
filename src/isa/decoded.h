#pragma once
// One decoded instruction, independent of any engine: the operation and its operands.
// Compressed instructions carry the operands of their 32-bit expansion.
#include <cstdint>

#include "isa/op.h"
#include "isa/spec.h"

namespace strata {

struct Decoded {
  Op op = Op::Illegal;
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  uint8_t rm = 0;   // rounding mode (F/D) or aq/rl bits (A: aq = 2, rl = 1)
  uint8_t len = 4;  // 2 or 4 bytes
  int64_t imm = 0;  // immediate, branch offset, CSR number, shift amount or fence bits
  uint32_t raw = 0;
  const InstrSpec* spec = nullptr;  // the table row that matched (null when illegal)
};

}  // namespace strata
