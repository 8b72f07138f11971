#include "devices/virtio/blk/request.h"

#include <fmt/format.h>

#include <cstring>

namespace strata::virtio::blk {

std::optional<Request> parse_request(const Chain& chain, std::string& why) {
  uint8_t header[kHeaderSize];
  if (chain.read(0, header) != kHeaderSize) {
    why = fmt::format("request at head {} has a {}-byte header", chain.head, chain.readable_bytes);
    return std::nullopt;
  }
  if (chain.writable_bytes == 0) {
    why = fmt::format("request at head {} has no status byte", chain.head);
    return std::nullopt;
  }
  Request r;
  std::memcpy(&r.type, header, 4);
  std::memcpy(&r.sector, header + 8, 8);
  r.status_offset = chain.writable_bytes - 1;
  if (r.type == kTypeOut) {
    r.data_writable = false;
    r.data_offset = kHeaderSize;
    r.data_bytes = chain.readable_bytes - kHeaderSize;
  } else {
    r.data_writable = true;
    r.data_offset = 0;
    r.data_bytes = chain.writable_bytes - 1;
  }
  return r;
}

}  // namespace strata::virtio::blk
