#include "devices/virtio/virtio_device.h"

namespace strata::virtio {

Device::~Device() {
  if (transport_) transport_->device_destroyed();
}

uint64_t read_config_bytes(const uint8_t* bytes, size_t length, uint32_t offset, unsigned size) {
  uint64_t value = 0;
  for (unsigned i = 0; i < size && i < 8; i++) {
    const uint64_t at = uint64_t(offset) + i;
    if (at < length) value |= uint64_t(bytes[at]) << (8 * i);
  }
  return value;
}

}  // namespace strata::virtio
