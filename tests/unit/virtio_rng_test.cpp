// virtio-rng: chains are filled from the entropy source (a counting one here, so the
// bytes are known), split buffers, the per-chain cap, and the host getrandom source.
#include <numeric>

#include "devices/virtio/rng/device.h"
#include "util/error.h"
#include "virtio_fake_driver.h"

namespace strata::testing {
namespace {

using namespace virtio;

constexpr uint64_t kAll = ~uint64_t(0);

// Bytes 0, 1, 2, ... across calls.
class CountingEntropy : public EntropySource {
 public:
  void fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = next++;
  }
  uint8_t next = 0;
};

class VirtioRngTest : public ::testing::Test {
 protected:
  VirtioRngTest() {
    auto source = std::make_unique<CountingEntropy>();
    entropy = source.get();
    device = std::make_unique<RngDevice>(std::move(source));
    bench = std::make_unique<VirtioBench>(*device);
  }
  FakeVirtioDriver& driver() { return bench->driver; }
  CountingEntropy* entropy;
  std::unique_ptr<RngDevice> device;
  std::unique_ptr<VirtioBench> bench;
};

TEST_F(VirtioRngTest, Identity) {
  EXPECT_EQ(driver().reg(mmio::kDeviceId), kDeviceIdEntropy);
  EXPECT_EQ(driver().device_features(), feature_bit(kFeatureVersion1) | feature_bit(kFeatureIndirectDesc) |
                                            feature_bit(kFeatureEventIdx));
  EXPECT_EQ(driver().config(0, 4), 0u);  // no configuration space
}

TEST_F(VirtioRngTest, FillsWritableBuffers) {
  driver().bring_up(kAll, 1, 8);
  const uint64_t a = driver().alloc(64), b = driver().alloc(3), c = driver().alloc(5);
  driver().add(0, {{a, 64, true}});
  driver().add(0, {{b, 3, true}, {c, 5, true}});
  driver().kick(0);
  auto first = driver().wait_used(0);
  auto second = driver().wait_used(0);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->len, 64u);
  EXPECT_EQ(second->len, 8u);
  EXPECT_EQ(driver().peek_value<uint8_t>(a), 0);
  EXPECT_EQ(driver().peek_value<uint8_t>(a + 63), 63);
  EXPECT_EQ(driver().peek_value<uint8_t>(b + 2), 66);
  EXPECT_EQ(driver().peek_value<uint8_t>(c), 67);
  EXPECT_EQ(driver().peek_value<uint8_t>(c + 4), 71);
}

TEST_F(VirtioRngTest, CapsBytesPerChainAndIgnoresReadableBuffers) {
  driver().bring_up(kAll, 1, 8);
  const uint64_t big = driver().alloc(RngDevice::kMaxFill + 4096);
  driver().add(0, {{big, uint32_t(RngDevice::kMaxFill + 4096), true}});
  const uint64_t r = driver().alloc(16);
  driver().add(0, {{r, 16, false}});
  driver().kick(0);
  auto used = driver().wait_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, RngDevice::kMaxFill);
  used = driver().wait_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 0u);
  EXPECT_EQ(entropy->next, uint8_t(RngDevice::kMaxFill));
  EXPECT_FALSE(driver().needs_reset());
}

TEST_F(VirtioRngTest, SaveRestore) {
  driver().bring_up(kAll, 1, 8);
  const DeviceState saved = bench->transport.save();
  RngDevice other(std::make_unique<CountingEntropy>());
  VirtioBench bench2(other);
  std::memcpy(bench2.ram.host_base(), bench->ram.host_base(), bench->ram.size());
  bench2.transport.restore(saved);
  EXPECT_EQ(bench2.transport.status(), bench->transport.status());
  DeviceState bad = saved;
  bad.data.back() ^= 1;  // the device part is now one stray byte longer or shorter
  bad.data.push_back(0);
  EXPECT_THROW(bench2.transport.restore(bad), Error);
}

TEST(VirtioRngHostTest, HostEntropyFillsBytes) {
  HostEntropy host;
  std::vector<uint8_t> bytes(256, 0);
  host.fill(bytes);
  EXPECT_GT(std::accumulate(bytes.begin(), bytes.end(), 0), 0);  // all zero: 2^-2048
}

}  // namespace
}  // namespace strata::testing
