#include "devices/virtio/net/device.h"

#include "devices/virtio/net/packet.h"
#include "devices/virtio/net/spec.h"
#include "devices/virtio/queue.h"
#include "devices/virtio/spec.h"
#include "util/error.h"

namespace strata::virtio {

using namespace net;

NetDevice::NetDevice(std::unique_ptr<NetBackend> backend, const MacAddress& mac)
    : backend_(std::move(backend)) {
  if (!backend_) fail("virtio-net needs a network back end");
  state_.mac = mac;
  state_.status = kStatusLinkUp;
  backend_->set_receiver([this](std::span<const uint8_t> frame) { receive(frame); });
}

NetDevice::~NetDevice() { stop_backend(); }

void NetDevice::stop_backend() { backend_->stop(); }

uint32_t NetDevice::device_id() const { return kDeviceIdNet; }

uint64_t NetDevice::device_features() const { return feature_bit(kFeatureMac) | feature_bit(kFeatureStatus); }

uint64_t NetDevice::config_read(uint32_t offset, unsigned size) {
  std::lock_guard lock(mutex());
  uint8_t config[kConfigBytes];
  for (size_t i = 0; i < 6; i++) config[kConfigMac + i] = state_.mac[i];
  config[kConfigStatus] = uint8_t(state_.status);
  config[kConfigStatus + 1] = uint8_t(state_.status >> 8);
  return read_config_bytes(config, sizeof config, offset, size);
}

void NetDevice::attach(Transport& transport) {
  Device::attach(transport);
  backend_->start();
}

void NetDevice::activate() {
  std::lock_guard lock(mutex());
  transmit();
  fill_rx_buffers();
}

void NetDevice::notify(unsigned queue) {
  std::lock_guard lock(mutex());
  if (queue == kQueueTx)
    transmit();
  else if (queue == kQueueRx)
    fill_rx_buffers();
}

void NetDevice::reset() { state_.pending_rx.clear(); }

DeviceState NetDevice::save_state() const { return save_net_state(state_); }

void NetDevice::restore_state(const DeviceState& state) { state_ = restore_net_state(state, kMaxPendingRx); }

uint64_t NetDevice::rx_dropped() const {
  std::lock_guard lock(mutex());
  return rx_dropped_;
}

uint64_t NetDevice::tx_dropped() const {
  std::lock_guard lock(mutex());
  return tx_dropped_;
}

void NetDevice::receive(std::span<const uint8_t> frame) {
  std::lock_guard lock(mutex());
  if (frame.size() < kEthernetHeaderBytes || frame.size() > kMaxFrameBytes) {
    rx_dropped_++;
    return;
  }
  fill_rx_buffers();  // the guest may have made room since the last frame
  if (state_.pending_rx.size() >= kMaxPendingRx) {
    rx_dropped_++;
    return;
  }
  state_.pending_rx.emplace_back(frame.begin(), frame.end());
  fill_rx_buffers();
}

void NetDevice::fill_rx_buffers() {
  if (!transport_ || state_.pending_rx.empty()) return;
  Queue& rx = transport_->queue(kQueueRx);
  bool used = false;
  while (!state_.pending_rx.empty()) {
    // Nothing when the ring is empty (the queue then asks the driver to notify), the device
    // is not running, or the chain is malformed (the device then needs a reset).
    std::optional<Chain> chain = rx.pop();
    if (!chain) break;
    const uint32_t written = write_rx_frame(*chain, state_.pending_rx.front());
    if (written == 0) rx_dropped_++;
    rx.push(chain->head, written);
    state_.pending_rx.pop_front();
    used = true;
  }
  if (used) transport_->notify_used(kQueueRx);
}

void NetDevice::transmit() {
  if (!transport_) return;
  Queue& tx = transport_->queue(kQueueTx);
  bool used = false;
  while (std::optional<Chain> chain = tx.pop()) {
    if (read_tx_frame(*chain, tx_frame_))
      backend_->send(tx_frame_);
    else
      tx_dropped_++;
    tx.push(chain->head, 0);
    used = true;
  }
  if (used) transport_->notify_used(kQueueTx);
}

}  // namespace strata::virtio
