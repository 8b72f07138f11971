// A hot loop through a 4-byte instruction that straddles a page boundary: no block can hold
// that instruction, so the JIT runs it alone on the interpreter and the blocks around it
// translated; budgets of any length still end exactly where the interpreter's do.
#include <string>

#include "cpu/engine_kind.h"
#include "hart_fixture.h"
#include "jit/jit_engine.h"

namespace strata::testing {
namespace {

class JitStraddle : public HartFixture, public ::testing::WithParamInterface<EngineKind> {
 protected:
  JitStraddle() { hart().set_engine(make_engine({GetParam()})); }

  // start: c.addi a0, 1 ; addi a1, a1, 3 (straddles) ; c.addi a4, -1 ; bne a4, x0, start
  uint64_t load_loop(uint64_t iterations) {
    const uint64_t start = kRamBase + 4096 - 4;
    write16(start, 0x0505);  // c.addi a0, 1
    write32(start + 2, enc_i(Op::Addi, 11, 11, 3));
    write16(start + 6, 0x177d);  // c.addi a4, -1
    write32(start + 8, enc(Op::Bne, 0, 14, 0, -8));
    x(14) = iterations;
    hart().pc = start;
    return start;
  }
};

TEST_P(JitStraddle, LoopThroughAStraddlingInstruction) {
  const uint64_t start = load_loop(5000);
  uint64_t ran = 0;
  for (uint64_t budget = 1; ran < 4 * 5000; budget = budget % 97 + 3) {
    const uint64_t n = std::min(budget, 4 * 5000 - ran);
    step(n);
    ran += n;
    ASSERT_EQ(hart().instret(), ran);
  }
  EXPECT_EQ(x(10), 5000u);
  EXPECT_EQ(x(11), 3u * 5000);
  EXPECT_EQ(x(14), 0u);
  EXPECT_EQ(hart().pc, start + 12);
  if (GetParam() == EngineKind::Jit) {  // only the straddling instruction was left to the interpreter
    const std::string report = jit::jit_report(*hart().engine());
    const size_t at = report.find("instructions interpreted");
    ASSERT_NE(at, std::string::npos) << report;
    EXPECT_LT(std::stoull(report.substr(report.find_first_of("0123456789", at))), 5000u + 1000) << report;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, JitStraddle, ::testing::Values(EngineKind::Interp, EngineKind::Jit),
                         [](const auto& info) { return std::string(engine_name(info.param)); });

}  // namespace
}  // namespace strata::testing
