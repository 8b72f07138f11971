// Handlers run one another in chains of bounded length (cpu/interp/handler_table.h). A chain
// must not change what the guest sees: run(n) still executes exactly n instructions, and
// instret read in the middle of a chain counts exactly the instructions before it.
#include <vector>

#include "hart_fixture.h"

namespace strata::testing {
namespace {

constexpr uint16_t kCsrMinstret = 0xb02;

class InterpChain : public HartFixture {
 protected:
  // A loop mixing compressed and full instructions whose body crosses a page boundary:
  //   start: c.addi a0, 1 ; addi a1, a1, 3 ; c.add a2, a0 ; (page boundary) xor a3, a3, a1 ;
  //          c.addi a4, -1 ; bne a4, x0, start
  uint64_t load_loop() {
    const uint64_t start = kRamBase + 4096 - 8;
    write16(start, 0x0505);  // c.addi a0, 1
    write32(start + 2, enc_i(Op::Addi, 11, 11, 3));
    write16(start + 6, 0x962a);  // c.add a2, a0
    write32(start + 8, enc(Op::Xor, 13, 13, 11));
    write16(start + 12, 0x177d);  // c.addi a4, -1
    write32(start + 14, enc(Op::Bne, 0, 14, 0, -14));
    x(14) = 1000;
    hart().pc = start;
    return start;
  }

  std::vector<uint64_t> state() {
    std::vector<uint64_t> s(hart().x.begin(), hart().x.begin() + 32);
    s.push_back(hart().pc);
    s.push_back(hart().instret());
    return s;
  }
};

// Runs of every length around and across chain boundaries end on the same states as single
// steps of a second hart over the same code.
TEST_F(InterpChain, BudgetIsExactAcrossChains) {
  load_loop();
  std::vector<std::vector<uint64_t>> single{state()};
  for (int k = 0; k < 700; k++) {
    step(1);
    single.push_back(state());
  }
  SystemMmu mmu(bus_);
  HartConfig config;
  config.reset_pc = kRamBase;
  hart_ = std::make_unique<Hart>(config, &bus_, &mmu, &clock_);  // fresh registers, counters and code cache
  load_loop();
  uint64_t done = 0;
  for (uint64_t budget : {1u, 2u, 5u, 63u, 64u, 65u, 127u, 128u, 129u, 3u, 70u}) {
    EXPECT_EQ(step(budget).reason, ExitReason::BudgetSpent);
    done += budget;
    EXPECT_EQ(state(), single[done]) << "after " << done << " instructions";
  }
}

// csrr minstret after 150 straight-line instructions (more than two chains) reads 150, and a
// write of minstret mid-chain makes the count continue from the written value.
TEST_F(InterpChain, InstretReadMidChainIsExact) {
  std::vector<uint32_t> code;
  for (int k = 0; k < 150; k++) code.push_back(enc_i(Op::Addi, 5, 5, 1));
  code.push_back(enc(Op::Csrrs, 6, 0, 0, kCsrMinstret));  // csrr t1, minstret
  code.push_back(enc_i(Op::Addi, 7, 0, 1000));
  code.push_back(enc(Op::Csrrw, 0, 7, 0, kCsrMinstret));  // csrw minstret, t2
  for (int k = 0; k < 70; k++) code.push_back(enc_i(Op::Addi, 5, 5, 1));
  code.push_back(enc(Op::Csrrs, 28, 0, 0, kCsrMinstret));  // csrr t3, minstret
  uint64_t addr = kRamBase;
  for (uint32_t w : code) {
    write32(addr, w);
    addr += 4;
  }
  EXPECT_EQ(step(code.size()).reason, ExitReason::BudgetSpent);
  EXPECT_EQ(x(5), 220u);
  EXPECT_EQ(x(6), 150u);
  EXPECT_EQ(x(28), 1070u);  // the count after the csrw is 1000, then 70 addi
  EXPECT_EQ(hart().instret(), 1071u);
}

}  // namespace
}  // namespace strata::testing
