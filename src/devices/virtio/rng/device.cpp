#include "devices/virtio/rng/device.h"

#include "devices/virtio/queue.h"
#include "devices/virtio/spec.h"

namespace strata::virtio {
namespace {
constexpr char kStateKind[] = "virtio-rng";
constexpr uint32_t kStateVersion = 1;
}  // namespace

RngDevice::RngDevice(std::unique_ptr<EntropySource> source) : source_(std::move(source)) {}

uint32_t RngDevice::device_id() const { return kDeviceIdEntropy; }

void RngDevice::serve() {
  std::lock_guard lock(mutex());
  if (!transport_) return;
  Queue& queue = transport_->queue(0);
  bool served = false;
  while (std::optional<Chain> chain = queue.pop()) {
    uint64_t left = kMaxFill;
    uint32_t written = 0;
    for (std::span<uint8_t> buf : chain->writable) {
      if (left == 0) break;
      const size_t n = std::min<uint64_t>(buf.size(), left);
      source_->fill(buf.first(n));
      written += uint32_t(n);
      left -= n;
    }
    queue.push(chain->head, written);
    served = true;
  }
  if (served) transport_->notify_used(0);
}

// The device has no state of its own; the version still guards the format.
DeviceState RngDevice::save_state() const { return StateWriter().finish(kStateKind, kStateVersion); }

void RngDevice::restore_state(const DeviceState& state) {
  StateReader(state, kStateKind, kStateVersion).expect_end();
}

}  // namespace strata::virtio
