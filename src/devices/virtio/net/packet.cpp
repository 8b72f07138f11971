#include "devices/virtio/net/packet.h"

#include "devices/virtio/net/spec.h"

namespace strata::virtio::net {

bool read_tx_frame(const Chain& chain, std::vector<uint8_t>& frame) {
  const uint64_t total = chain.readable_bytes;
  if (total < kHeaderBytes + kEthernetHeaderBytes || total - kHeaderBytes > kMaxFrameBytes) return false;
  frame.resize(total - kHeaderBytes);
  return chain.read(kHeaderBytes, frame) == frame.size();
}

uint32_t write_rx_frame(const Chain& chain, std::span<const uint8_t> frame) {
  const uint64_t needed = uint64_t(kHeaderBytes) + frame.size();
  if (chain.writable_bytes < needed) return 0;
  uint8_t header[kHeaderBytes] = {};
  header[kHeaderNumBuffers] = 1;  // required when VIRTIO_NET_F_MRG_RXBUF is not negotiated
  chain.write(0, header);
  chain.write(kHeaderBytes, frame);
  return uint32_t(needed);
}

}  // namespace strata::virtio::net
