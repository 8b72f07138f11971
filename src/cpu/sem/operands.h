#pragma once
// An instruction as its semantics see it, whatever engine runs it: the interpreter keeps
// one in every decoded slot, the JIT keeps one beside the code that calls a semantic
// function. Built from the decoder's output by operands_of().
#include <cstdint>

#include "isa/decoded.h"
#include "isa/op.h"

namespace strata::sem {

// x0 as a destination is redirected to this register (Hart::x has 33 entries), so
// semantics never test rd == 0.
constexpr uint8_t kZeroSink = 32;

struct Operands {
  int32_t imm = 0;
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  uint8_t rm = 0;   // rounding mode, or aq/rl for atomics
  uint8_t len = 4;  // 2 or 4 bytes
  Op op = Op::Illegal;
  uint32_t raw = 0;
};
static_assert(sizeof(Operands) == 16);

inline Operands operands_of(const Decoded& d) {
  Operands o;
  o.imm = int32_t(d.imm);
  const bool rd_is_x = !(d.spec && (d.spec->fregs & kFRd));
  o.rd = (rd_is_x && d.rd == 0) ? kZeroSink : d.rd;
  o.rs1 = d.rs1;
  o.rs2 = d.rs2;
  o.rs3 = d.rs3;
  o.rm = d.rm;
  o.len = d.len;
  o.op = d.op;
  o.raw = d.raw;
  return o;
}

}  // namespace strata::sem
