#pragma once
// What virtio-blk saves of its own: the disk it was serving (its size in sectors and
// whether it is read-only), so a snapshot is restored only onto a matching disk. The
// queues and negotiated features are the transport's part of the state.
#include <cstdint>

#include "mem/device_state.h"

namespace strata::virtio::blk {

struct DiskShape {
  uint64_t sectors;
  bool read_only;
};

DeviceState save_state(const DiskShape& disk);
// Throws strata::Error on a foreign state or a disk of another shape.
void restore_state(const DeviceState& state, const DiskShape& disk);

}  // namespace strata::virtio::blk
