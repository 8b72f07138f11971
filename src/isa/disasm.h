#pragma once
// Disassembly in the two spellings of GNU objdump (binutils 2.40, riscv64-linux-gnu):
// `objdump -d` (with its aliases: li, mv, ret, csrr, fmv.s, c.* shown expanded, ...) and
// `objdump -d -M no-aliases` (raw c.* names and operands). The text is the mnemonic column,
// a tab, and the operand column. Branch and jump targets are absolute addresses printed as
// objdump prints them when it has no symbol ("0x1f2c"); objdump's trailing "# address"
// comments are not produced.
#include <cstdint>
#include <string>

#include "isa/decoded.h"

namespace strata {

enum class DisasmStyle { Objdump, NoAliases };

// `pc` is the address of the instruction (for branch and jump targets).
std::string disassemble(const Decoded& d, uint64_t pc, DisasmStyle style = DisasmStyle::Objdump);

// Decodes `raw` (only the low 16 bits for a compressed instruction) and disassembles it.
std::string disassemble_word(uint32_t raw, uint64_t pc, DisasmStyle style = DisasmStyle::Objdump);

}  // namespace strata
