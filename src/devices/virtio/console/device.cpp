#include "devices/virtio/console/device.h"

#include <string>
#include <vector>

#include "devices/virtio/queue.h"
#include "devices/virtio/spec.h"
#include "util/log.h"

namespace strata::virtio {
namespace {
constexpr char kStateKind[] = "virtio-console";
constexpr uint32_t kStateVersion = 1;
// struct virtio_console_config: cols, rows (without F_SIZE: 0), max_nr_ports, emerg_wr.
constexpr uint8_t kConfig[12] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
}  // namespace

ConsoleDevice::ConsoleDevice(CharBackend& backend) : backend_(backend) {
  backend_.set_input_sink([this](uint8_t byte) { receive(byte); });
}

uint32_t ConsoleDevice::device_id() const { return kDeviceIdConsole; }

uint64_t ConsoleDevice::device_features() const { return feature_bit(kFeatureEmergWrite); }

uint64_t ConsoleDevice::config_read(uint32_t offset, unsigned size) {
  return read_config_bytes(kConfig, sizeof kConfig, offset, size);
}

void ConsoleDevice::config_write(uint32_t offset, unsigned size, uint64_t value) {
  // The driver writes emerg_wr whole; accept any access that starts there.
  if (offset != kConfigEmergWrite) return;
  const uint8_t byte = uint8_t(value);
  backend_.write(std::span(&byte, 1));
}

void ConsoleDevice::activate() {
  {
    std::lock_guard lock(mutex());
    fill_receive_buffers();
  }
  transmit();
}

void ConsoleDevice::notify(unsigned queue) {
  if (queue == kQueueTransmit) {
    transmit();
    return;
  }
  std::lock_guard lock(mutex());
  fill_receive_buffers();
}

void ConsoleDevice::receive(uint8_t byte) {
  std::lock_guard lock(mutex());
  if (pending_.size() >= kInputLimit) {
    if (!overflow_warned_) warn("virtio-console: the guest is not reading its input; dropping input");
    overflow_warned_ = true;
    return;
  }
  pending_.push_back(byte);
  fill_receive_buffers();
}

void ConsoleDevice::fill_receive_buffers() {
  if (!transport_) return;  // input keeps arriving after the transport is gone
  Queue& queue = transport_->queue(kQueueReceive);
  bool filled = false;
  while (!pending_.empty()) {
    std::optional<Chain> chain = queue.pop();
    if (!chain) break;
    const size_t n = std::min<uint64_t>(pending_.size(), chain->writable_bytes);
    std::vector<uint8_t> bytes(pending_.begin(), pending_.begin() + ptrdiff_t(n));
    chain->write(0, bytes);
    pending_.erase(pending_.begin(), pending_.begin() + ptrdiff_t(n));
    queue.push(chain->head, uint32_t(n));
    filled = true;
  }
  if (filled) transport_->notify_used(kQueueReceive);
  if (pending_.empty()) overflow_warned_ = false;
}

void ConsoleDevice::transmit() {
  std::vector<uint8_t> out;
  {
    std::lock_guard lock(mutex());
    if (!transport_) return;
    Queue& queue = transport_->queue(kQueueTransmit);
    bool sent = false;
    while (std::optional<Chain> chain = queue.pop()) {
      const size_t at = out.size();
      out.resize(at + chain->readable_bytes);
      chain->read(0, std::span(out).subspan(at));
      queue.push(chain->head, 0);
      sent = true;
    }
    if (sent) transport_->notify_used(kQueueTransmit);
  }
  if (!out.empty()) backend_.write(out);
}

size_t ConsoleDevice::pending_input() const {
  std::lock_guard lock(mutex());
  return pending_.size();
}

DeviceState ConsoleDevice::save_state() const {
  StateWriter out;
  std::vector<uint8_t> pending(pending_.begin(), pending_.end());
  out.blob(pending);
  return out.finish(kStateKind, kStateVersion);
}

void ConsoleDevice::restore_state(const DeviceState& state) {
  StateReader in(state, kStateKind, kStateVersion);
  std::vector<uint8_t> pending = in.blob();
  in.expect_end();
  if (pending.size() > kInputLimit) pending.resize(kInputLimit);
  pending_.assign(pending.begin(), pending.end());
}

}  // namespace strata::virtio
