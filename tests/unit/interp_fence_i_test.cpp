// fence.i keeps decoded pages that still match memory and re-decodes exactly what another
// writer (a second hart, a device's DMA) changed behind the interpreter's back.
#include "hart_fixture.h"
#include "mem/code_pages.h"

namespace strata::testing {
namespace {

class FenceI : public HartFixture {
 protected:
  // Writes as another hart or a device would: straight into RAM, unseen by this hart.
  void write_behind(uint64_t addr, uint32_t word) { write32(addr, word); }
};

// 0: addi x1, x0, 10 ; 4: fence.i ; 8: jal x0, -8
TEST_F(FenceI, SeesCodeWrittenBehindItsBack) {
  load({enc_i(Op::Addi, 1, 0, 10), encode(Op::FenceI, {}), enc(Op::Jal, 0, 0, 0, -8)});
  step(3);
  EXPECT_EQ(x(1), 10u);
  write_behind(kRamBase, enc_i(Op::Addi, 1, 0, 20));
  step(3);  // the old addi may still run: no fence.i since the write
  step(3);  // after the fence.i the new one must
  EXPECT_EQ(x(1), 20u);
}

// A write that changes the upper half of a 4-byte instruction re-decodes that instruction.
TEST_F(FenceI, AWriteIntoTheSecondHalfOfAnInstructionCounts) {
  load({enc_i(Op::Addi, 1, 0, 10), encode(Op::FenceI, {}), enc(Op::Jal, 0, 0, 0, -8)});
  step(3);
  const uint32_t updated = enc_i(Op::Addi, 1, 0, 0x123);
  ASSERT_EQ(uint16_t(updated), uint16_t(enc_i(Op::Addi, 1, 0, 10)));  // only the upper half differs
  write16(kRamBase + 2, uint16_t(updated >> 16));
  step(6);
  EXPECT_EQ(x(1), 0x123u);
}

// The page survives the fence.i (nothing in it changed): a fence.i costs no re-decoding.
TEST_F(FenceI, UnchangedPagesAreKept) {
  load({enc_i(Op::Addi, 1, 1, 1), encode(Op::FenceI, {}), enc(Op::Jal, 0, 0, 0, -8)});
  step(30);
  EXPECT_EQ(x(1), 10u);
  EXPECT_TRUE(hart().code_pages->held(kRamBase));
}

// A remote fence.i request (another hart's SBI call) has the same effect at the next dispatch.
TEST_F(FenceI, RemoteRequestResyncs) {
  load({enc_i(Op::Addi, 1, 0, 10), enc(Op::Jal, 0, 0, 0, -4)});
  step(2);
  write_behind(kRamBase, enc_i(Op::Addi, 1, 0, 30));
  hart().code_sync_request = true;
  step(2);
  EXPECT_EQ(x(1), 30u);
}

}  // namespace
}  // namespace strata::testing
