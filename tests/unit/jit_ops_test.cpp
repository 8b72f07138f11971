// Every instruction of the table is translated by the JIT: as host code, as a call to its
// pure ALU function, or through the explicit, listed fallback to the shared semantic layer.
#include <gtest/gtest.h>

#include "isa/table.h"
#include "jit/ops.h"

namespace strata::testing {
namespace {

TEST(JitOps, EveryTableInstructionHasATranslationOrAListedFallback) {
  for (const InstrSpec& s : instruction_table()) {
    const jit::OpInfo& info = jit::op_info(s.op);
    EXPECT_NE(info.kind, jit::OpKind::None) << s.name << " has neither a translation nor a fallback";
    if (info.kind == jit::OpKind::Semantic) {
      EXPECT_NE(info.semantic, nullptr) << s.name;
    }
    if (info.kind == jit::OpKind::AluReg) {
      EXPECT_NE(info.unary, nullptr) << s.name;
    }
    if (info.kind == jit::OpKind::AluRegReg || info.kind == jit::OpKind::AluRegImm) {
      EXPECT_NE(info.binary, nullptr) << s.name;
    }
  }
}

TEST(JitOps, ControlFlowIsTranslatedAndMemoryGoesThroughTheSemanticLayer) {
  EXPECT_EQ(jit::op_info(Op::Jalr).kind, jit::OpKind::Control);
  EXPECT_EQ(jit::op_info(Op::Bgeu).kind, jit::OpKind::Control);
  EXPECT_EQ(jit::op_info(Op::Lui).kind, jit::OpKind::Upper);
  EXPECT_EQ(jit::op_info(Op::Addi).kind, jit::OpKind::AluRegImm);
  EXPECT_TRUE(jit::alu_is_native(Op::Addi));
  EXPECT_EQ(jit::op_info(Op::Clz).kind, jit::OpKind::AluReg);
  EXPECT_EQ(jit::op_info(Op::FmaddD).kind, jit::OpKind::Semantic);
  EXPECT_EQ(jit::op_info(Op::Illegal).kind, jit::OpKind::Semantic);
}

}  // namespace
}  // namespace strata::testing
