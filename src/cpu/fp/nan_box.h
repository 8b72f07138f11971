#pragma once
// NaN boxing of single-precision values in the 64-bit f registers.
#include <cstdint>

#include "cpu/fp/format.h"

namespace strata::fp {

constexpr uint64_t kBoxBits = 0xffffffff00000000ull;

// A single-precision result as the register holds it: upper 32 bits all ones.
constexpr uint64_t box(uint32_t v) { return kBoxBits | v; }

// A single-precision operand: a register value that is not properly boxed reads as the
// canonical NaN.
constexpr uint32_t unbox(uint64_t reg) {
  return (reg & kBoxBits) == kBoxBits ? uint32_t(reg) : F32::kCanonicalNaN;
}

}  // namespace strata::fp
