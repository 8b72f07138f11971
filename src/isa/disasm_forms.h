#pragma once
// Internal to the disassembler: an instruction's printed form is a mnemonic plus an operand
// pattern, a small language modelled on binutils' operand strings:
//   d s t r  rd, rs1, rs2, rs3 (x or f register, as the row's fregs say)
//   j        immediate, signed decimal      >  immediate, hex (shift amounts)
//   u        upper immediate, hex (imm >> 12, 20 bits)
//   p        branch/jump target, absolute   E  CSR name (or hex number)
//   Z        CSR immediate (held in rs1)    m  rounding mode
//   P Q      fence predecessor/successor sets
// Any other character is printed as is.
#include <optional>
#include <string>
#include <string_view>

#include "isa/decoded.h"

namespace strata::disasm {

struct Form {
  std::string mnemonic;
  std::string_view operands;  // pattern
};

// The plain (no-aliases) form of a 32-bit row; `d` holds the row's operands.
Form plain_form(const Decoded& d, const InstrSpec& row);

// The objdump alias of a 32-bit instruction, if objdump prints one.
std::optional<Form> alias_form(const Decoded& d);

// The objdump form of a compressed instruction (mostly its expansion, with a few c.* hints).
Form compressed_alias_form(const Decoded& d);

}  // namespace strata::disasm
