// virtio-mmio version 2 transport: registers, feature negotiation, queue setup,
// notifications, interrupts, reset and save/restore, driven like Linux drives it.
#include <gtest/gtest.h>

#include <string>

#include "util/error.h"
#include "virtio_fake_driver.h"

namespace strata::testing {
namespace {

using namespace virtio;

constexpr uint64_t kWanted = feature_bit(kFeatureVersion1) | 1;

class VirtioTransportTest : public ::testing::Test {
 protected:
  EchoDevice device{2};
  VirtioBench bench{device};
  FakeVirtioDriver& driver = bench.driver;

  // One echo request on queue q: `text` readable, `room` writable bytes. Returns the reply.
  std::string echo(unsigned q, const std::string& text, uint32_t room = 64) {
    const uint64_t in = driver.alloc(text.size() + 1), out = driver.alloc(room);
    driver.poke(in, text.data(), text.size());
    const uint16_t head = driver.add(q, {{in, uint32_t(text.size()), false}, {out, room, true}});
    driver.kick(q);
    auto used = driver.wait_used(q);
    if (!used) return "<none>";
    EXPECT_EQ(used->id, head);
    std::string reply(used->len, '\0');
    driver.peek(out, reply.data(), used->len);
    return reply;
  }
};

TEST_F(VirtioTransportTest, IdentityRegisters) {
  EXPECT_EQ(driver.reg(mmio::kMagicValue), 0x74726976u);
  EXPECT_EQ(driver.reg(mmio::kVersion), 2u);
  EXPECT_EQ(driver.reg(mmio::kDeviceId), 42u);
  EXPECT_EQ(driver.reg(mmio::kVendorId), mmio::kVendor);
  const uint64_t features = driver.device_features();
  EXPECT_TRUE(features & feature_bit(kFeatureVersion1));
  EXPECT_TRUE(features & feature_bit(kFeatureIndirectDesc));
  EXPECT_TRUE(features & feature_bit(kFeatureEventIdx));
  EXPECT_TRUE(features & 1);  // the device's own bit
  driver.set_reg(mmio::kDeviceFeaturesSel, 2);
  EXPECT_EQ(driver.reg(mmio::kDeviceFeatures), 0u);
  EXPECT_EQ(driver.reg(mmio::kShmLenLow), 0xffffffffu);  // no shared memory regions
  EXPECT_EQ(driver.reg(mmio::kShmLenHigh), 0xffffffffu);
}

TEST_F(VirtioTransportTest, FeaturesOkNeedsVersion1) {
  EXPECT_FALSE(driver.negotiate(1));  // a legacy driver: refused
  EXPECT_EQ(driver.status() & kStatusFeaturesOk, 0u);
  EXPECT_TRUE(driver.negotiate(kWanted));
  EXPECT_EQ(driver.status(), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
}

TEST_F(VirtioTransportTest, FeaturesOkRefusesBitsNotOffered) {
  driver.reset();
  driver.add_status(kStatusAcknowledge | kStatusDriver);
  driver.set_reg(mmio::kDriverFeaturesSel, 1);
  driver.set_reg(mmio::kDriverFeatures, 1 | (1u << 18));  // VERSION_1 and bit 50
  driver.add_status(kStatusFeaturesOk);
  EXPECT_EQ(driver.status() & kStatusFeaturesOk, 0u);
}

TEST_F(VirtioTransportTest, DriverFeaturesFrozenAfterFeaturesOk) {
  ASSERT_TRUE(driver.negotiate(kWanted));
  driver.set_reg(mmio::kDriverFeaturesSel, 0);
  driver.set_reg(mmio::kDriverFeatures, 0);
  EXPECT_EQ(bench.transport.driver_features(), kWanted);
}

TEST_F(VirtioTransportTest, QueueRegisters) {
  ASSERT_TRUE(driver.negotiate(kWanted));
  driver.set_reg(mmio::kQueueSel, 0);
  EXPECT_EQ(driver.reg(mmio::kQueueNumMax), 16u);
  driver.set_reg(mmio::kQueueSel, 2);  // no such queue: Linux sees num_max 0 and stops
  EXPECT_EQ(driver.reg(mmio::kQueueNumMax), 0u);
  EXPECT_EQ(driver.reg(mmio::kQueueReady), 0u);
  driver.set_reg(mmio::kQueueReady, 1);  // ignored
  driver.setup_queue(0, 8);
  driver.set_reg(mmio::kQueueSel, 0);
  EXPECT_EQ(driver.reg(mmio::kQueueReady), 1u);
  // A live queue cannot be moved.
  driver.set_reg(mmio::kQueueDescLow, 0x1000);
  driver.set_reg(mmio::kQueueNum, 4);
  EXPECT_EQ(bench.transport.queue(0).desc_addr(), driver.ring(0).desc);
  EXPECT_EQ(bench.transport.queue(0).size(), 8u);
  driver.set_reg(mmio::kQueueReady, 0);
  EXPECT_EQ(driver.reg(mmio::kQueueReady), 0u);
  EXPECT_FALSE(driver.needs_reset());
}

TEST_F(VirtioTransportTest, RoundTripRaisesUsedBufferInterrupt) {
  driver.bring_up(kWanted, 2, 8);
  EXPECT_EQ(device.activations, 1);
  const uint64_t raises = bench.irq.raises();
  const uint64_t in = driver.alloc(16), out = driver.alloc(16);
  driver.poke(in, "hello", 5);
  const uint16_t head = driver.add(1, {{in, 5, false}, {out, 16, true}});
  driver.kick(1);
  EXPECT_EQ(bench.irq.raises(), raises + 1);
  EXPECT_TRUE(bench.irq.level());
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), kInterruptUsedBuffer);
  auto used = driver.poll_used(1);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->id, head);
  EXPECT_EQ(used->len, 5u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(driver.host(out)), 5), "hello");
  driver.set_reg(mmio::kInterruptAck, kInterruptUsedBuffer);
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), 0u);
  EXPECT_FALSE(bench.irq.level());
  EXPECT_EQ(echo(0, "second queue"), "second queue");
}

TEST_F(VirtioTransportTest, NotifyBeforeDriverOkIsIgnoredThenServedAtDriverOk) {
  ASSERT_TRUE(driver.negotiate(kWanted));
  driver.setup_queue(0, 8);
  const uint64_t in = driver.alloc(8), out = driver.alloc(8);
  driver.poke(in, "early", 5);
  driver.add(0, {{in, 5, false}, {out, 8, true}});
  driver.kick(0);
  EXPECT_EQ(device.notifications, 0);
  EXPECT_FALSE(driver.poll_used(0));
  EXPECT_FALSE(driver.needs_reset());
  driver.driver_ok();
  auto used = driver.poll_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 5u);
}

TEST_F(VirtioTransportTest, NotifyOfMissingQueueIsIgnored) {
  driver.bring_up(kWanted, 2, 8);
  driver.kick(7);
  driver.kick(0xffff);
  EXPECT_EQ(device.notifications, 0);
  EXPECT_FALSE(driver.needs_reset());
}

TEST_F(VirtioTransportTest, ResetClearsEverythingAndDeviceWorksAgain) {
  driver.bring_up(kWanted, 2, 8);
  EXPECT_EQ(echo(0, "one"), "one");
  driver.set_reg(mmio::kInterruptStatus, 0);  // read-only: no effect
  const uint64_t in = driver.alloc(8), out = driver.alloc(8);
  driver.add(0, {{in, 4, false}, {out, 8, true}});
  driver.kick(0);
  ASSERT_NE(driver.reg(mmio::kInterruptStatus), 0u);
  driver.reset();
  EXPECT_EQ(device.resets, 2);  // negotiate() reset it first, as Linux does
  EXPECT_EQ(driver.status(), 0u);
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), 0u);
  EXPECT_FALSE(bench.irq.level());
  driver.set_reg(mmio::kQueueSel, 0);
  EXPECT_EQ(driver.reg(mmio::kQueueReady), 0u);
  EXPECT_EQ(bench.transport.driver_features(), 0u);
  // Fresh rings: indexes start at zero again.
  driver.bring_up(kWanted, 2, 8);
  EXPECT_EQ(echo(0, "again"), "again");
}

TEST_F(VirtioTransportTest, OtherAccessSizesToRegistersAreIgnored) {
  uint64_t v = 1;
  ASSERT_TRUE(bench.bus.read(FakeVirtioDriver::kSlot + mmio::kMagicValue, 2, v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(bench.bus.read(FakeVirtioDriver::kSlot + mmio::kVersion, 8, v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(bench.bus.write(FakeVirtioDriver::kSlot + mmio::kStatus, 1, kStatusAcknowledge));
  EXPECT_EQ(driver.status(), 0u);
  ASSERT_TRUE(bench.bus.read(FakeVirtioDriver::kSlot + mmio::kMagicValue + 1, 4, v));  // misaligned
  EXPECT_EQ(v, 0u);
}

TEST_F(VirtioTransportTest, ConfigSpaceAnySizeAndGeneration) {
  EXPECT_EQ(driver.config(0, 1), 1u);
  EXPECT_EQ(driver.config(2, 2), 0x0403u);
  EXPECT_EQ(driver.config(4, 4), 0x08070605u);
  EXPECT_EQ(driver.config(0, 8), 0x0807060504030201u);
  EXPECT_EQ(driver.config(6, 4), 0x0807u);  // past the end reads 0
  EXPECT_EQ(driver.config(0xe00, 4), 0u);
  const uint32_t generation = driver.reg(mmio::kConfigGeneration);
  driver.set_config(0, 1, 0xaa);
  EXPECT_EQ(driver.config(0, 1), 0xaau);
  EXPECT_EQ(driver.reg(mmio::kConfigGeneration), generation + 1);
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), kInterruptConfigChange);
  EXPECT_TRUE(bench.irq.level());
}

TEST_F(VirtioTransportTest, StatusBitsAccumulateAndNeedsResetIsTheDevicesBit) {
  driver.set_reg(mmio::kStatus, kStatusAcknowledge);
  driver.set_reg(mmio::kStatus, kStatusDriver);  // a driver cannot clear ACKNOWLEDGE
  EXPECT_EQ(driver.status(), kStatusAcknowledge | kStatusDriver);
  driver.add_status(kStatusNeedsReset);
  EXPECT_EQ(driver.status() & kStatusNeedsReset, 0u);
  driver.add_status(kStatusFailed);
  EXPECT_TRUE(driver.status() & kStatusFailed);
}

TEST_F(VirtioTransportTest, DriverOkWithoutFeaturesOkBreaksTheDevice) {
  driver.reset();
  driver.add_status(kStatusAcknowledge | kStatusDriver);
  driver.add_status(kStatusDriverOk);
  EXPECT_TRUE(driver.needs_reset());
  EXPECT_EQ(driver.status() & kStatusDriverOk, 0u);
  EXPECT_EQ(device.activations, 0);
  EXPECT_EQ(driver.reg(mmio::kInterruptStatus), kInterruptConfigChange);
}

TEST_F(VirtioTransportTest, SaveRestoreRoundTrip) {
  driver.bring_up(kWanted, 2, 8);
  EXPECT_EQ(echo(0, "before"), "before");
  // A request left available but not yet served when the state is saved.
  const uint64_t in = driver.alloc(8), out = driver.alloc(8);
  driver.poke(in, "pending", 7);
  const uint16_t pending = driver.write_chain(1, {{in, 7, false}, {out, 8, true}});
  driver.publish(1, pending);  // no kick: the echo device serves only when notified
  const DeviceState saved = bench.transport.save();
  EXPECT_EQ(saved.kind, "virtio-mmio");

  // A second machine over a copy of the same memory, restored from the state.
  EchoDevice device2{2};
  VirtioBench bench2{device2};
  std::memcpy(bench2.ram.host_base(), bench.ram.host_base(), bench.ram.size());
  bench2.transport.restore(saved);
  EXPECT_EQ(device2.chains, 2u);  // the restored count, plus the pending request served at activation
  EXPECT_EQ(bench2.transport.status(), bench.transport.status());
  EXPECT_EQ(bench2.transport.driver_features(), kWanted);
  auto used = [&]() -> std::optional<UsedElem> {
    FakeVirtioDriver& d2 = bench2.driver;
    uint64_t used_ring = driver.ring(1).used;
    uint16_t idx = d2.peek_value<uint16_t>(used_ring + 2);
    if (idx != 1) return std::nullopt;
    return UsedElem{d2.peek_value<uint32_t>(used_ring + 4), d2.peek_value<uint32_t>(used_ring + 8)};
  }();
  ASSERT_TRUE(used);
  EXPECT_EQ(used->id, pending);
  EXPECT_EQ(used->len, 7u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(bench2.ram.host(out)), 7), "pending");
}

TEST_F(VirtioTransportTest, SaveOfRestoredStateIsIdentical) {
  driver.bring_up(kWanted, 2, 8);
  EXPECT_EQ(echo(1, "x"), "x");
  const DeviceState saved = bench.transport.save();
  EchoDevice device2{2};
  VirtioBench bench2{device2};
  std::memcpy(bench2.ram.host_base(), bench.ram.host_base(), bench.ram.size());
  bench2.transport.restore(saved);
  const DeviceState again = bench2.transport.save();
  EXPECT_EQ(again.kind, saved.kind);
  EXPECT_EQ(again.version, saved.version);
  EXPECT_EQ(again.data, saved.data);
}

TEST_F(VirtioTransportTest, RestoreRefusesForeignOrTruncatedState) {
  driver.alloc(128 << 10);  // rings beyond the first 128 KiB of RAM
  driver.bring_up(kWanted, 2, 8);
  DeviceState state = bench.transport.save();
  DeviceState wrong_version = state;
  wrong_version.version = 99;
  EXPECT_THROW(bench.transport.restore(wrong_version), Error);
  DeviceState truncated = state;
  truncated.data.resize(truncated.data.size() / 2);
  EXPECT_THROW(bench.transport.restore(truncated), Error);
  EchoDevice one_queue{1};
  VirtioBench other{one_queue};
  EXPECT_THROW(other.transport.restore(state), Error);  // queue count differs
  // A state whose rings do not fit a smaller machine.
  EchoDevice small_device{2};
  VirtioBench small{small_device, 64 << 10};
  EXPECT_THROW(small.transport.restore(state), Error);
}

TEST_F(VirtioTransportTest, SaveRestoreKeepsInterruptLevel) {
  driver.bring_up(kWanted, 2, 8);
  const uint64_t in = driver.alloc(8), out = driver.alloc(8);
  driver.add(0, {{in, 4, false}, {out, 8, true}});
  driver.kick(0);
  DeviceState saved = bench.transport.save();
  EchoDevice device2{2};
  VirtioBench bench2{device2};
  std::memcpy(bench2.ram.host_base(), bench.ram.host_base(), bench.ram.size());
  bench2.transport.restore(saved);
  EXPECT_TRUE(bench2.irq.level());
  EXPECT_EQ(bench2.transport.interrupt_status(), kInterruptUsedBuffer);
}

}  // namespace
}  // namespace strata::testing
