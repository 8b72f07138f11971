#pragma once
// virtio-rng (virtio 1.2, 5.4): one request queue; the device fills each chain's writable
// buffers with host entropy. Requests are served inline on the notifying vCPU: getrandom
// of at most kMaxFill bytes per chain takes microseconds.
#include <memory>

#include "devices/virtio/rng/backend.h"
#include "devices/virtio/virtio_device.h"

namespace strata::virtio {

class RngDevice final : public Device {
 public:
  static constexpr uint16_t kQueueSize = 64;
  static constexpr uint64_t kMaxFill = 64 << 10;  // bytes per chain; the used length says how many

  explicit RngDevice(std::unique_ptr<EntropySource> source = std::make_unique<HostEntropy>());

  std::string_view name() const override { return "virtio-rng"; }
  uint32_t device_id() const override;
  uint64_t device_features() const override { return 0; }
  unsigned queue_count() const override { return 1; }
  uint16_t queue_max_size(unsigned) const override { return kQueueSize; }
  void activate() override { serve(); }
  void notify(unsigned) override { serve(); }
  void reset() override {}
  DeviceState save_state() const override;
  void restore_state(const DeviceState& state) override;

 private:
  void serve();
  std::unique_ptr<EntropySource> source_;
};

}  // namespace strata::virtio
