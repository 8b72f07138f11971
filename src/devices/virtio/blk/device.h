#pragma once
// virtio-blk (virtio 1.2, 5.2): one request queue served by a worker thread, so a vCPU
// that notifies never waits for the disk. Reads and writes go straight between the image
// and guest memory, checked against the capacity; FLUSH is fsync (and without a
// negotiated VIRTIO_BLK_F_FLUSH every write is made durable before it completes);
// GET_ID answers the serial; a read-only disk offers VIRTIO_BLK_F_RO and fails writes
// with IOERR; other request types get UNSUPP.
#include <memory>
#include <string>

#include "devices/virtio/blk/backend.h"
#include "devices/virtio/blk/drive_option.h"
#include "devices/virtio/blk/request.h"
#include "devices/virtio/virtio_device.h"
#include "devices/virtio/worker.h"

namespace strata::virtio {

class BlockDevice final : public Device {
 public:
  static constexpr uint16_t kQueueSize = 256;
  static constexpr uint32_t kSegMax = kQueueSize - 2;  // a request also needs its header and status
  static constexpr uint32_t kSizeMax = 64 << 10;       // bytes per segment
  static constexpr uint32_t kConfigSize = 24;          // capacity, size_max, seg_max, geometry, blk_size

  // `serial` empty: the backend's identity, cut to 20 bytes.
  BlockDevice(std::unique_ptr<BlockBackend> backend, std::string serial = {});
  // Opens the image of a `--drive` option (throws strata::Error with a clear message).
  static std::unique_ptr<BlockDevice> open(const blk::DriveOptions& options);
  ~BlockDevice() override;

  std::string_view name() const override { return "virtio-blk"; }
  uint32_t device_id() const override;
  uint64_t device_features() const override;
  unsigned queue_count() const override { return 1; }
  uint16_t queue_max_size(unsigned) const override { return kQueueSize; }
  uint64_t queue_max_chain_bytes(unsigned) const override;
  uint64_t config_read(uint32_t offset, unsigned size) override;
  void activate() override { worker_.kick(); }
  void notify(unsigned) override { worker_.kick(); }
  void reset() override {}
  DeviceState save_state() const override;
  void restore_state(const DeviceState& state) override;

  uint64_t capacity_sectors() const { return backend_->size() / blk::kSectorSize; }
  const std::string& serial() const { return serial_; }

 private:
  void serve();  // the worker's job: every available request, then one interrupt
  uint8_t execute(const Chain& chain, const blk::Request& request, uint32_t& written);
  uint8_t transfer(const Chain& chain, const blk::Request& request);

  std::unique_ptr<BlockBackend> backend_;
  std::string serial_;
  uint8_t config_[kConfigSize] = {};
  Worker worker_;  // last: stopped before the rest is destroyed
};

}  // namespace strata::virtio
