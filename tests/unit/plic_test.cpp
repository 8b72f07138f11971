// PLIC: register layout, gateway and claim/complete semantics, MEIP/SEIP on real harts
// (SEIP combined with the software bit), threshold, hostile accesses, concurrency,
// save/restore, and a guest taking an external interrupt.
#include "devices/plic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "cpu/csr/csr.h"
#include "cpu/priv.h"
#include "cpu/trap.h"
#include "device_harts.h"
#include "isa/encode.h"
#include "util/error.h"

namespace strata::testing {
namespace {

constexpr uint64_t kPlicBase = 0xc000000;

uint64_t priority(unsigned source) { return Plic::kPriorityBase + 4 * source; }
uint64_t enable(unsigned ctx, unsigned word = 0) {
  return Plic::kEnableBase + Plic::kEnableStride * ctx + 4 * word;
}
uint64_t threshold(unsigned ctx) { return Plic::kContextBase + Plic::kContextStride * ctx; }
uint64_t claim(unsigned ctx) { return threshold(ctx) + 4; }

class PlicTest : public ::testing::Test {
 protected:
  static constexpr unsigned kHarts = 2;
  PlicTest() : plic(kHarts), harts(kHarts, &clock) {
    for (unsigned i = 0; i < kHarts; i++) plic.attach(i, harts[i]);
  }
  uint32_t rd(uint64_t offset) { return uint32_t(plic.read(offset, 4)); }
  void wr(uint64_t offset, uint32_t value) { plic.write(offset, 4, value); }
  // Source `s` at priority `p`, enabled for context `ctx`.
  void route(unsigned s, unsigned p, unsigned ctx) {
    wr(priority(s), p);
    wr(enable(ctx, s / 32), rd(enable(ctx, s / 32)) | (1u << (s % 32)));
  }

  ManualClock clock;
  Plic plic;
  DeviceHarts harts;
};

TEST_F(PlicTest, PrioritiesAreThreeBitsAndSourceZeroIsHardwired) {
  wr(priority(1), 5);
  EXPECT_EQ(rd(priority(1)), 5u);
  wr(priority(95), 0xffffffff);
  EXPECT_EQ(rd(priority(95)), 7u);
  wr(priority(0), 7);
  EXPECT_EQ(rd(priority(0)), 0u);
  wr(priority(96), 7);  // beyond the last source
  EXPECT_EQ(rd(priority(96)), 0u);
}

TEST_F(PlicTest, PendingBitsFollowTheGatewayAndAreReadOnly) {
  plic.set_irq(5, true);
  plic.set_irq(40, true);
  plic.set_irq(95, true);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 5);
  EXPECT_EQ(rd(Plic::kPendingBase + 4), 1u << 8);
  EXPECT_EQ(rd(Plic::kPendingBase + 8), 1u << 31);
  EXPECT_EQ(rd(Plic::kPendingBase + 12), 0u);
  wr(Plic::kPendingBase, 0);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 5);
  // Source 0 and ids past the last source are no inputs at all.
  plic.set_irq(0, true);
  plic.set_irq(96, true);
  plic.set_irq(1000, true);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 5);
}

TEST_F(PlicTest, EnablesArePerContextWithBitZeroHardwired) {
  wr(enable(3, 0), 0xffffffff);
  wr(enable(3, 2), 0xffffffff);
  EXPECT_EQ(rd(enable(3, 0)), 0xfffffffeu);
  EXPECT_EQ(rd(enable(3, 2)), 0xffffffffu);
  EXPECT_EQ(rd(enable(2, 0)), 0u);
  wr(enable(3, 3), 0xffffffff);  // past the last source
  EXPECT_EQ(rd(enable(3, 3)), 0u);
  wr(enable(4, 0), 0xffffffff);  // past the last context
  EXPECT_EQ(rd(enable(4, 0)), 0u);
}

TEST_F(PlicTest, ContextsDriveMeipAndSeipOfTheirHart) {
  route(7, 1, 0);  // hart 0 M
  route(8, 1, 3);  // hart 1 S
  plic.set_irq(7, true);
  EXPECT_TRUE(harts.pending(0, irq::kMEI));
  EXPECT_FALSE(harts.pending(0, irq::kSEI));
  EXPECT_FALSE(harts.pending(1, irq::kMEI));
  EXPECT_FALSE(harts.pending(1, irq::kSEI));
  plic.set_irq(8, true);
  EXPECT_TRUE(harts.pending(1, irq::kSEI));
  EXPECT_FALSE(harts.pending(1, irq::kMEI));
  // Disabling the source for the context drops the line; enabling raises it again.
  wr(enable(3, 0), 0);
  EXPECT_FALSE(harts.pending(1, irq::kSEI));
  wr(enable(3, 0), 1u << 8);
  EXPECT_TRUE(harts.pending(1, irq::kSEI));
}

TEST_F(PlicTest, OnlyPrioritiesAboveTheThresholdNotify) {
  route(3, 2, 1);
  plic.set_irq(3, true);
  EXPECT_TRUE(harts.pending(0, irq::kSEI));
  wr(threshold(1), 2);
  EXPECT_EQ(rd(threshold(1)), 2u);
  EXPECT_FALSE(harts.pending(0, irq::kSEI));
  EXPECT_EQ(rd(claim(1)), 0u);  // nothing above the threshold to claim
  wr(threshold(1), 1);
  EXPECT_TRUE(harts.pending(0, irq::kSEI));
  wr(threshold(1), 0xff);
  EXPECT_EQ(rd(threshold(1)), 7u);
  // Priority 0 never interrupts, even with threshold 0.
  wr(threshold(1), 0);
  wr(priority(3), 0);
  EXPECT_FALSE(harts.pending(0, irq::kSEI));
  EXPECT_EQ(rd(claim(1)), 0u);
}

TEST_F(PlicTest, ClaimTakesTheHighestPriorityThenTheLowestId) {
  route(10, 3, 0);
  route(4, 3, 0);
  route(60, 5, 0);
  route(2, 1, 0);
  for (unsigned s : {10u, 4u, 60u, 2u}) plic.set_irq(s, true);
  EXPECT_EQ(rd(claim(0)), 60u);
  EXPECT_EQ(rd(claim(0)), 4u);
  EXPECT_EQ(rd(claim(0)), 10u);
  EXPECT_EQ(rd(claim(0)), 2u);
  EXPECT_EQ(rd(claim(0)), 0u);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  EXPECT_EQ(rd(Plic::kPendingBase + 4), 0u);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
}

TEST_F(PlicTest, CompletionReopensTheGateway) {
  route(9, 1, 0);
  plic.set_irq(9, true);
  EXPECT_EQ(rd(claim(0)), 9u);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
  // While claimed, a new edge of the level is held back.
  plic.set_irq(9, false);
  plic.set_irq(9, true);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  EXPECT_EQ(rd(claim(0)), 0u);
  // Completion with the level still high: pending again.
  wr(claim(0), 9);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 9);
  EXPECT_TRUE(harts.pending(0, irq::kMEI));
  EXPECT_EQ(rd(claim(0)), 9u);
  // Completion with the level low: quiet.
  plic.set_irq(9, false);
  wr(claim(0), 9);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
  // A second completion of the same source changes nothing.
  plic.set_irq(9, true);
  EXPECT_EQ(rd(claim(0)), 9u);
  wr(claim(0), 9);
  wr(claim(0), 9);
  EXPECT_EQ(rd(claim(0)), 9u);
}

TEST_F(PlicTest, CompletionOfASourceNotEnabledForTheContextIsIgnored) {
  route(12, 1, 0);
  plic.set_irq(12, true);
  EXPECT_EQ(rd(claim(0)), 12u);
  wr(claim(1), 12);  // context 1 does not have 12 enabled
  EXPECT_EQ(rd(claim(0)), 0u);
  // Linux's way to complete a masked source: enable, complete, disable.
  wr(enable(0), 0);
  wr(claim(0), 12);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  wr(enable(0), 1u << 12);
  wr(claim(0), 12);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 12);
  // Bogus ids are ignored.
  for (uint32_t bogus : {0u, 96u, 0xffffffffu}) wr(claim(0), bogus);
  EXPECT_EQ(rd(claim(0)), 12u);
}

TEST_F(PlicTest, ARequestIsNotRetractedWhenTheLevelDrops) {
  route(20, 1, 0);
  plic.set_irq(20, true);
  plic.set_irq(20, false);
  EXPECT_TRUE(harts.pending(0, irq::kMEI));
  EXPECT_EQ(rd(claim(0)), 20u);
  wr(claim(0), 20);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
}

TEST_F(PlicTest, ASourceEnabledInTwoContextsIsClaimedOnce) {
  route(30, 1, 0);
  route(30, 1, 2);
  plic.set_irq(30, true);
  EXPECT_TRUE(harts.pending(0, irq::kMEI));
  EXPECT_TRUE(harts.pending(1, irq::kMEI));
  EXPECT_EQ(rd(claim(2)), 30u);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
  EXPECT_EQ(rd(claim(0)), 0u);
}

TEST_F(PlicTest, PlicSeipCombinesWithSoftwareSeip) {
  Hart& h = harts[0];
  const uint16_t kMip = 0x344;
  auto mip_seip = [&] {
    uint64_t v = 0;
    EXPECT_TRUE(csr_read(h, kMip, v));
    return bool(v & (1ull << irq::kSEI));
  };
  route(1, 1, 1);
  plic.set_irq(1, true);
  EXPECT_TRUE(mip_seip());
  // M-mode writing SEIP=0 cannot hide the PLIC's line.
  ASSERT_TRUE(csr_write(h, kMip, 0));
  EXPECT_TRUE(mip_seip());
  EXPECT_EQ(rd(claim(1)), 1u);
  EXPECT_FALSE(mip_seip());
  // Software SEIP survives the PLIC's line rising and falling.
  ASSERT_TRUE(csr_write(h, kMip, 1ull << irq::kSEI));
  EXPECT_TRUE(mip_seip());
  wr(claim(1), 1);  // level still high: pending again
  EXPECT_TRUE(mip_seip());
  plic.set_irq(1, false);
  EXPECT_EQ(rd(claim(1)), 1u);
  wr(claim(1), 1);
  EXPECT_FALSE(harts.pending(0, irq::kSEI));  // the PLIC's line is down...
  EXPECT_TRUE(mip_seip());                    // ...and software's bit still shows
  ASSERT_TRUE(csr_write(h, kMip, 0));
  EXPECT_FALSE(mip_seip());
}

TEST_F(PlicTest, AnInterruptWakesASleepingHart) {
  Hart& h = harts[1];
  h.csr.mie = 1ull << irq::kSEI;
  route(44, 1, 3);
  std::thread sleeper([&] { h.wait_for_interrupt(60'000'000'000ull); });
  std::thread device([&] { plic.set_irq(44, true); });
  device.join();
  sleeper.join();  // returns as soon as SEIP rises; the timeout only bounds a lost wake-up
  EXPECT_TRUE(harts.pending(1, irq::kSEI));
}

TEST_F(PlicTest, ConcurrentDevicesAndClaimsStayConsistent) {
  for (unsigned s = 1; s <= 8; s++) route(s, 1 + s % 7, s % 2 == 0 ? 0 : 2);
  std::atomic<bool> done{false};
  std::vector<std::thread> devices;
  for (unsigned t = 0; t < 4; t++)
    devices.emplace_back([&, t] {
      for (unsigned i = 0; i < 20000; i++) plic.set_irq(1 + (t * 2 + i) % 8, i % 3 != 0);
    });
  std::atomic<unsigned> claims{0};
  std::vector<std::thread> handlers;
  for (unsigned ctx : {0u, 2u})
    handlers.emplace_back([&, ctx] {
      while (!done) {
        const uint32_t id = uint32_t(plic.read(claim(ctx), 4));
        if (id > 8) ADD_FAILURE() << "claimed " << id;
        if (id) {
          claims++;
          plic.write(claim(ctx), 4, id);
        }
      }
    });
  for (auto& d : devices) d.join();
  for (unsigned s = 1; s <= 8; s++) plic.set_irq(s, false);
  done = true;
  for (auto& h : handlers) h.join();
  // Drain what the gateways forwarded: afterwards nothing is pending or in service.
  for (unsigned ctx : {0u, 2u})
    while (uint32_t id = rd(claim(ctx))) wr(claim(ctx), id);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
  EXPECT_FALSE(harts.pending(1, irq::kMEI));
  EXPECT_GT(claims.load(), 0u);
  plic.set_irq(3, true);  // gateways still open
  EXPECT_EQ(rd(claim(2)), 3u);
}

TEST_F(PlicTest, HostileAccessesAreHarmless) {
  route(5, 3, 0);
  plic.set_irq(5, true);
  const DeviceState before = plic.save();
  // Odd sizes and misaligned words anywhere are ignored (and read as zero).
  for (uint64_t off = 0; off < 0x3000; off++)
    for (unsigned size : {1u, 2u, 8u, 3u}) {
      EXPECT_EQ(plic.read(off, size), 0u);
      plic.write(off, size, ~0ull);
    }
  for (uint64_t off = Plic::kContextBase - 8; off < Plic::kContextBase + 0x3000; off++)
    for (unsigned size : {1u, 2u, 8u}) {
      EXPECT_EQ(plic.read(off, size), 0u);
      plic.write(off, size, ~0ull);
    }
  for (uint64_t off = 1; off < 0x3000; off += 4) plic.write(off, 4, ~0ull);
  EXPECT_EQ(plic.save().data, before.data);
  // Aligned words in every hole of the map, and far past the last context.
  const uint64_t holes[] = {uint64_t(0x180),
                            uint64_t(0x100c),
                            uint64_t(0x1ffc),
                            enable(1, 3),
                            enable(1, 31),
                            enable(4, 0),
                            uint64_t(Plic::kContextBase - 4),
                            threshold(0) + 8,
                            threshold(0) + 0xffc,
                            threshold(4),
                            claim(4),
                            claim(15000),
                            Plic::kSize - 4,
                            Plic::kSize,
                            Plic::kSize + 4,
                            uint64_t(~0ull - 3)};
  for (uint64_t off : holes) {
    EXPECT_EQ(rd(off), 0u) << std::hex << off;
    wr(off, 0xffffffff);
  }
  EXPECT_EQ(plic.save().data, before.data);
  EXPECT_EQ(rd(claim(0)), 5u);
}

TEST_F(PlicTest, SaveRestoreRoundTrip) {
  route(3, 4, 0);
  route(35, 6, 1);
  route(70, 2, 3);
  wr(threshold(3), 1);
  plic.set_irq(3, true);
  plic.set_irq(35, true);
  plic.set_irq(70, true);
  EXPECT_EQ(rd(claim(1)), 35u);  // in service when saved
  const DeviceState saved = plic.save();
  EXPECT_EQ(saved.kind, "plic");

  Plic copy(kHarts);
  DeviceHarts copy_harts(kHarts, &clock);
  for (unsigned i = 0; i < kHarts; i++) copy.attach(i, copy_harts[i]);
  copy.restore(saved);
  EXPECT_EQ(copy.save().data, saved.data);
  EXPECT_TRUE(copy_harts.pending(0, irq::kMEI));
  EXPECT_FALSE(copy_harts.pending(0, irq::kSEI));
  EXPECT_TRUE(copy_harts.pending(1, irq::kSEI));
  EXPECT_EQ(copy.read(threshold(3), 4), 1u);
  EXPECT_EQ(copy.read(priority(35), 4), 6u);
  EXPECT_EQ(copy.read(claim(0), 4), 3u);
  EXPECT_EQ(copy.read(claim(1), 4), 0u);
  copy.write(claim(1), 4, 35);  // the level saved high: pending again after completion
  EXPECT_TRUE(copy_harts.pending(0, irq::kSEI));
}

TEST_F(PlicTest, RestoreRefusesForeignOrDamagedState) {
  const DeviceState good = plic.save();
  DeviceState state = good;
  state.version = 2;
  EXPECT_THROW(plic.restore(state), Error);
  state = good;
  state.kind = "clint";
  EXPECT_THROW(plic.restore(state), Error);
  state = good;
  state.data.resize(state.data.size() - 1);
  EXPECT_THROW(plic.restore(state), Error);
  Plic bigger(kHarts + 1);
  EXPECT_THROW(bigger.restore(good), Error);
  EXPECT_THROW(Plic(0), Error);
  EXPECT_THROW(Plic(Plic::kMaxHarts + 1), Error);
  // A refused state leaves the device as it was.
  route(3, 1, 0);
  plic.set_irq(3, true);
  state = good;
  state.data.pop_back();
  EXPECT_THROW(plic.restore(state), Error);
  EXPECT_EQ(rd(claim(0)), 3u);
}

// The hart takes the external interrupt, claims through the bus and completes.
TEST_F(PlicTest, GuestClaimsAndCompletesThroughTheBus) {
  harts.bus.map(kPlicBase, Plic::kSize, plic);
  Hart& h = harts[0];
  const uint32_t handler[] = {
      encode(Op::Lw, Operands{.rd = 6, .rs1 = 5, .imm = 0}),   // claim
      encode(Op::Sw, Operands{.rs1 = 5, .rs2 = 6, .imm = 0}),  // complete
  };
  std::memcpy(harts.ram.host(DeviceHarts::kRamBase + 0x100), handler, sizeof handler);
  const uint32_t nop = encode(Op::Addi, Operands{});
  std::memcpy(harts.ram.host(DeviceHarts::kRamBase), &nop, 4);
  h.csr.mtvec = DeviceHarts::kRamBase + 0x100;
  h.csr.mie = 1ull << irq::kMEI;
  h.csr.mstatus |= mstatus::kMIE;
  h.x[5] = kPlicBase + claim(0);
  route(10, 1, 0);
  plic.set_irq(10, true);
  h.run(1);  // interrupt entry, then the claim
  EXPECT_EQ(h.csr.mcause, cause::kInterrupt | irq::kMEI);
  EXPECT_EQ(h.x[6], 10u);
  EXPECT_FALSE(harts.pending(0, irq::kMEI));
  plic.set_irq(10, false);
  h.run(1);  // complete
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  plic.set_irq(10, true);
  EXPECT_TRUE(harts.pending(0, irq::kMEI));
}

}  // namespace
}  // namespace strata::testing
