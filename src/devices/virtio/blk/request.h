#pragma once
// virtio-blk requests (virtio 1.2, 5.2.6): a 16-byte header the device reads (type,
// reserved, sector), the data, and one status byte the device writes last. The header
// and data may be split across any buffers; only their order is fixed.
#include <cstdint>
#include <optional>
#include <string>

#include "devices/virtio/queue.h"

namespace strata::virtio::blk {

// Feature bits (5.2.3).
inline constexpr unsigned kFeatureSizeMax = 1;
inline constexpr unsigned kFeatureSegMax = 2;
inline constexpr unsigned kFeatureRo = 5;
inline constexpr unsigned kFeatureFlush = 9;

// Request types and status values.
inline constexpr uint32_t kTypeIn = 0;
inline constexpr uint32_t kTypeOut = 1;
inline constexpr uint32_t kTypeFlush = 4;
inline constexpr uint32_t kTypeGetId = 8;
inline constexpr uint8_t kStatusOk = 0;
inline constexpr uint8_t kStatusIoErr = 1;
inline constexpr uint8_t kStatusUnsupported = 2;

inline constexpr uint64_t kSectorSize = 512;
inline constexpr uint64_t kHeaderSize = 16;
inline constexpr uint64_t kIdBytes = 20;  // GET_ID answers at most this many bytes

struct Request {
  uint32_t type;
  uint64_t sector;
  // Where the data is: readable bytes after the header (OUT), or writable bytes before
  // the status byte (IN, GET_ID).
  uint64_t data_offset;
  uint64_t data_bytes;
  bool data_writable;
  uint64_t status_offset;  // in the writable part
};

// The request a chain carries, or nothing with `why` set when the chain cannot be a
// request at all (a header shorter than 16 bytes, no writable byte for the status).
std::optional<Request> parse_request(const Chain& chain, std::string& why);

}  // namespace strata::virtio::blk
