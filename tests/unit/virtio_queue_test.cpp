// The split virtqueue's normal behaviour: gathering and scattering over chains,
// indirect tables, zero-length buffers, interrupt suppression (NO_INTERRUPT and
// EVENT_IDX), the avail_event the device publishes, and 16-bit index wrap-around.
#include <gtest/gtest.h>

#include "virtio_fake_driver.h"

namespace strata::testing {
namespace {

using namespace virtio;

constexpr uint64_t kBase = feature_bit(kFeatureVersion1);

TEST(VirtioChainTest, ReadWriteAndIovecsSpanSegments) {
  uint8_t a[3] = {1, 2, 3}, b[2] = {4, 5}, c[4] = {}, d[2] = {};
  Chain chain;
  chain.readable = {std::span<uint8_t>(a), std::span<uint8_t>(b)};
  chain.readable_bytes = 5;
  chain.writable = {std::span<uint8_t>(c), std::span<uint8_t>(d)};
  chain.writable_bytes = 6;

  uint8_t out[8] = {};
  EXPECT_EQ(chain.read(2, out), 3u);  // 3, 4, 5 then the end
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(out[2], 5);
  EXPECT_EQ(chain.read(5, out), 0u);
  EXPECT_EQ(chain.read(100, out), 0u);

  const uint8_t in[4] = {9, 8, 7, 6};
  EXPECT_EQ(chain.write(3, in), 3u);  // the last byte of c and both of d
  EXPECT_EQ(c[3], 9);
  EXPECT_EQ(d[0], 8);
  EXPECT_EQ(d[1], 7);

  std::vector<iovec> iov;
  EXPECT_TRUE(chain.iovecs(false, 1, 3, iov));
  ASSERT_EQ(iov.size(), 2u);
  EXPECT_EQ(iov[0].iov_base, a + 1);
  EXPECT_EQ(iov[0].iov_len, 2u);
  EXPECT_EQ(iov[1].iov_base, b);
  EXPECT_EQ(iov[1].iov_len, 1u);
  iov.clear();
  EXPECT_FALSE(chain.iovecs(true, 2, 5, iov));  // only 4 bytes from offset 2
  EXPECT_TRUE(chain.iovecs(true, 6, 0, iov));
}

class VirtioQueueTest : public ::testing::Test {
 protected:
  EchoDevice device{1, 16};
  VirtioBench bench{device};
  FakeVirtioDriver& driver = bench.driver;

  uint64_t text(const std::string& s) {
    const uint64_t at = driver.alloc(s.size());
    driver.poke(at, s.data(), s.size());
    return at;
  }
};

TEST_F(VirtioQueueTest, LongDirectChainAndIndirectChain) {
  driver.bring_up(kBase | feature_bit(kFeatureIndirectDesc), 1, 16);
  const uint64_t out = driver.alloc(16);
  driver.add(0, {{text("ab"), 2, false},
                 {text("cde"), 3, false},
                 {text("f"), 1, false},
                 {out, 4, true},
                 {out + 4, 12, true}});
  driver.kick(0);
  auto used = driver.poll_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 6u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(driver.host(out)), 6), "abcdef");

  const uint64_t out2 = driver.alloc(16);
  const uint16_t head =
      driver.add_indirect(0, {{text("xy"), 2, false}, {text("z"), 1, false}, {out2, 8, true}});
  driver.kick(0);
  used = driver.poll_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->id, head);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(driver.host(out2)), used->len), "xyz");
  EXPECT_FALSE(driver.needs_reset());
}

TEST_F(VirtioQueueTest, ZeroLengthBuffersAreNeverDereferenced) {
  driver.bring_up(kBase, 1, 16);
  const uint64_t out = driver.alloc(8);
  driver.add(0,
             {{0xdead0000beef, 0, false}, {text("ok"), 2, false}, {~uint64_t(0), 0, true}, {out, 8, true}});
  driver.kick(0);
  auto used = driver.poll_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 2u);
  EXPECT_FALSE(driver.needs_reset());
}

TEST_F(VirtioQueueTest, NoInterruptFlagSuppressesInterrupts) {
  driver.bring_up(kBase, 1, 16);
  driver.set_avail_flags(0, kAvailFlagNoInterrupt);
  driver.add(0, {{text("q"), 1, false}});
  driver.kick(0);
  EXPECT_TRUE(driver.poll_used(0));
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), 0u);
  EXPECT_FALSE(bench.irq.level());
  driver.set_avail_flags(0, 0);
  driver.add(0, {{text("q"), 1, false}});
  driver.kick(0);
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), kInterruptUsedBuffer);
}

TEST_F(VirtioQueueTest, EventIdxControlsInterruptsAndPublishesAvailEvent) {
  driver.bring_up(kBase | feature_bit(kFeatureEventIdx), 1, 16);
  ASSERT_TRUE(driver.features() & feature_bit(kFeatureEventIdx));
  auto request = [&] {
    driver.ack_interrupts();
    driver.add(0, {{text("e"), 1, false}});
    driver.kick(0);
    EXPECT_TRUE(driver.poll_used(0));
    return driver.reg(mmio::kInterruptStatus) != 0;
  };
  driver.set_used_event(0, 0);
  EXPECT_TRUE(request());  // used idx 0 -> 1 crosses used_event 0
  EXPECT_EQ(driver.avail_event(0), 1);
  driver.set_used_event(0, 3);
  EXPECT_FALSE(request());  // 1 -> 2: not yet
  EXPECT_FALSE(request());  // 2 -> 3
  EXPECT_TRUE(request());   // 3 -> 4 crosses 3
  EXPECT_EQ(driver.avail_event(0), 4);
  // Two requests in one notification, used_event at the first: one interrupt.
  driver.set_used_event(0, 4);
  driver.ack_interrupts();
  driver.add(0, {{text("a"), 1, false}});
  driver.add(0, {{text("b"), 1, false}});
  driver.kick(0);
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), kInterruptUsedBuffer);
  EXPECT_EQ(driver.avail_event(0), 6);
}

TEST_F(VirtioQueueTest, AvailableDoesNotTake) {
  driver.bring_up(kBase, 1, 16);
  std::lock_guard lock(device.mutex());
  Queue& queue = bench.transport.queue(0);
  EXPECT_FALSE(queue.available());
  driver.add(0, {{text("p"), 1, false}});
  EXPECT_TRUE(queue.available());
  EXPECT_TRUE(queue.available());
  EXPECT_TRUE(queue.pop());
  EXPECT_FALSE(queue.available());
  EXPECT_FALSE(queue.pop());
}

TEST_F(VirtioQueueTest, IndexesWrapAround16Bits) {
  EchoDevice small{1, 4};
  VirtioBench b{small};
  b.driver.bring_up(kBase, 1, 4);
  const uint64_t in = b.driver.alloc(4), out = b.driver.alloc(4);
  for (uint32_t i = 0; i < 70000; i++) {
    b.driver.poke_value<uint32_t>(in, i);
    const uint16_t head = b.driver.add(0, {{in, 4, false}, {out, 4, true}});
    b.driver.kick(0);
    auto used = b.driver.poll_used(0);
    ASSERT_TRUE(used) << i;
    ASSERT_EQ(used->id, head);
    ASSERT_EQ(b.driver.peek_value<uint32_t>(out), i);
  }
  EXPECT_EQ(b.driver.used_idx(0), uint16_t(70000));
  EXPECT_FALSE(b.driver.needs_reset());
}

}  // namespace
}  // namespace strata::testing
