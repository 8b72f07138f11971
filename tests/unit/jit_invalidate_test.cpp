// Code changed under translated blocks: only the blocks made from changed bytes are dropped,
// jumps chained into a dropped block run the new code, and rewriting bytes with what they
// already hold (code patched in place, again and again) drops nothing. Each case runs under
// both engines with the same result; the JIT's counters show what it retranslated.
#include <string>

#include "cpu/engine_kind.h"
#include "hart_fixture.h"
#include "jit/jit_engine.h"
#include "mem/code_pages.h"

namespace strata::testing {
namespace {

constexpr uint64_t kA = HartFixture::kRamBase, kB = kA + 0x40;

class JitInvalidate : public HartFixture, public ::testing::WithParamInterface<EngineKind> {
 protected:
  JitInvalidate() { hart().set_engine(make_engine({GetParam()})); }
  bool jit() const { return GetParam() == EngineKind::Jit; }
  // A counter of the --jit-stats report, e.g. "blocks translated".
  uint64_t stat(const std::string& name) {
    const std::string report = jit::jit_report(*hart().engine());
    const size_t at = report.find(name);
    EXPECT_NE(at, std::string::npos) << report;
    return at == std::string::npos ? 0 : std::stoull(report.substr(report.find_first_of("0123456789", at)));
  }
  // Another hart or a device writes: straight into RAM, counted by the code-page tracker.
  void write_behind(uint64_t addr, uint32_t word) {
    write32(addr, word);
    bus_.code_pages().written(addr, 4);
  }
};

// A: x5++ and on to B; B: x6++ and back to A. Both blocks are hot and chained to each other.
TEST_P(JitInvalidate, RewritingOneBlockKeepsTheOthersAndUnchainsIt) {
  load({enc_i(Op::Addi, 5, 5, 1), enc(Op::Jal, 0, 0, 0, int64_t(kB - kA) - 4)}, kA);
  load({enc_i(Op::Addi, 6, 6, 1), enc(Op::Jal, 0, 0, 0, -int64_t(kB - kA) - 4)}, kB);
  step(1000);
  ASSERT_EQ(x(6), 250u);
  if (jit()) {
    ASSERT_EQ(stat("blocks translated"), 2u);
  }

  write_behind(kB, enc_i(Op::Addi, 6, 6, 100));
  step(1000);
  EXPECT_EQ(x(5), 500u);
  EXPECT_EQ(x(6), 250u + 250 * 100) << "A's jump to B ran the new B";
  if (jit()) {
    EXPECT_EQ(stat("blocks invalidated"), 1u);
    EXPECT_EQ(stat("blocks translated"), 3u) << "only B was made again";
  }
}

// A write next to a block, within its page, leaves it alone.
TEST_P(JitInvalidate, AWriteBesideTheBlocksDropsNothing) {
  load({enc_i(Op::Addi, 5, 5, 1), enc(Op::Jal, 0, 0, 0, -4)}, kA);
  step(1000);
  write_behind(kA + 0x800, enc_i(Op::Addi, 6, 6, 1));
  hart().code_sync_request = true;  // and a fence.i, as a remote one would
  step(1000);
  EXPECT_EQ(x(5), 1000u);
  if (jit()) {
    EXPECT_EQ(stat("blocks invalidated"), 0u);
    EXPECT_EQ(stat("blocks translated"), 1u);
  }
}

// A loop that stores into its own page, fence.i after each store, like boot code patching
// call sites: the first store changes B before B ever runs, the later ones store the same
// word again. x7 holds the new instruction, x8 B's address.
TEST_P(JitInvalidate, StoringTheSameBytesAgainDropsNothing) {
  load({enc_i(Op::Addi, 5, 5, 1), encode(Op::Sw, Operands{.rs1 = 8, .rs2 = 7}), encode(Op::FenceI, {}),
        enc(Op::Jal, 0, 0, 0, int64_t(kB - kA) - 12)},
       kA);
  load({enc_i(Op::Addi, 6, 6, 1), enc(Op::Jal, 0, 0, 0, -int64_t(kB - kA) - 4)}, kB);
  x(7) = enc_i(Op::Addi, 6, 6, 100);
  x(8) = kB;
  step(6000);
  EXPECT_EQ(x(5), 1000u);
  EXPECT_EQ(x(6), 1000u * 100);
  if (jit()) {
    EXPECT_LE(stat("blocks translated"), 4u) << "B is not made again after every store";
  }
}

// With --jit-stats the code counts its jump-cache lookups: a loop of indirect jumps (each
// block ends in a jalr to the other) finds its target there nearly every time.
class JitLookups : public HartFixture {};

TEST_F(JitLookups, IndirectJumpsAreCountedWithStats) {
  hart().set_engine(make_engine({EngineKind::Jit, size_t(64) << 20, false, true}));
  load({enc_i(Op::Addi, 5, 5, 1), enc(Op::Jalr, 0, 6, 0, 0)}, kA);
  load({enc_i(Op::Addi, 7, 7, 1), enc(Op::Jalr, 0, 8, 0, 0)}, kB);
  x(6) = kB;
  x(8) = kA;
  step(20000);
  EXPECT_EQ(x(5), 5000u);
  const std::string report = jit::jit_report(*hart().engine());
  const size_t at = report.find("indirect hit rate");
  ASSERT_NE(at, std::string::npos) << report;
  const size_t open = report.find('(', at);
  ASSERT_NE(open, std::string::npos) << "no lookups counted:\n" << report;
  EXPECT_GT(std::stoull(report.substr(open + 1)), 4000u) << report;
}

INSTANTIATE_TEST_SUITE_P(Engines, JitInvalidate, ::testing::Values(EngineKind::Interp, EngineKind::Jit),
                         [](const auto& info) { return std::string(engine_name(info.param)); });

}  // namespace
}  // namespace strata::testing
