#pragma once
// virtio-console (virtio 1.2, 5.3) with a single port: receiveq0 carries host input to
// the guest, transmitq0 carries guest output to a CharBackend (the terminal, a file, a
// socket). Emergency write (VIRTIO_CONSOLE_F_EMERG_WRITE) prints one character written to
// the config space, even before the queues exist. No multiport, no console size.
//
// Input arrives on the back end's thread and is buffered (up to kInputLimit bytes; beyond
// that new bytes are dropped with one warning) until the driver offers receive buffers.
// Output is gathered under the device mutex and written to the back end after it is
// released, so a back end that delivers input while writing cannot deadlock with us.
// The back end must outlive the device and stop delivering before the device goes away.
#include <deque>

#include "devices/char_backend.h"
#include "devices/virtio/virtio_device.h"

namespace strata::virtio {

class ConsoleDevice final : public Device {
 public:
  static constexpr uint16_t kQueueSize = 128;
  static constexpr unsigned kQueueReceive = 0;
  static constexpr unsigned kQueueTransmit = 1;
  static constexpr unsigned kFeatureEmergWrite = 2;
  static constexpr uint32_t kConfigEmergWrite = 8;  // offset of emerg_wr
  static constexpr size_t kInputLimit = 64 << 10;

  explicit ConsoleDevice(CharBackend& backend);

  std::string_view name() const override { return "virtio-console"; }
  uint32_t device_id() const override;
  uint64_t device_features() const override;
  unsigned queue_count() const override { return 2; }
  uint16_t queue_max_size(unsigned) const override { return kQueueSize; }
  uint64_t queue_max_chain_bytes(unsigned) const override { return 64 << 10; }
  uint64_t config_read(uint32_t offset, unsigned size) override;
  void config_write(uint32_t offset, unsigned size, uint64_t value) override;
  void activate() override;
  void notify(unsigned queue) override;
  void reset() override {}  // pending input is the host's and survives a driver reset
  DeviceState save_state() const override;
  void restore_state(const DeviceState& state) override;

  // Bytes received from the host and not yet given to the guest.
  size_t pending_input() const;

 private:
  void receive(uint8_t byte);   // the back end's input sink
  void fill_receive_buffers();  // mutex held
  void transmit();

  CharBackend& backend_;
  std::deque<uint8_t> pending_;  // guarded by mutex()
  bool overflow_warned_ = false;
};

}  // namespace strata::virtio
