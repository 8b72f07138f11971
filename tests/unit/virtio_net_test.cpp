// virtio-net through the MMIO transport with a fake driver: configuration, transmit and
// receive with an in-memory back end, the bounded receive queue, hostile chains, save and
// restore, the factory, and a DHCP exchange with the real slirp back end.
#include <gtest/gtest.h>

#include <cstring>

#include "devices/virtio/net/device.h"
#include "devices/virtio/net/make_virtio_net.h"
#include "devices/virtio/net/spec.h"
#include "net/slirp_backend.h"
#include "net_test_frames.h"
#include "util/error.h"
#include "virtio_fake_driver.h"

namespace strata::virtio {
namespace {

using namespace strata::testing;
using net::kHeaderBytes;
using net::kQueueRx;
using net::kQueueTx;

constexpr uint64_t kAllFeatures = ~uint64_t(0);
constexpr uint16_t kRingSize = 16;

// The host side of the wire held in memory: frames the guest sent, and inject() to play a
// frame arriving from the host (on the calling thread, as the back end's thread would).
class MemoryBackend final : public NetBackend {
 public:
  std::string_view name() const override { return "memory"; }
  void send(std::span<const uint8_t> frame) override {
    std::lock_guard lock(mutex_);
    sent_.emplace_back(frame.begin(), frame.end());
  }
  void start() override { started = true; }
  void stop() override { started = false; }
  void inject(const Bytes& frame) { deliver(frame); }
  std::vector<Bytes> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  bool started = false;

 private:
  std::mutex mutex_;
  std::vector<Bytes> sent_;
};

// A recognisable frame of `size` bytes: Ethernet header, then a counter pattern.
Bytes test_frame(size_t size, uint8_t seed) {
  Bytes payload(size - 14);
  for (size_t i = 0; i < payload.size(); i++) payload[i] = uint8_t(seed + i);
  return ethernet(kDefaultGuestMac, MacAddress{0x52, 0x55, 0x0a, 0, 2, 2}, 0x88b5, payload);
}

class VirtioNetTest : public ::testing::Test {
 protected:
  VirtioNetTest() {
    auto backend = std::make_unique<MemoryBackend>();
    host = backend.get();
    device = std::make_unique<NetDevice>(std::move(backend), kDefaultGuestMac);
    bench = std::make_unique<VirtioBench>(*device);
  }
  ~VirtioNetTest() override {
    device->stop_backend();
    bench.reset();
  }
  FakeVirtioDriver& driver() { return bench->driver; }
  void bring_up() { driver().bring_up(kAllFeatures, 2, kRingSize); }

  // Puts header + frame in guest memory as one or two readable buffers and transmits it.
  uint16_t transmit(const Bytes& frame, bool split_header) {
    uint64_t at = driver().alloc(kHeaderBytes + frame.size());
    Bytes header(kHeaderBytes, 0);
    driver().poke(at, header.data(), header.size());
    driver().poke(at + kHeaderBytes, frame.data(), frame.size());
    std::vector<Buf> bufs;
    if (split_header)
      bufs = {{at, kHeaderBytes, false}, {at + kHeaderBytes, uint32_t(frame.size()), false}};
    else
      bufs = {{at, uint32_t(kHeaderBytes + frame.size()), false}};
    uint16_t head = driver().add(kQueueTx, bufs);
    driver().kick(kQueueTx);
    return head;
  }
  // A receive buffer of `size` bytes; returns its guest address.
  uint64_t post_rx(uint32_t size = 1526) {
    uint64_t at = driver().alloc(size);
    driver().add(kQueueRx, {{at, size, true}});
    return at;
  }
  Bytes peek(uint64_t at, size_t n) {
    Bytes b(n);
    driver().peek(at, b.data(), n);
    return b;
  }

  MemoryBackend* host;
  std::unique_ptr<NetDevice> device;
  std::unique_ptr<VirtioBench> bench;
};

TEST_F(VirtioNetTest, IdentityFeaturesAndConfiguration) {
  EXPECT_EQ(driver().reg(mmio::kDeviceId), 1u);
  uint64_t features = driver().device_features();
  EXPECT_TRUE(features & feature_bit(net::kFeatureMac));
  EXPECT_TRUE(features & feature_bit(net::kFeatureStatus));
  EXPECT_TRUE(features & feature_bit(kFeatureVersion1));
  EXPECT_FALSE(features & feature_bit(15));  // no mergeable buffers
  EXPECT_FALSE(features & feature_bit(0));   // no checksum offload
  for (unsigned i = 0; i < 6; i++) EXPECT_EQ(driver().config(i, 1), kDefaultGuestMac[i]) << i;
  EXPECT_EQ(driver().config(0, 4), 0x12005452u);  // little-endian bytes 52 54 00 12
  EXPECT_EQ(driver().config(net::kConfigStatus, 2), net::kStatusLinkUp);
  EXPECT_EQ(driver().config(8, 2), 0u);  // nothing beyond status
  driver().set_config(0, 1, 0xff);       // read-only
  EXPECT_EQ(driver().config(0, 1), 0x52u);
  EXPECT_TRUE(host->started);  // started when the transport attached the device
}

TEST_F(VirtioNetTest, TransmitStripsTheHeaderWhateverTheLayout) {
  bring_up();
  Bytes a = test_frame(60, 1), b = test_frame(1514, 2);
  uint16_t head_a = transmit(a, true);
  auto used = driver().wait_used(kQueueTx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->id, head_a);
  EXPECT_EQ(used->len, 0u);
  uint16_t head_b = transmit(b, false);
  used = driver().wait_used(kQueueTx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->id, head_b);
  auto sent = host->sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], a);
  EXPECT_EQ(sent[1], b);
  EXPECT_EQ(device->tx_dropped(), 0u);
}

TEST_F(VirtioNetTest, TransmitChainsWithoutAFrameAreDroppedNotFatal) {
  bring_up();
  uint64_t at = driver().alloc(64);
  driver().add(kQueueTx, {{at, kHeaderBytes + 13, false}});  // one byte short of an Ethernet header
  driver().add(kQueueTx, {{at, 64, true}});                  // writable only
  driver().kick(kQueueTx);
  ASSERT_TRUE(driver().wait_used(kQueueTx));
  ASSERT_TRUE(driver().wait_used(kQueueTx));
  EXPECT_TRUE(host->sent().empty());
  EXPECT_EQ(device->tx_dropped(), 2u);
  EXPECT_FALSE(driver().needs_reset());
}

TEST_F(VirtioNetTest, ReceivePutsHeaderAndFrameInTheGuestBuffer) {
  bring_up();
  uint64_t buf = post_rx();
  driver().kick(kQueueRx);
  Bytes frame = test_frame(342, 7);
  host->inject(frame);
  auto used = driver().wait_used(kQueueRx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, kHeaderBytes + frame.size());
  Bytes header = peek(buf, kHeaderBytes);
  Bytes expected_header(kHeaderBytes, 0);
  expected_header[net::kHeaderNumBuffers] = 1;
  EXPECT_EQ(header, expected_header);
  EXPECT_EQ(peek(buf + kHeaderBytes, frame.size()), frame);
}

TEST_F(VirtioNetTest, ReceiveAcrossSeveralWritableBuffers) {
  bring_up();
  uint64_t a = driver().alloc(kHeaderBytes), b = driver().alloc(100), c = driver().alloc(1500);
  driver().add(kQueueRx, {{a, kHeaderBytes, true}, {b, 100, true}, {c, 1500, true}});
  Bytes frame = test_frame(1000, 3);
  host->inject(frame);
  auto used = driver().wait_used(kQueueRx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, kHeaderBytes + 1000);
  Bytes got = peek(b, 100), rest = peek(c, 900);
  got.insert(got.end(), rest.begin(), rest.end());
  EXPECT_EQ(got, frame);
}

TEST_F(VirtioNetTest, FramesWaitForBuffersAndKeepTheirOrder) {
  // Frames arrive before any receive buffer (those from before the driver's reset are gone).
  host->inject(test_frame(100, 99));
  bring_up();
  for (uint8_t i = 0; i < 5; i++) host->inject(test_frame(100, i));
  EXPECT_FALSE(driver().poll_used(kQueueRx));
  std::vector<uint64_t> bufs;
  for (int i = 0; i < 5; i++) bufs.push_back(post_rx());
  driver().kick(kQueueRx);  // the guest added buffers: the waiting frames go in
  for (uint8_t i = 0; i < 5; i++) {
    auto used = driver().wait_used(kQueueRx);
    ASSERT_TRUE(used);
    EXPECT_EQ(peek(bufs[i] + kHeaderBytes, 100), test_frame(100, i)) << int(i);
  }
  EXPECT_EQ(device->rx_dropped(), 0u);
}

TEST_F(VirtioNetTest, BuffersGivenBeforeDriverOkAreUsedOnActivation) {
  ASSERT_TRUE(driver().negotiate(kAllFeatures));
  driver().setup_queue(kQueueRx, kRingSize);
  driver().setup_queue(kQueueTx, kRingSize);
  uint64_t buf = post_rx();
  host->inject(test_frame(80, 9));
  EXPECT_FALSE(driver().poll_used(kQueueRx));
  driver().driver_ok();
  ASSERT_TRUE(driver().wait_used(kQueueRx));
  EXPECT_EQ(peek(buf + kHeaderBytes, 80), test_frame(80, 9));
}

TEST_F(VirtioNetTest, TheReceiveQueueIsBoundedAndDropsTheNewest) {
  bring_up();
  const size_t extra = 10;
  for (size_t i = 0; i < NetDevice::kMaxPendingRx + extra; i++) host->inject(test_frame(60, uint8_t(i)));
  EXPECT_EQ(device->rx_dropped(), extra);
  uint64_t buf = post_rx();
  driver().kick(kQueueRx);
  ASSERT_TRUE(driver().wait_used(kQueueRx));
  EXPECT_EQ(peek(buf + kHeaderBytes, 60), test_frame(60, 0));  // the oldest is kept
}

TEST_F(VirtioNetTest, AFrameLargerThanTheBufferIsDroppedAndTheBufferReturned) {
  bring_up();
  post_rx(200);
  uint64_t big_enough = post_rx(1526);
  host->inject(test_frame(500, 1));
  auto used = driver().wait_used(kQueueRx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 0u);
  EXPECT_EQ(device->rx_dropped(), 1u);
  host->inject(test_frame(500, 2));
  used = driver().wait_used(kQueueRx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, kHeaderBytes + 500);
  EXPECT_EQ(peek(big_enough + kHeaderBytes, 500), test_frame(500, 2));
  EXPECT_FALSE(driver().needs_reset());
}

TEST_F(VirtioNetTest, RuntsAndGiantsFromTheHostAreDropped) {
  bring_up();
  post_rx();
  host->inject(Bytes(13, 0));
  host->inject(Bytes(net::kMaxFrameBytes + 1, 0));
  EXPECT_EQ(device->rx_dropped(), 2u);
  EXPECT_FALSE(driver().poll_used(kQueueRx));
}

TEST_F(VirtioNetTest, HostileTransmitChainBreaksTheDeviceNotTheHost) {
  bring_up();
  driver().add(kQueueTx, {{FakeVirtioDriver::kRamBase + VirtioBench::kRamSize - 8, 64, false}});  // past RAM
  driver().kick(kQueueTx);
  EXPECT_TRUE(driver().needs_reset());
  EXPECT_TRUE(host->sent().empty());
  // Frames keep arriving; nothing is written while the device is broken.
  post_rx();
  host->inject(test_frame(60, 1));
  EXPECT_FALSE(driver().poll_used(kQueueRx));
  // A reset brings it back.
  bring_up();
  EXPECT_FALSE(driver().needs_reset());
  Bytes frame = test_frame(60, 2);
  transmit(frame, true);
  ASSERT_TRUE(driver().wait_used(kQueueTx));
  ASSERT_EQ(host->sent().size(), 1u);
  EXPECT_EQ(host->sent()[0], frame);
}

TEST_F(VirtioNetTest, LoopingReceiveChainBreaksTheDeviceWhenAFrameArrives) {
  bring_up();
  uint64_t at = driver().alloc(1526);
  driver().write_desc(kQueueRx, 0, at, 1526, kDescFlagWrite | kDescFlagNext, 1);
  driver().write_desc(kQueueRx, 1, at, 1526, kDescFlagWrite | kDescFlagNext, 0);
  driver().publish(kQueueRx, 0);
  driver().kick(kQueueRx);
  EXPECT_FALSE(driver().needs_reset());  // nothing to receive yet: the chain is not walked
  host->inject(test_frame(60, 1));
  EXPECT_TRUE(driver().needs_reset());
  EXPECT_FALSE(driver().poll_used(kQueueRx));
}

TEST_F(VirtioNetTest, AvailableIndexJumpOnTransmitBreaksTheDevice) {
  bring_up();
  driver().set_avail_idx(kQueueTx, kRingSize + 1);
  driver().kick(kQueueTx);
  EXPECT_TRUE(driver().needs_reset());
  EXPECT_TRUE(host->sent().empty());
}

TEST_F(VirtioNetTest, ResetForgetsWaitingFrames) {
  bring_up();
  host->inject(test_frame(60, 1));
  driver().reset();
  bring_up();
  post_rx();
  driver().kick(kQueueRx);
  EXPECT_FALSE(driver().poll_used(kQueueRx));
}

TEST_F(VirtioNetTest, SaveAndRestoreKeepMacAndWaitingFrames) {
  bring_up();
  host->inject(test_frame(70, 4));
  host->inject(test_frame(71, 5));
  DeviceState saved = bench->transport.save();

  // A second machine with the same RAM contents and a device configured with another MAC.
  auto backend = std::make_unique<MemoryBackend>();
  NetDevice other(std::move(backend), MacAddress{0x02, 0, 0, 0, 0, 1});
  VirtioBench second(other);
  std::memcpy(second.ram.host_base(), bench->ram.host_base(), VirtioBench::kRamSize);
  second.transport.restore(saved);
  EXPECT_EQ(other.mac(), kDefaultGuestMac);
  EXPECT_EQ(second.driver.config(0, 1), 0x52u);
  // The restored rings are where the first driver put them: give a buffer there.
  FakeVirtioDriver& d = driver();
  uint64_t buf = d.alloc(1526);
  second.driver.write_desc_at(d.ring(kQueueRx).desc, buf, 1526, kDescFlagWrite, 0);
  second.driver.poke_value<uint16_t>(d.ring(kQueueRx).avail + 4, 0);
  std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(second.driver.host(d.ring(kQueueRx).avail + 2)))
      .store(1, std::memory_order_release);
  second.driver.kick(kQueueRx);
  EXPECT_EQ(Bytes(second.driver.host(buf + kHeaderBytes), second.driver.host(buf + kHeaderBytes) + 70),
            test_frame(70, 4));
  other.stop_backend();
}

TEST_F(VirtioNetTest, RestoreRefusesForeignStates) {
  DeviceState good = device->save_state();
  DeviceState wrong_version = good;
  wrong_version.version = 99;
  EXPECT_THROW(device->restore_state(wrong_version), Error);
  DeviceState truncated = good;
  truncated.data.pop_back();
  EXPECT_THROW(device->restore_state(truncated), Error);
  net::NetState too_many;
  too_many.pending_rx.resize(NetDevice::kMaxPendingRx + 1, Bytes(60));
  EXPECT_THROW(device->restore_state(net::save_net_state(too_many)), Error);
  device->restore_state(good);
}

TEST(VirtioNetFactory, BuildsFromTheNetOption) {
  EXPECT_EQ(make_virtio_net(parse_net_option("none")), nullptr);
  auto nic = make_virtio_net(parse_net_option("user,mac=52:54:00:00:00:42"));
  ASSERT_TRUE(nic);
  EXPECT_EQ(nic->mac()[5], 0x42);
  EXPECT_EQ(nic->backend().name(), "user");
}

// The whole path: a DHCPDISCOVER transmitted by the guest reaches slirp, whose OFFER comes
// back into a receive buffer.
TEST(VirtioNetSlirp, DhcpThroughTheDevice) {
  NetDevice device(std::make_unique<SlirpBackend>(std::vector<HostForward>{}), kDefaultGuestMac);
  VirtioBench bench(device);
  FakeVirtioDriver& driver = bench.driver;
  driver.bring_up(kAllFeatures, 2, kRingSize);
  std::vector<uint64_t> bufs;
  for (int i = 0; i < 4; i++) {
    bufs.push_back(driver.alloc(1526));
    driver.add(kQueueRx, {{bufs.back(), 1526, true}});
  }
  driver.kick(kQueueRx);
  Bytes discover = dhcp_discover(kDefaultGuestMac, 0x5eed);
  uint64_t at = driver.alloc(kHeaderBytes + discover.size());
  std::memset(driver.host(at), 0, kHeaderBytes);
  driver.poke(at + kHeaderBytes, discover.data(), discover.size());
  driver.add(kQueueTx, {{at, uint32_t(kHeaderBytes + discover.size()), false}});
  driver.kick(kQueueTx);
  auto used = driver.wait_used(kQueueRx);
  ASSERT_TRUE(used);
  ASSERT_GT(used->len, kHeaderBytes);
  Bytes frame(driver.host(bufs[used->id] + kHeaderBytes), driver.host(bufs[used->id]) + used->len);
  auto udp = as_transport(frame, 17);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->sport, 67);
  EXPECT_EQ(get32(udp->segment, 8 + 16), kSlirpGuest);  // yiaddr
  device.stop_backend();
}

}  // namespace
}  // namespace strata::virtio
