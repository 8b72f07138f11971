#include "devices/virtio/net/state.h"

#include "devices/virtio/net/spec.h"
#include "util/error.h"

namespace strata::virtio::net {

DeviceState save_net_state(const NetState& state) {
  StateWriter out;
  for (uint8_t byte : state.mac) out.u8(byte);
  out.u32(state.status);
  out.u32(uint32_t(state.pending_rx.size()));
  for (const auto& frame : state.pending_rx) out.blob(frame);
  return out.finish(kStateKind, kStateVersion);
}

NetState restore_net_state(const DeviceState& saved, size_t max_pending) {
  StateReader in(saved, kStateKind, kStateVersion);
  NetState state;
  for (uint8_t& byte : state.mac) byte = in.u8();
  state.status = uint16_t(in.u32());
  const uint32_t count = in.u32();
  if (count > max_pending)
    fail("virtio-net state holds {} pending frames, at most {} fit", count, max_pending);
  for (uint32_t i = 0; i < count; i++) {
    std::vector<uint8_t> frame = in.blob();
    if (frame.size() > kMaxFrameBytes) fail("virtio-net state holds a frame of {} bytes", frame.size());
    state.pending_rx.push_back(std::move(frame));
  }
  in.expect_end();
  return state;
}

}  // namespace strata::virtio::net
