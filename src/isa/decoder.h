#pragma once
#include <cstdint>

#include "isa/decoded.h"

namespace strata {

// Length in bytes of the instruction whose low 16 bits are `low`: 2 or 4. Longer encodings
// (48-bit and up) are not supported and report 4 so they decode as illegal.
inline unsigned instruction_length(uint32_t low) { return (low & 3) == 3 ? 4 : 2; }

// Decodes `raw` (for a compressed instruction only the low 16 bits are looked at). An
// unknown or reserved encoding yields op == Op::Illegal with len and raw set.
Decoded decode(uint32_t raw);

// Operand extraction for a known row (used by decode and by tests on the table).
Decoded extract(const InstrSpec& spec, uint32_t raw);

// True when `raw` satisfies the row's mask, match and field conditions.
bool row_matches(const InstrSpec& spec, uint32_t raw);

}  // namespace strata
