#pragma once
// How the translator handles each operation, decided once from the shared lists: control
// flow and the hottest integer operations are emitted as host instructions, the other
// one-line integer operations call their pure function from cpu/alu.h (via
// cpu/sem/integer.h), and everything else calls its engine-neutral semantic function
// (cpu/sem/table.h) — the explicit, listed fallback. An operation with none of these is a
// bug that tests/unit/jit_ops_test.cpp catches.
#include "cpu/sem/integer.h"
#include "cpu/sem/semantic.h"
#include "isa/op.h"

namespace strata::jit {

enum class OpKind : uint8_t {
  None,     // nothing translates it (must not happen for an operation of the table)
  Control,  // jal, jalr, branches: emitted, they end the block
  Upper,    // lui, auipc: emitted
  AluRegReg,
  AluRegImm,
  AluReg,
  Semantic,  // a call to the semantic function
};

struct OpInfo {
  OpKind kind = OpKind::None;
  sem::AluBinary binary = nullptr;  // AluRegReg, AluRegImm
  sem::AluUnary unary = nullptr;    // AluReg
  sem::SemFn semantic = nullptr;    // Semantic
};

const OpInfo& op_info(Op op);

// Whether the emitter writes host instructions for this ALU operation instead of calling
// its function (emit_alu.cpp).
bool alu_is_native(Op op);

}  // namespace strata::jit
