#pragma once
// Moving Ethernet frames between descriptor chains and bytes, with the virtio_net_hdr in
// front. The chains come from Queue::pop, so every buffer is already inside guest RAM; what
// is checked here is what the net device itself needs: a header and a frame of sane size.
#include <cstdint>
#include <span>
#include <vector>

#include "devices/virtio/queue.h"

namespace strata::virtio::net {

// The frame a transmit chain carries (its readable part after the header) into `frame`.
// False when the chain is too short to hold a header and an Ethernet header, or its frame
// is larger than kMaxFrameBytes: the device drops it. The header's offload fields are
// ignored: no offload was offered, so a driver has no business setting them.
bool read_tx_frame(const Chain& chain, std::vector<uint8_t>& frame);

// Writes a header (everything zero, num_buffers 1) and `frame` into a receive chain's
// writable part. Returns the bytes written, or 0 when the chain is too small to hold both
// (the frame is then dropped and the chain returned empty).
uint32_t write_rx_frame(const Chain& chain, std::span<const uint8_t> frame);

}  // namespace strata::virtio::net
