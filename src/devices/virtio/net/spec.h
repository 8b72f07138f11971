#pragma once
// virtio-net numbers (virtio 1.2, 5.1) this device uses.
#include <cstdint>

namespace strata::virtio::net {

inline constexpr unsigned kQueueRx = 0;  // receiveq1
inline constexpr unsigned kQueueTx = 1;  // transmitq1

// Feature bits (5.1.3). Only these are offered: no offloads, no control queue, no
// multiqueue, no mergeable receive buffers.
inline constexpr unsigned kFeatureMac = 5;      // VIRTIO_NET_F_MAC: config.mac is valid
inline constexpr unsigned kFeatureStatus = 16;  // VIRTIO_NET_F_STATUS: config.status is valid

// Configuration space (5.1.4): mac[6] at 0, status (le16) at 6. The fields after it exist
// only with features this device does not offer.
inline constexpr uint32_t kConfigMac = 0;
inline constexpr uint32_t kConfigStatus = 6;
inline constexpr uint32_t kConfigBytes = 8;
inline constexpr uint16_t kStatusLinkUp = 1;

// struct virtio_net_hdr (5.1.6) as VIRTIO_F_VERSION_1 lays it out: flags u8, gso_type u8,
// hdr_len le16, gso_size le16, csum_start le16, csum_offset le16, num_buffers le16. It
// precedes every frame in both directions.
inline constexpr uint32_t kHeaderBytes = 12;
inline constexpr uint32_t kHeaderNumBuffers = 10;

inline constexpr uint32_t kEthernetHeaderBytes = 14;
// The largest frame either direction carries: without segmentation offloads a frame is at
// most MTU + Ethernet + VLAN headers, but the limit leaves room for jumbo frames on a TAP.
inline constexpr uint32_t kMaxFrameBytes = 65535;

}  // namespace strata::virtio::net
