#include "devices/virtio/blk/device.h"

#include <cstring>
#include <vector>

#include "devices/virtio/blk/state.h"
#include "devices/virtio/queue.h"
#include "devices/virtio/spec.h"

namespace strata::virtio {

using namespace blk;

BlockDevice::BlockDevice(std::unique_ptr<BlockBackend> backend, std::string serial)
    : backend_(std::move(backend)),
      serial_(serial.empty() ? backend_->identity() : std::move(serial)),
      worker_("virtio-blk", [this] { serve(); }) {
  if (serial_.size() > kIdBytes) serial_.resize(kIdBytes);
  // struct virtio_blk_config, little-endian: capacity, size_max, seg_max; geometry and
  // blk_size stay 0 (their features are not offered).
  const uint64_t capacity = capacity_sectors();
  const uint32_t size_max = kSizeMax, seg_max = kSegMax;
  std::memcpy(config_, &capacity, 8);
  std::memcpy(config_ + 8, &size_max, 4);
  std::memcpy(config_ + 12, &seg_max, 4);
}

std::unique_ptr<BlockDevice> BlockDevice::open(const DriveOptions& options) {
  return std::make_unique<BlockDevice>(RawFileBackend::open(options.path, options.read_only), options.serial);
}

BlockDevice::~BlockDevice() = default;

uint32_t BlockDevice::device_id() const { return kDeviceIdBlock; }

uint64_t BlockDevice::device_features() const {
  uint64_t f = feature_bit(kFeatureSizeMax) | feature_bit(kFeatureSegMax) | feature_bit(kFeatureFlush);
  if (backend_->read_only()) f |= feature_bit(kFeatureRo);
  return f;
}

uint64_t BlockDevice::queue_max_chain_bytes(unsigned) const {
  return uint64_t(kSegMax) * kSizeMax + kHeaderSize + 1;
}

uint64_t BlockDevice::config_read(uint32_t offset, unsigned size) {
  return read_config_bytes(config_, sizeof config_, offset, size);
}

void BlockDevice::serve() {
  std::lock_guard lock(mutex());
  if (!transport_) return;  // the transport is gone
  Queue& queue = transport_->queue(0);
  bool served = false;
  for (unsigned count = 0;; count++) {
    if (count == kQueueSize) {  // let a reset or a snapshot in between batches
      worker_.kick();
      break;
    }
    std::optional<Chain> chain = queue.pop();
    if (!chain) break;
    std::string why;
    const std::optional<Request> request = parse_request(*chain, why);
    if (!request) {
      transport_->fail(why);
      return;
    }
    uint32_t written = 0;
    const uint8_t status = execute(*chain, *request, written);
    chain->write(request->status_offset, std::span(&status, 1));
    queue.push(chain->head, written + 1);
    served = true;
  }
  if (served) transport_->notify_used(0);
}

uint8_t BlockDevice::execute(const Chain& chain, const Request& request, uint32_t& written) {
  switch (request.type) {
    case kTypeIn: {
      const uint8_t status = transfer(chain, request);
      if (status == kStatusOk) written = uint32_t(request.data_bytes);
      return status;
    }
    case kTypeOut:
      if (backend_->read_only()) return kStatusIoErr;
      return transfer(chain, request);
    case kTypeFlush:
      return backend_->flush() ? kStatusOk : kStatusIoErr;
    case kTypeGetId: {
      uint8_t id[kIdBytes] = {};  // NUL-padded; no terminator when the serial fills it
      std::memcpy(id, serial_.data(), serial_.size());
      const size_t n = std::min<uint64_t>(request.data_bytes, kIdBytes);
      written = uint32_t(chain.write(0, std::span(id, n)));
      return kStatusOk;
    }
    default:
      return kStatusUnsupported;
  }
}

uint8_t BlockDevice::transfer(const Chain& chain, const Request& request) {
  const uint64_t capacity = capacity_sectors();
  if (request.data_bytes % kSectorSize || request.sector > capacity ||
      request.data_bytes / kSectorSize > capacity - request.sector)
    return kStatusIoErr;
  if (request.data_bytes == 0) return kStatusOk;
  std::vector<iovec> iov;
  chain.iovecs(request.data_writable, request.data_offset, request.data_bytes, iov);
  const uint64_t offset = request.sector * kSectorSize;
  if (!request.data_writable) {
    if (!backend_->write(offset, iov)) return kStatusIoErr;
    // Without VIRTIO_BLK_F_FLUSH the driver expects a write-through disk (5.2.6.4).
    if (!(transport_->driver_features() & feature_bit(kFeatureFlush)) && !backend_->flush())
      return kStatusIoErr;
    return kStatusOk;
  }
  return backend_->read(offset, iov) ? kStatusOk : kStatusIoErr;
}

DeviceState BlockDevice::save_state() const {
  return blk::save_state(DiskShape{capacity_sectors(), backend_->read_only()});
}

void BlockDevice::restore_state(const DeviceState& state) {
  blk::restore_state(state, DiskShape{capacity_sectors(), backend_->read_only()});
}

}  // namespace strata::virtio
