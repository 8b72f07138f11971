#pragma once
// virtio-mmio version 2 (virtio 1.2, 4.2.2): one device in one 4 KiB slot. The driver
// negotiates features (VIRTIO_F_VERSION_1 is required: FEATURES_OK does not stick without
// it or with a bit the device did not offer), sets up split queues, and notifies; the
// transport raises its interrupt line for used buffers (bit 0) and configuration changes
// (bit 1) until the driver acknowledges them. Writing 0 to Status resets the device; the
// reset returns once no device thread is inside a queue.
//
// Registers are 32-bit: other access sizes read 0 and are ignored on write. The device
// configuration space at 0x100 takes any size. Status bits only accumulate until a reset;
// DEVICE_NEEDS_RESET is the device's own bit.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "devices/irq.h"
#include "devices/virtio/queue.h"
#include "devices/virtio/virtio_device.h"
#include "mem/bus.h"
#include "mem/mmio_device.h"

namespace strata::virtio {

// Register offsets (4.2.2).
namespace mmio {
inline constexpr uint32_t kMagicValue = 0x000;
inline constexpr uint32_t kVersion = 0x004;
inline constexpr uint32_t kDeviceId = 0x008;
inline constexpr uint32_t kVendorId = 0x00c;
inline constexpr uint32_t kDeviceFeatures = 0x010;
inline constexpr uint32_t kDeviceFeaturesSel = 0x014;
inline constexpr uint32_t kDriverFeatures = 0x020;
inline constexpr uint32_t kDriverFeaturesSel = 0x024;
inline constexpr uint32_t kQueueSel = 0x030;
inline constexpr uint32_t kQueueNumMax = 0x034;
inline constexpr uint32_t kQueueNum = 0x038;
inline constexpr uint32_t kQueueReady = 0x044;
inline constexpr uint32_t kQueueNotify = 0x050;
inline constexpr uint32_t kInterruptStatus = 0x060;
inline constexpr uint32_t kInterruptAck = 0x064;
inline constexpr uint32_t kStatus = 0x070;
inline constexpr uint32_t kQueueDescLow = 0x080;
inline constexpr uint32_t kQueueDescHigh = 0x084;
inline constexpr uint32_t kQueueDriverLow = 0x090;
inline constexpr uint32_t kQueueDriverHigh = 0x094;
inline constexpr uint32_t kQueueDeviceLow = 0x0a0;
inline constexpr uint32_t kQueueDeviceHigh = 0x0a4;
inline constexpr uint32_t kShmSel = 0x0ac;
inline constexpr uint32_t kShmLenLow = 0x0b0;
inline constexpr uint32_t kShmLenHigh = 0x0b4;
inline constexpr uint32_t kShmBaseLow = 0x0b8;
inline constexpr uint32_t kShmBaseHigh = 0x0bc;
inline constexpr uint32_t kConfigGeneration = 0x0fc;
inline constexpr uint32_t kConfig = 0x100;

inline constexpr uint32_t kMagic = 0x74726976;   // "virt"
inline constexpr uint32_t kVendor = 0x41525453;  // "STRA"
inline constexpr uint64_t kSlotSize = 0x1000;
}  // namespace mmio

class MmioTransport final : public MmioDevice, public Transport {
 public:
  // `bus` gives the checked view of guest RAM. The device and the transport may be
  // destroyed in either order (each tells the other); destroy neither while vCPUs run.
  MmioTransport(Device& device, const Bus& bus, IrqLine irq);
  ~MmioTransport() override;
  MmioTransport(const MmioTransport&) = delete;
  MmioTransport& operator=(const MmioTransport&) = delete;

  // MmioDevice
  std::string_view name() const override { return name_; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;
  DeviceState save() const override;
  void restore(const DeviceState& state) override;

  // Transport
  Queue& queue(unsigned index) override { return *queues_.at(index); }
  uint64_t driver_features() const override { return driver_features_.load(); }
  void notify_used(unsigned queue) override;
  void notify_config_change() override;
  void fail(const std::string& why) override;
  void device_destroyed() override;

  uint32_t status() const { return status_.load(); }
  uint32_t interrupt_status() const;
  // Every feature bit offered to the driver.
  uint64_t offered_features() const { return offered_features_; }

 private:
  uint32_t read_register(uint32_t offset);
  void write_register(uint32_t offset, uint32_t value);
  void write_status(uint32_t value);
  void write_queue_register(uint32_t offset, uint32_t value);
  void reset();
  void raise(uint32_t bits);
  Queue* selected_queue() const;

  Device* device_;  // null once the device was destroyed
  std::string name_;
  IrqLine irq_;
  uint64_t offered_features_;
  std::vector<std::unique_ptr<Queue>> queues_;

  // Serialises register accesses (the bus already does; this keeps the transport correct
  // when driven directly).
  mutable std::mutex mmio_mutex_;
  uint32_t device_features_sel_ = 0;
  uint32_t driver_features_sel_ = 0;
  std::atomic<uint64_t> driver_features_{0};  // read by device threads
  uint32_t queue_sel_ = 0;
  uint32_t shm_sel_ = 0;

  // Shared with device threads.
  std::atomic<uint32_t> status_{0};
  std::atomic<uint32_t> config_generation_{0};
  mutable std::mutex irq_mutex_;  // interrupt status and the line's level change together
  uint32_t interrupt_status_ = 0;
  bool failure_reported_ = false;  // one warning per broken episode...
  unsigned failure_reports_ = 0;   // ...and a few per device, so a guest cannot flood stderr
};

}  // namespace strata::virtio
