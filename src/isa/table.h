#pragma once
// The single source of truth for instruction encodings: the decoder, the disassembler,
// the test generators and the engines all read this table.
#include <span>

#include "isa/spec.h"

namespace strata {

std::span<const InstrSpec> instruction_table();

// The row that describes `op` in its 32-bit form (every Op has exactly one).
const InstrSpec& spec_of(Op op);

}  // namespace strata
