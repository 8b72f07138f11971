// CLINT: register layout, MSIP/MTIP on real harts, mtime offsetting, deadlines for WFI,
// hostile accesses, save/restore, and a guest program taking a timer interrupt.
#include "devices/clint.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cpu/csr/csr.h"
#include "cpu/priv.h"
#include "cpu/trap.h"
#include "device_harts.h"
#include "devices/host_clock.h"
#include "isa/encode.h"
#include "util/error.h"

namespace strata::testing {
namespace {

constexpr uint64_t kClintBase = 0x2000000;

class ClintTest : public ::testing::Test {
 protected:
  static constexpr unsigned kHarts = 3;
  ClintTest() : clint(source, kHarts), harts(kHarts, &clint.clock()) {
    for (unsigned i = 0; i < kHarts; i++) clint.attach(i, harts[i]);
  }
  uint64_t mtimecmp_offset(unsigned hart) { return Clint::kMtimecmpBase + 8 * hart; }

  ManualClock source;
  Clint clint;
  DeviceHarts harts;
};

TEST_F(ClintTest, MtimeFollowsTheSourceClockInBothWidths) {
  source.ticks = 0x1234'5678'9abc'def0;
  EXPECT_EQ(clint.read(Clint::kMtime, 8), 0x1234'5678'9abc'def0u);
  EXPECT_EQ(clint.read(Clint::kMtime, 4), 0x9abc'def0u);
  EXPECT_EQ(clint.read(Clint::kMtime + 4, 4), 0x1234'5678u);
  source.ticks += 5;
  EXPECT_EQ(clint.mtime(), 0x1234'5678'9abc'def5u);
}

TEST_F(ClintTest, WritingMtimeOffsetsTheClockAndTheTimeCsr) {
  source.ticks = 50;
  clint.write(Clint::kMtime, 8, 1000);
  EXPECT_EQ(clint.mtime(), 1000u);
  source.ticks = 60;
  EXPECT_EQ(clint.mtime(), 1010u);
  uint64_t time = 0;
  ASSERT_TRUE(csr_read(harts[1], 0xC01, time));  // the `time` CSR
  EXPECT_EQ(time, 1010u);
  // A 32-bit write replaces one half only.
  clint.write(Clint::kMtime + 4, 4, 7);
  EXPECT_EQ(clint.mtime(), (7ull << 32) | 1010);
  clint.write(Clint::kMtime, 4, 3);
  EXPECT_EQ(clint.mtime(), (7ull << 32) | 3);
  // Below the source: the offset wraps and time still counts forward.
  source.ticks = 1'000'000;
  clint.set_mtime(10);
  source.ticks += 1;
  EXPECT_EQ(clint.mtime(), 11u);
}

TEST_F(ClintTest, MsipDrivesOnlyItsHart) {
  clint.write(Clint::kMsipBase + 4, 4, 1);
  EXPECT_TRUE(harts.pending(1, irq::kMSI));
  EXPECT_FALSE(harts.pending(0, irq::kMSI));
  EXPECT_FALSE(harts.pending(2, irq::kMSI));
  EXPECT_EQ(clint.read(Clint::kMsipBase + 4, 4), 1u);
  EXPECT_EQ(clint.read(Clint::kMsipBase, 4), 0u);
  // Only bit 0 counts.
  clint.write(Clint::kMsipBase + 4, 4, 0xfffffffe);
  EXPECT_FALSE(harts.pending(1, irq::kMSI));
  EXPECT_EQ(clint.read(Clint::kMsipBase + 4, 4), 0u);
}

TEST_F(ClintTest, MtipFollowsMtimecmp) {
  source.ticks = 100;
  clint.write(mtimecmp_offset(2), 8, 150);
  EXPECT_FALSE(harts.pending(2, irq::kMTI));
  EXPECT_EQ(clint.read(mtimecmp_offset(2), 8), 150u);
  source.ticks = 149;
  clint.update_timers();
  EXPECT_FALSE(harts.pending(2, irq::kMTI));
  source.ticks = 150;
  clint.update_timers();
  EXPECT_TRUE(harts.pending(2, irq::kMTI));
  EXPECT_FALSE(harts.pending(0, irq::kMTI));
  // Rewriting mtimecmp into the future clears MTIP at once, without update_timers().
  clint.write(mtimecmp_offset(2), 8, 1000);
  EXPECT_FALSE(harts.pending(2, irq::kMTI));
  // A compare value already passed raises it at once.
  clint.write(mtimecmp_offset(2), 8, 10);
  EXPECT_TRUE(harts.pending(2, irq::kMTI));
  // Moving mtime back clears it.
  clint.set_mtime(0);
  EXPECT_FALSE(harts.pending(2, irq::kMTI));
}

TEST_F(ClintTest, MtimecmpHalvesWriteIndependently) {
  clint.write(mtimecmp_offset(0), 4, 0x1111'2222);
  EXPECT_EQ(clint.mtimecmp(0), 0xffff'ffff'1111'2222u);  // resets to all ones: never fires
  clint.write(mtimecmp_offset(0) + 4, 4, 0x3333'4444);
  EXPECT_EQ(clint.mtimecmp(0), 0x3333'4444'1111'2222u);
  EXPECT_EQ(clint.read(mtimecmp_offset(0), 4), 0x1111'2222u);
  EXPECT_EQ(clint.read(mtimecmp_offset(0) + 4, 4), 0x3333'4444u);
  EXPECT_FALSE(harts.pending(0, irq::kMTI));
}

TEST_F(ClintTest, NextDeadlineIsTheEarlierOfMtimecmpAndSstc) {
  EXPECT_EQ(clint.next_deadline(0), Clint::kNoDeadline);
  EXPECT_EQ(clint.ns_until_deadline(0), UINT64_MAX);
  source.ticks = 1000;
  clint.write(mtimecmp_offset(0), 8, 1500);
  EXPECT_EQ(clint.next_deadline(0), 1500u);
  EXPECT_EQ(clint.ns_until_deadline(0), 500 * kNsPerTick);
  // stimecmp counts only while Sstc is enabled in menvcfg.
  harts[0].csr.stimecmp = 1200;
  EXPECT_EQ(clint.next_deadline(0), 1500u);
  harts[0].csr.menvcfg |= 1ull << 63;
  EXPECT_EQ(clint.next_deadline(0), 1200u);
  source.ticks = 2000;
  EXPECT_EQ(clint.ns_until_deadline(0), 0u);
  EXPECT_EQ(clint.next_deadline(7), Clint::kNoDeadline);
}

TEST_F(ClintTest, RewritingMtimecmpWakesASleepingHart) {
  Hart& h = harts[1];
  h.csr.mie = 1ull << irq::kMTI;
  source.ticks = 100;
  clint.write(mtimecmp_offset(1), 8, 1'000'000);
  std::thread sleeper([&] { h.wait_for_interrupt(60'000'000'000ull); });
  // The wait ends when MTIP rises; the timeout is only a bound if the kick were lost.
  const auto start = std::chrono::steady_clock::now();
  clint.write(mtimecmp_offset(1), 8, 50);
  sleeper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_TRUE(harts.pending(1, irq::kMTI));
}

TEST_F(ClintTest, HostileAccessesAreHarmless) {
  source.ticks = 77;
  clint.write(mtimecmp_offset(0), 8, 500);
  const auto before = clint.save();
  // Every offset, every size, writes of all ones: only the aligned, supported ones act.
  for (uint64_t off = 0; off < Clint::kSize; off += 1) {
    for (unsigned size : {1u, 2u, 3u, 16u}) {
      EXPECT_EQ(clint.read(off, size), 0u);
      clint.write(off, size, ~0ull);
    }
  }
  EXPECT_EQ(clint.save().data, before.data);
  // Misaligned 4/8-byte accesses and 8-byte msip accesses are ignored.
  clint.write(mtimecmp_offset(0) + 2, 4, 0);
  clint.write(mtimecmp_offset(0) + 4, 8, 0);
  clint.write(Clint::kMsipBase, 8, 1);
  EXPECT_EQ(clint.read(Clint::kMsipBase, 8), 0u);
  EXPECT_EQ(clint.save().data, before.data);
  // Registers of harts that do not exist read as zero and ignore writes.
  clint.write(Clint::kMsipBase + 4 * kHarts, 4, 1);
  clint.write(mtimecmp_offset(kHarts), 8, 1);
  clint.write(mtimecmp_offset(Clint::kMaxHarts - 1), 8, 1);
  EXPECT_EQ(clint.read(Clint::kMsipBase + 4 * kHarts, 4), 0u);
  EXPECT_EQ(clint.read(mtimecmp_offset(kHarts), 8), 0u);
  EXPECT_EQ(clint.read(Clint::kSize + 8, 8), 0u);  // beyond the region
  EXPECT_EQ(clint.save().data, before.data);
}

TEST_F(ClintTest, UnattachedHartsAreSkipped) {
  Clint lone(source, 2);
  lone.write(Clint::kMsipBase + 4, 4, 1);
  lone.write(mtimecmp_offset(1), 8, 0);
  lone.update_timers();
  EXPECT_EQ(lone.read(Clint::kMsipBase + 4, 4), 0u);
  EXPECT_EQ(lone.mtimecmp(1), 0u);
}

TEST_F(ClintTest, SaveRestoreRoundTrip) {
  source.ticks = 5000;
  clint.write(Clint::kMtime, 8, 1'000'000);
  clint.write(mtimecmp_offset(0), 8, 1'000'100);
  clint.write(mtimecmp_offset(1), 8, 999'000);
  clint.write(Clint::kMsipBase + 8, 4, 1);
  const DeviceState saved = clint.save();
  EXPECT_EQ(saved.kind, "clint");

  // Another machine whose host clock is elsewhere: mtime resumes from the saved value.
  ManualClock other;
  other.ticks = 123'456'789;
  Clint copy(other, kHarts);
  DeviceHarts copy_harts(kHarts, &copy.clock());
  for (unsigned i = 0; i < kHarts; i++) copy.attach(i, copy_harts[i]);
  copy.restore(saved);
  EXPECT_EQ(copy.mtime(), 1'000'000u);
  EXPECT_EQ(copy.mtimecmp(0), 1'000'100u);
  EXPECT_EQ(copy.mtimecmp(1), 999'000u);
  EXPECT_EQ(copy.mtimecmp(2), Clint::kNoDeadline);
  EXPECT_TRUE(copy_harts.pending(2, irq::kMSI));
  EXPECT_TRUE(copy_harts.pending(1, irq::kMTI));
  EXPECT_FALSE(copy_harts.pending(0, irq::kMTI));
  EXPECT_EQ(copy.save().data, saved.data);
  other.ticks += 100;
  copy.update_timers();
  EXPECT_TRUE(copy_harts.pending(0, irq::kMTI));
}

TEST_F(ClintTest, RestoreRefusesForeignOrDamagedState) {
  DeviceState state = clint.save();
  const auto original = state;
  state.version = 99;
  EXPECT_THROW(clint.restore(state), Error);
  state = original;
  state.kind = "plic";
  EXPECT_THROW(clint.restore(state), Error);
  state = original;
  state.data.pop_back();
  EXPECT_THROW(clint.restore(state), Error);
  state = original;
  state.data.push_back(0);
  EXPECT_THROW(clint.restore(state), Error);
  Clint smaller(source, 2);
  EXPECT_THROW(smaller.restore(original), Error);
  EXPECT_THROW(Clint(source, 0), Error);
  EXPECT_THROW(Clint(source, Clint::kMaxHarts + 1), Error);
}

// A hart programs its own timer through the bus (sd to mtimecmp) and takes the interrupt.
TEST_F(ClintTest, GuestTakesATimerInterrupt) {
  harts.bus.map(kClintBase, Clint::kSize, clint);
  Hart& h = harts[0];
  const uint32_t program[] = {
      encode(Op::Sd, Operands{.rs1 = 5, .rs2 = 6, .imm = 0}),  // mtimecmp = x6
      encode(Op::Ld, Operands{.rd = 7, .rs1 = 5, .imm = 0}),   // read it back
      encode(Op::Addi, Operands{.rd = 0, .rs1 = 0, .imm = 0}),
      encode(Op::Addi, Operands{.rd = 0, .rs1 = 0, .imm = 0}),
  };
  std::memcpy(harts.ram.host(DeviceHarts::kRamBase), program, sizeof program);
  const uint32_t handler = encode(Op::Addi, Operands{.rd = 8, .rs1 = 0, .imm = 42});
  std::memcpy(harts.ram.host(DeviceHarts::kRamBase + 0x100), &handler, 4);
  h.x[5] = kClintBase + Clint::kMtimecmpBase;
  h.x[6] = 200;
  h.csr.mtvec = DeviceHarts::kRamBase + 0x100;
  h.csr.mie = 1ull << irq::kMTI;
  h.csr.mstatus |= mstatus::kMIE;
  source.ticks = 100;
  h.run(2);
  EXPECT_EQ(h.x[7], 200u);
  EXPECT_EQ(h.pc, DeviceHarts::kRamBase + 8);
  source.ticks = 200;
  clint.update_timers();
  h.run(1);  // enters the handler and runs its first instruction
  EXPECT_EQ(h.x[8], 42u);
  EXPECT_EQ(h.csr.mcause, cause::kInterrupt | irq::kMTI);
  EXPECT_EQ(h.csr.mepc, DeviceHarts::kRamBase + 8);
}

TEST(HostClock, CountsAtTenMegahertzFromZero) {
  HostClock clock;
  const uint64_t first = clock.now();
  EXPECT_LT(first, kTimebaseHz);  // starts near zero (well under a second)
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2)) {
  }
  const uint64_t later = clock.now();
  EXPECT_GE(later - first, 2 * kTimebaseHz / 1000 - 1);
  EXPECT_EQ(ticks_to_ns(3), 300u);
  EXPECT_EQ(ticks_to_ns(UINT64_MAX / 2), UINT64_MAX);
}

}  // namespace
}  // namespace strata::testing
