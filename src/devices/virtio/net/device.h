#pragma once
// virtio-net (virtio 1.2, 5.1): one receive queue (0) and one transmit queue (1), a MAC
// address and a link-up status in the configuration space, and the 12-byte virtio_net_hdr
// in front of every frame. No offloads, no control queue, no multiqueue.
//
// Transmit: the notifying vCPU walks the chains (the queue checks them against hostile
// guests), strips the header and hands each frame to the host back end, which only queues
// or writes without blocking.
// Receive: the back end's thread hands frames to receive(); they wait in a bounded queue
// (the newest is dropped when full, as a NIC drops on overrun) and are copied into receive
// buffers as soon as the guest provides some: on each arriving frame, and when the guest
// notifies the receive queue.
#include <memory>

#include "devices/virtio/net/state.h"
#include "devices/virtio/virtio_device.h"
#include "net/net_backend.h"

namespace strata::virtio {

class NetDevice final : public Device {
 public:
  static constexpr uint16_t kQueueSize = 256;
  static constexpr size_t kMaxPendingRx = 256;  // frames waiting for receive buffers

  NetDevice(std::unique_ptr<NetBackend> backend, const MacAddress& mac);
  // Stops the back end first, so no frame arrives in a half-destroyed device.
  ~NetDevice() override;

  std::string_view name() const override { return "virtio-net"; }
  uint32_t device_id() const override;
  uint64_t device_features() const override;
  unsigned queue_count() const override { return 2; }
  uint16_t queue_max_size(unsigned) const override { return kQueueSize; }
  uint64_t config_read(uint32_t offset, unsigned size) override;
  // The configuration space is read-only for a VERSION_1 driver: writes are ignored.

  // Starts the back end: frames may arrive from now on (and wait for DRIVER_OK).
  void attach(Transport& transport) override;
  void activate() override;
  void notify(unsigned queue) override;
  void reset() override;
  DeviceState save_state() const override;
  void restore_state(const DeviceState& state) override;

  // Stops the back end's deliveries (idempotent). Needed before the transport goes away if
  // the device outlives it.
  void stop_backend();

  const MacAddress& mac() const { return state_.mac; }
  NetBackend& backend() const { return *backend_; }
  // Frames dropped: received while kMaxPendingRx were waiting or too big for the guest's
  // buffer; transmitted chains that held no valid frame.
  uint64_t rx_dropped() const;
  uint64_t tx_dropped() const;

 private:
  void receive(std::span<const uint8_t> frame);  // the back end's thread
  void fill_rx_buffers();                        // mutex held
  void transmit();                               // mutex held

  std::unique_ptr<NetBackend> backend_;
  net::NetState state_;  // guarded by mutex()
  std::vector<uint8_t> tx_frame_;
  uint64_t rx_dropped_ = 0, tx_dropped_ = 0;
};

}  // namespace strata::virtio
