// A hostile driver: every malformed ring must end in DEVICE_NEEDS_RESET with a
// configuration-change interrupt (or a clean ignore where the spec allows one), the
// device must stop, and a reset must bring it back. Nothing may crash: this suite also
// runs under ASan/UBSan. Finally, thousands of random rings.
#include <gtest/gtest.h>

#include <random>

#include "virtio_fake_driver.h"

namespace strata::testing {
namespace {

using namespace virtio;

constexpr uint64_t kFeatures = feature_bit(kFeatureVersion1) | feature_bit(kFeatureIndirectDesc);
constexpr uint16_t kSize = 16;
constexpr uint64_t kChainLimit = 64 << 10;

class VirtioHostileTest : public ::testing::Test {
 protected:
  EchoDevice device{1, kSize, kChainLimit};
  VirtioBench bench{device};
  FakeVirtioDriver& driver = bench.driver;
  const uint64_t ram_end = bench.ram.end();

  void SetUp() override { driver.bring_up(kFeatures, 1, kSize); }

  // The device reports itself broken, stops, and works again after a reset.
  void expect_broken_then_recovers() {
    EXPECT_TRUE(driver.needs_reset());
    EXPECT_TRUE(driver.reg(mmio::kInterruptStatus) & kInterruptConfigChange);
    EXPECT_TRUE(bench.irq.level());
    const uint64_t served = device.chains;
    const uint64_t in = driver.alloc(4), out = driver.alloc(4);
    driver.add(0, {{in, 4, false}, {out, 4, true}});
    driver.kick(0);
    EXPECT_EQ(device.chains, served) << "a broken device kept serving";
    driver.bring_up(kFeatures, 1, kSize);
    EXPECT_FALSE(driver.needs_reset());
    driver.poke(in, "fine", 4);
    driver.add(0, {{in, 4, false}, {out, 4, true}});
    driver.kick(0);
    auto used = driver.poll_used(0);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->len, 4u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(driver.host(out)), 4), "fine");
  }
  void submit_raw(uint16_t head) {
    driver.publish(0, head);
    driver.kick(0);
  }
  void single(uint64_t addr, uint32_t len, uint16_t flags = 0) {
    driver.write_desc(0, 0, addr, len, flags, 0);
    submit_raw(0);
  }
  uint64_t table(const std::vector<std::array<uint64_t, 4>>& descs) {  // addr, len, flags, next
    const uint64_t at = driver.alloc(16 * descs.size() + 16, 16);
    for (size_t i = 0; i < descs.size(); i++)
      driver.write_desc_at(at + 16 * i, descs[i][0], uint32_t(descs[i][1]), uint16_t(descs[i][2]),
                           uint16_t(descs[i][3]));
    return at;
  }
};

TEST_F(VirtioHostileTest, BufferBelowRam) {
  single(0x1000, 16);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, BufferPastTheEndOfRam) {
  single(ram_end, 1);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, BufferStraddlingTheEndOfRam) {
  single(ram_end - 8, 16, kDescFlagWrite);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, BufferWrappingTheAddressSpace) {
  single(~uint64_t(0) - 7, 32);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, HugeLength) {
  single(FakeVirtioDriver::kRamBase, 0xffffffff);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, ChainLongerThanTheDeviceLimit) {
  const uint64_t a = driver.alloc(kChainLimit);
  driver.write_desc(0, 0, a, uint32_t(kChainLimit / 2), kDescFlagNext, 1);
  driver.write_desc(0, 1, a, uint32_t(kChainLimit / 2 + 1), 0, 0);  // in RAM, but one byte too many
  submit_raw(0);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, ExactlyTheDeviceLimitIsFine) {
  const uint64_t a = driver.alloc(kChainLimit);
  driver.write_desc(0, 0, a, uint32_t(kChainLimit / 2), kDescFlagNext, 1);
  driver.write_desc(0, 1, a, uint32_t(kChainLimit / 2), kDescFlagWrite, 0);
  submit_raw(0);
  EXPECT_FALSE(driver.needs_reset());
  EXPECT_TRUE(driver.poll_used(0));
}

TEST_F(VirtioHostileTest, SelfLoop) {
  const uint64_t a = driver.alloc(8);
  driver.write_desc(0, 3, a, 8, kDescFlagNext, 3);
  submit_raw(3);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, LoopThroughSeveralDescriptors) {
  const uint64_t a = driver.alloc(8);
  driver.write_desc(0, 0, a, 8, kDescFlagNext, 1);
  driver.write_desc(0, 1, a, 8, kDescFlagNext, 2);
  driver.write_desc(0, 2, a, 8, kDescFlagNext, 0);
  submit_raw(0);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, ChainUsingEveryDescriptorIsNotALoop) {
  const uint64_t a = driver.alloc(1);
  for (uint16_t i = 0; i < kSize; i++)
    driver.write_desc(0, i, a, 1, uint16_t(i + 1 < kSize ? kDescFlagNext : 0), uint16_t(i + 1));
  submit_raw(0);
  EXPECT_FALSE(driver.needs_reset());
  auto used = driver.poll_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 0u);
}

TEST_F(VirtioHostileTest, NextIndexOutOfRange) {
  const uint64_t a = driver.alloc(8);
  driver.write_desc(0, 0, a, 8, kDescFlagNext, kSize);
  submit_raw(0);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, HeadIndexOutOfRange) {
  submit_raw(kSize);
  expect_broken_then_recovers();
  submit_raw(0xffff);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, ReadableAfterWritable) {
  const uint64_t a = driver.alloc(8);
  driver.write_desc(0, 0, a, 4, kDescFlagWrite | kDescFlagNext, 1);
  driver.write_desc(0, 1, a + 4, 4, 0, 0);
  submit_raw(0);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, AvailIndexJumpsPastTheQueueSize) {
  driver.set_avail_idx(0, kSize + 1);
  driver.kick(0);
  expect_broken_then_recovers();
  driver.set_avail_idx(0, uint16_t(driver.ring(0).avail_idx - 1));  // backwards: a jump of 65535
  driver.kick(0);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, AvailIndexJumpOfExactlyTheQueueSizeIsAllowed) {
  const uint64_t a = driver.alloc(1);
  for (uint16_t i = 0; i < kSize; i++) {
    driver.write_desc(0, i, a, 1, 0, 0);
    driver.poke_value<uint16_t>(driver.ring(0).avail + 4 + 2 * i, i);
  }
  driver.set_avail_idx(0, kSize);
  driver.kick(0);
  EXPECT_FALSE(driver.needs_reset());
  EXPECT_EQ(driver.used_idx(0), kSize);
}

TEST_F(VirtioHostileTest, IndirectLoop) {
  const uint64_t a = driver.alloc(8);
  const uint64_t t = table({{a, 8, kDescFlagNext, 1}, {a, 8, kDescFlagNext, 0}});
  single(t, 32, kDescFlagIndirect);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, IndirectNextOutOfRange) {
  const uint64_t a = driver.alloc(8);
  const uint64_t t = table({{a, 8, kDescFlagNext, 1}, {a, 8, kDescFlagNext, 2}});
  single(t, 32, kDescFlagIndirect);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, IndirectBufferOutsideRam) {
  const uint64_t t = table({{ram_end - 4, 8, 0, 0}});
  single(t, 16, kDescFlagIndirect);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, IndirectTableOutsideRamOrStraddling) {
  single(0x2000, 32, kDescFlagIndirect);
  expect_broken_then_recovers();
  single(ram_end - 16, 32, kDescFlagIndirect);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, IndirectTableBadLengths) {
  const uint64_t a = driver.alloc(8);
  const uint64_t t = table({{a, 8, 0, 0}, {a, 8, 0, 0}});
  for (uint32_t len : {0u, 8u, 17u, 16u * (kSize + 1)}) {
    single(t, len, kDescFlagIndirect);
    expect_broken_then_recovers();
  }
}

TEST_F(VirtioHostileTest, NestedIndirect) {
  const uint64_t a = driver.alloc(8);
  const uint64_t inner = table({{a, 8, 0, 0}});
  const uint64_t outer = table({{inner, 16, kDescFlagIndirect, 0}});
  single(outer, 16, kDescFlagIndirect);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, IndirectWithNext) {
  const uint64_t a = driver.alloc(8);
  const uint64_t t = table({{a, 8, 0, 0}});
  driver.write_desc(0, 0, t, 16, kDescFlagIndirect | kDescFlagNext, 1);
  driver.write_desc(0, 1, a, 8, 0, 0);
  submit_raw(0);
  expect_broken_then_recovers();
}

TEST_F(VirtioHostileTest, IndirectWithoutTheFeature) {
  driver.bring_up(feature_bit(kFeatureVersion1), 1, kSize);
  const uint64_t a = driver.alloc(8);
  single(table({{a, 8, 0, 0}}), 16, kDescFlagIndirect);
  EXPECT_TRUE(driver.needs_reset());
}

TEST_F(VirtioHostileTest, IndirectAfterDirectDescriptorsIsAccepted) {
  // Allowed by the spec as long as the indirect one ends the chain.
  const uint64_t a = driver.alloc(8), out = driver.alloc(8);
  driver.poke(a, "ab", 2);
  const uint64_t t = table({{out, 8, kDescFlagWrite, 0}});
  driver.write_desc(0, 0, a, 2, kDescFlagNext, 1);
  driver.write_desc(0, 1, t, 16, kDescFlagIndirect, 0);
  submit_raw(0);
  EXPECT_FALSE(driver.needs_reset());
  auto used = driver.poll_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 2u);
}

class VirtioHostileSetupTest : public ::testing::Test {
 protected:
  EchoDevice device{1, kSize};
  VirtioBench bench{device};
  FakeVirtioDriver& driver = bench.driver;

  // Sets queue 0 up with the given size and ring addresses and enables it.
  void enable(uint32_t num, uint64_t desc, uint64_t avail, uint64_t used) {
    ASSERT_TRUE(driver.negotiate(kFeatures));
    FakeVirtioDriver::Ring r;
    r.size = uint16_t(num);
    r.desc = desc;
    r.avail = avail;
    r.used = used;
    driver.set_queue_layout(0, r, num);
    driver.set_reg(mmio::kQueueReady, 1);
  }
  void enable_with_size(uint32_t num) {
    enable(num, driver.alloc(16 * 1024, 16), driver.alloc(4096, 2), driver.alloc(16384, 4));
  }
  void expect_broken() {
    EXPECT_TRUE(driver.needs_reset());
    EXPECT_TRUE(driver.reg(mmio::kInterruptStatus) & kInterruptConfigChange);
    driver.driver_ok();
    driver.kick(0);  // ignored: the device is broken
    EXPECT_EQ(device.chains, 0u);
    EXPECT_EQ(device.notifications, 0);
    driver.bring_up(kFeatures, 1, kSize);  // and it recovers
    EXPECT_FALSE(driver.needs_reset());
  }
};

TEST_F(VirtioHostileSetupTest, QueueSizeZero) {
  enable_with_size(0);
  expect_broken();
}

TEST_F(VirtioHostileSetupTest, QueueSizeNotAPowerOfTwo) {
  enable_with_size(3);
  expect_broken();
}

TEST_F(VirtioHostileSetupTest, QueueSizeAboveTheMaximum) {
  enable_with_size(kSize * 2);
  expect_broken();
}

TEST_F(VirtioHostileSetupTest, QueueSizeBeyond16Bits) {
  enable_with_size(0x10000 | 8);
  expect_broken();
}

TEST_F(VirtioHostileSetupTest, RingsOutsideRam) {
  const uint64_t end = bench.ram.end();
  enable(kSize, end - 64, driver.alloc(64, 2), driver.alloc(256, 4));  // descriptor table straddles the end
  expect_broken();
  enable(kSize, driver.alloc(256, 16), 0x10, driver.alloc(256, 4));
  expect_broken();
  enable(kSize, driver.alloc(256, 16), driver.alloc(64, 2), ~uint64_t(0) - 3);
  expect_broken();
}

TEST_F(VirtioHostileSetupTest, MisalignedRings) {
  enable(kSize, driver.alloc(512, 16) + 8, driver.alloc(64, 2), driver.alloc(256, 4));
  expect_broken();
  enable(kSize, driver.alloc(512, 16), driver.alloc(64, 2) + 1, driver.alloc(256, 4));
  expect_broken();
  enable(kSize, driver.alloc(512, 16), driver.alloc(64, 2), driver.alloc(256, 4) + 2);
  expect_broken();
}

TEST_F(VirtioHostileSetupTest, NotifyBeforeDriverOkIsIgnored) {
  ASSERT_TRUE(driver.negotiate(kFeatures));
  driver.setup_queue(0, kSize);
  // Garbage rings and a kick before DRIVER_OK: nothing is read, nothing breaks.
  driver.set_avail_idx(0, 0x7777);
  driver.kick(0);
  driver.kick(0);
  EXPECT_FALSE(driver.needs_reset());
  EXPECT_EQ(device.notifications, 0);
}

TEST_F(VirtioHostileSetupTest, NotifyOnAQueueThatIsNotReady) {
  EchoDevice two{2, kSize};
  VirtioBench b{two};
  ASSERT_TRUE(b.driver.negotiate(kFeatures));
  b.driver.setup_queue(0, kSize);
  b.driver.driver_ok();
  b.driver.kick(1);  // queue 1 was never set up
  EXPECT_FALSE(b.driver.needs_reset());
  EXPECT_EQ(two.chains, 0u);
}

// Random descriptor tables, indirect tables and ring indexes, thousands of times. Every
// outcome is allowed except a crash, a used element that was never offered, or a used
// length larger than the chain could hold; both outcomes (served, broken) must occur.
TEST(VirtioHostileRandomTest, RandomRingsNeverBreakTheHost) {
  constexpr uint16_t kQueue = 8;
  EchoDevice device{1, kQueue, 4096};
  VirtioBench bench{device, 1 << 20};
  FakeVirtioDriver& driver = bench.driver;
  std::mt19937_64 rng(20240501);
  auto pick = [&](uint64_t n) { return rng() % n; };
  const uint64_t base = bench.ram.base(), end = bench.ram.end();
  const uint64_t scratch = base + (512 << 10);  // buffers and indirect tables live here

  auto random_addr = [&]() -> uint64_t {
    switch (pick(6)) {
      case 0:
        return rng();  // anywhere
      case 1:
        return end - pick(64);  // at the end of RAM
      case 2:
        return base - 1 - pick(64);  // just below RAM
      default:
        return scratch + pick((256 << 10) - 64);  // inside RAM
    }
  };
  auto random_len = [&]() -> uint32_t {
    switch (pick(5)) {
      case 0:
        return uint32_t(rng());
      case 1:
        return 0;
      case 2:
        return 16 * uint32_t(1 + pick(kQueue + 1));  // indirect-table sized
      default:
        return uint32_t(1 + pick(2048));
    }
  };
  auto random_desc = [&](uint64_t at, uint16_t entries) {
    const uint16_t flags = uint16_t(pick(8) == 0 ? rng() : pick(8));  // NEXT, WRITE, INDIRECT mostly
    driver.write_desc_at(at, random_addr(), random_len(), flags, uint16_t(pick(entries + 2)));
  };

  int served = 0, broken = 0;
  driver.bring_up(kFeatures | feature_bit(kFeatureEventIdx), 1, kQueue);
  for (int iteration = 0; iteration < 4000; iteration++) {
    if (driver.needs_reset() || pick(50) == 0) {
      broken += driver.needs_reset();
      driver.bring_up(pick(2) ? kFeatures : kFeatures | feature_bit(kFeatureEventIdx), 1, kQueue);
    }
    FakeVirtioDriver::Ring& ring = driver.ring(0);
    for (uint16_t i = 0, n = uint16_t(pick(4)); i < n; i++)
      random_desc(ring.desc + 16 * pick(kQueue), kQueue);
    // A few indirect tables where descriptors may point.
    for (uint16_t i = 0, n = uint16_t(pick(3)); i < n; i++) {
      const uint64_t t = scratch + 16 * pick((256 << 10) / 16 - kQueue);
      for (uint16_t j = 0; j < kQueue; j++) random_desc(t + 16 * j, kQueue);
    }
    const uint16_t new_entries = uint16_t(pick(10) == 0 ? rng() : pick(4));
    for (uint16_t i = 0; i < std::min<uint16_t>(new_entries, kQueue); i++)
      driver.poke_value<uint16_t>(ring.avail + 4 + 2 * ((ring.avail_idx + i) % kQueue),
                                  uint16_t(pick(12) == 0 ? rng() : pick(kQueue)));
    driver.set_used_event(0, uint16_t(rng()));
    driver.set_avail_flags(0, uint16_t(pick(2)));
    driver.set_avail_idx(0, uint16_t(ring.avail_idx + new_entries));
    driver.kick(0);
    while (auto used = driver.poll_used(0)) {
      ASSERT_LT(used->id, kQueue);
      ASSERT_LE(used->len, 4096u);
      served++;
    }
    driver.ack_interrupts();
  }
  EXPECT_GT(served, 100);
  EXPECT_GT(broken, 100);
}

}  // namespace
}  // namespace strata::testing
