#include "cpu/code_image.h"

#include <bit>
#include <cstring>

namespace strata {

void CodeImage::take(const uint8_t* host, const std::atomic<uint64_t>* writes, uint64_t fences) {
  host_ = host;
  writes_ = writes;
  writes_seen_ = writes->load(std::memory_order_acquire);
  synced_at_ = fences;
  std::memcpy(image_.data(), host, kSize);
}

void CodeImage::sync(uint64_t fences, std::vector<ByteRange>& changed) {
  changed.clear();
  const uint64_t writes = writes_->load(std::memory_order_acquire);  // before the bytes
  synced_at_ = fences;
  writes_seen_ = writes;
  if (std::memcmp(image_.data(), host_, kSize) == 0) return;  // the usual answer, vectorised
  bool last_differed = false;
  for (uint32_t at = 0; at < kSize; at += 8) {
    uint64_t now, was;
    std::memcpy(&now, host_ + at, 8);
    std::memcpy(&was, image_.data() + at, 8);
    const uint64_t diff = now ^ was;
    if (diff == 0) {
      last_differed = false;
      continue;
    }
    std::memcpy(image_.data() + at, &now, 8);
    // Little-endian: byte k of the word holds bits 8k..8k+7.
    const uint32_t begin = at + unsigned(std::countr_zero(diff)) / 8;
    const uint32_t end = at + 8 - unsigned(std::countl_zero(diff)) / 8;
    if (last_differed)
      changed.back().end = end;
    else
      changed.push_back({begin, end});
    last_differed = true;
  }
}

}  // namespace strata
