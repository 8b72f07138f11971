// virtio-console: guest output reaches the back end, host input reaches the guest's
// receive buffers (buffered until there are some), emergency write, save/restore.
#include <mutex>
#include <string>
#include <thread>

#include "devices/virtio/console/device.h"
#include "util/error.h"
#include "virtio_fake_driver.h"

namespace strata::testing {
namespace {

using namespace virtio;

constexpr uint64_t kAll = ~uint64_t(0);
constexpr unsigned kRx = ConsoleDevice::kQueueReceive;
constexpr unsigned kTx = ConsoleDevice::kQueueTransmit;

// The host side in memory: what the guest wrote, and inject() to type.
class MemoryChar : public CharBackend {
 public:
  void write(std::span<const uint8_t> bytes) override {
    std::lock_guard lock(mutex_);
    out_.append(bytes.begin(), bytes.end());
  }
  void inject(const std::string& text) {
    for (char c : text) deliver(uint8_t(c));
  }
  std::string output() {
    std::lock_guard lock(mutex_);
    return out_;
  }

 private:
  std::mutex mutex_;
  std::string out_;
};

class VirtioConsoleTest : public ::testing::Test {
 protected:
  MemoryChar host;
  ConsoleDevice device{host};
  VirtioBench bench{device};
  FakeVirtioDriver& driver = bench.driver;

  void send(const std::string& text) {
    const uint64_t at = driver.alloc(text.size());
    driver.poke(at, text.data(), text.size());
    driver.add(kTx, {{at, uint32_t(text.size()), false}});
    driver.kick(kTx);
    auto used = driver.wait_used(kTx);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->len, 0u);
  }
  uint64_t offer_receive_buffer(uint32_t size) {
    const uint64_t at = driver.alloc(size);
    driver.add(kRx, {{at, size, true}});
    driver.kick(kRx);
    return at;
  }
  std::string receive(uint64_t at) {
    auto used = driver.wait_used(kRx);
    if (!used) return "<none>";
    return std::string(reinterpret_cast<char*>(driver.host(at)), used->len);
  }
};

TEST_F(VirtioConsoleTest, IdentityAndConfig) {
  EXPECT_EQ(driver.reg(mmio::kDeviceId), kDeviceIdConsole);
  EXPECT_TRUE(driver.device_features() & feature_bit(ConsoleDevice::kFeatureEmergWrite));
  EXPECT_EQ(driver.config(4, 4), 1u);  // max_nr_ports
  EXPECT_EQ(driver.config(0, 4), 0u);  // no size
}

TEST_F(VirtioConsoleTest, Echo) {
  driver.bring_up(kAll, 2, 16);
  send("hello, ");
  send("world\n");
  EXPECT_EQ(host.output(), "hello, world\n");
  const uint64_t buf = offer_receive_buffer(64);
  host.inject("ls\n");
  // Every byte arrives on its own as it is typed; the first fills the buffer offered.
  EXPECT_EQ(receive(buf), "l");
  std::string rest;
  while (rest.size() < 2) rest += receive(offer_receive_buffer(64));
  EXPECT_EQ(rest, "s\n");
  EXPECT_EQ(device.pending_input(), 0u);
}

TEST_F(VirtioConsoleTest, InputWaitsForBuffersIncludingBeforeDriverOk) {
  host.inject("early");  // before the driver exists at all
  ASSERT_TRUE(driver.negotiate(kAll));
  driver.setup_queue(kRx, 16);
  driver.setup_queue(kTx, 16);
  const uint64_t buf = driver.alloc(64);
  driver.add(kRx, {{buf, 64, true}});  // Linux fills the receive queue before DRIVER_OK
  driver.kick(kRx);
  EXPECT_EQ(device.pending_input(), 5u);
  driver.driver_ok();
  EXPECT_EQ(receive(buf), "early");
  EXPECT_EQ(device.pending_input(), 0u);
}

TEST_F(VirtioConsoleTest, SmallBuffersTakeInputInPieces) {
  driver.bring_up(kAll, 2, 16);
  host.inject("abcdef");
  EXPECT_EQ(device.pending_input(), 6u);
  EXPECT_EQ(receive(offer_receive_buffer(4)), "abcd");
  EXPECT_EQ(receive(offer_receive_buffer(4)), "ef");
}

TEST_F(VirtioConsoleTest, InputBeyondTheLimitIsDropped) {
  driver.bring_up(kAll, 2, 16);
  host.inject(std::string(ConsoleDevice::kInputLimit + 10, 'x'));
  EXPECT_EQ(device.pending_input(), ConsoleDevice::kInputLimit);
}

TEST_F(VirtioConsoleTest, EmergencyWriteWorksWithoutQueues) {
  driver.set_config(ConsoleDevice::kConfigEmergWrite, 4, '!');
  driver.set_config(ConsoleDevice::kConfigEmergWrite + 1, 1, '?');  // not emerg_wr
  EXPECT_EQ(host.output(), "!");
}

TEST_F(VirtioConsoleTest, ReceiveBufferWithoutRoomIsReturnedEmpty) {
  driver.bring_up(kAll, 2, 16);
  const uint64_t r = driver.alloc(8);
  driver.add(kRx, {{r, 8, false}});  // readable: useless for input, but not an error
  driver.kick(kRx);
  host.inject("z");
  auto used = driver.wait_used(kRx);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 0u);
  EXPECT_EQ(device.pending_input(), 1u);
  EXPECT_FALSE(driver.needs_reset());
}

TEST_F(VirtioConsoleTest, TypingWhileTheGuestWrites) {
  // Input from the back end's thread while a vCPU transmits: no deadlock, nothing lost.
  driver.bring_up(kAll, 2, 64);
  std::thread typist([&] { host.inject(std::string(200, 'k')); });
  for (int i = 0; i < 20; i++) send("out" + std::to_string(i));
  typist.join();
  EXPECT_EQ(device.pending_input(), 200u);
  EXPECT_EQ(host.output().substr(0, 8), "out0out1");
}

TEST_F(VirtioConsoleTest, SaveRestoreKeepsPendingInput) {
  driver.bring_up(kAll, 2, 16);
  host.inject("keep");
  const DeviceState saved = bench.transport.save();
  MemoryChar host2;
  ConsoleDevice device2(host2);
  VirtioBench bench2(device2);
  std::memcpy(bench2.ram.host_base(), bench.ram.host_base(), bench.ram.size());
  bench2.transport.restore(saved);
  EXPECT_EQ(device2.pending_input(), 4u);
  bench2.driver.adopt(driver.bookkeeping());
  const uint64_t buf = bench2.driver.alloc(16);
  bench2.driver.add(kRx, {{buf, 16, true}});
  bench2.driver.kick(kRx);
  auto used = bench2.driver.wait_used(kRx);
  ASSERT_TRUE(used);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(bench2.ram.host(buf)), used->len), "keep");
}

}  // namespace
}  // namespace strata::testing
