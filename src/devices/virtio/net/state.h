#pragma once
// The net device's own part of a snapshot (the transport saves the queues around it): its
// MAC address, link status, and the frames received from the host that the guest has not
// taken yet. Host-side connections (slirp sockets, the TAP) are not part of it: after a
// restore the guest's TCP connections through slirp see resets, as after a cable pull.
#include <cstdint>
#include <deque>
#include <vector>

#include "mem/device_state.h"
#include "net/mac_address.h"

namespace strata::virtio::net {

struct NetState {
  MacAddress mac{};
  uint16_t status = 0;
  std::deque<std::vector<uint8_t>> pending_rx;
};

inline constexpr char kStateKind[] = "virtio-net";
inline constexpr uint32_t kStateVersion = 1;

DeviceState save_net_state(const NetState& state);
// Throws strata::Error on a foreign kind or version, truncated data, or more or larger
// pending frames than the device would ever hold (`max_pending`, kMaxFrameBytes).
NetState restore_net_state(const DeviceState& saved, size_t max_pending);

}  // namespace strata::virtio::net
