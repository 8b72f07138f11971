// A page remapped under translated code: after the page table points the code's virtual
// page at other bytes and sfence.vma, both engines run the new bytes, with the same result.
#include "cpu/engine_kind.h"
#include "jit/jit_engine.h"
#include "mmu_fixture.h"

namespace strata::testing {
namespace {

constexpr uint64_t kVa = 0x40000000;
constexpr uint64_t kPageA = HartFixture::kRamBase + 0x100000, kPageB = HartFixture::kRamBase + 0x200000;

class JitRemap : public MmuFixture, public ::testing::WithParamInterface<EngineKind> {};

TEST_P(JitRemap, RemappedCodeRunsAfterSfence) {
  hart().set_engine(make_engine({GetParam()}));
  // Page A: a0 += 1 forever; page B: a0 += 10 forever.
  load({enc_i(Op::Addi, 10, 10, 1), enc(Op::Jal, 0, 0, 0, -4)}, kPageA);
  load({enc_i(Op::Addi, 10, 10, 10), enc(Op::Jal, 0, 0, 0, -4)}, kPageB);
  use_mode(satp::kSv39);
  map(kVa, kPageA, kR | kX | kA);
  enter(Priv::S);
  hart().pc = kVa;
  step(1000);  // long enough for the loop to become hot and run translated
  EXPECT_EQ(x(10), 500u);
  EXPECT_EQ(hart().pc, kVa);

  map(kVa, kPageB, kR | kX | kA);
  mmu_.fence(hart(), false, 0, false, 0);  // what sfence.vma does
  hart().flush_tlbs();
  step(1000);
  EXPECT_EQ(x(10), 5500u) << "the code of the new page ran";

  // And back, through a new address space (satp) instead of a fence.
  const uint64_t other = alloc_table();
  map(kVa, kPageA, kR | kX | kA, 0, other);
  set_satp(1, other);
  step(1000);
  EXPECT_EQ(x(10), 6000u);
  if (GetParam() == EngineKind::Jit) {  // the loops ran translated, not only interpreted
    const std::string report = jit::jit_report(*hart().engine());
    const size_t at = report.find("blocks translated");
    ASSERT_NE(at, std::string::npos) << report;
    EXPECT_GE(std::stoul(report.substr(report.find_first_of("0123456789", at))), 2u) << report;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, JitRemap, ::testing::Values(EngineKind::Interp, EngineKind::Jit),
                         [](const auto& info) { return std::string(engine_name(info.param)); });

}  // namespace
}  // namespace strata::testing
