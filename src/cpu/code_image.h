#pragma once
// The bytes of one guest code page as an engine last derived code from them, shared by both
// engines' page re-sync: the interpreter re-decodes the slots that cover a changed byte, the
// JIT drops the blocks that do. The page is checked again when the shared tracker
// (mem/code_pages.h) counted a write to it or a fence.i came since the last check; the check
// reports which byte ranges changed and brings the image up to date.
#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace strata {

// Bytes [begin, end) of a page.
struct ByteRange {
  uint32_t begin = 0, end = 0;
  bool operator==(const ByteRange&) const = default;
};

class CodeImage {
 public:
  static constexpr uint32_t kSize = 4096;

  // Starts following the page at `host`, whose writes `writes` counts (CodePages::hold), as
  // of fence.i count `fences`. The counter is read before the bytes, so a write that races
  // with the copy is seen at the next check.
  void take(const uint8_t* host, const std::atomic<uint64_t>* writes, uint64_t fences);

  // Whether memory may differ from the image: the page was written since the last check, or
  // a fence.i came.
  bool stale(uint64_t fences) const {
    return synced_at_ != fences || writes_seen_ != writes_->load(std::memory_order_acquire);
  }

  // Compares memory with the image, copies what changed into it and puts the changed byte
  // ranges (sorted, disjoint) in `changed`, empty when nothing did. Each word of memory is
  // read once and that value is what the image keeps, so a write racing with the check
  // either shows here or in the next check (its count moves after the bytes).
  void sync(uint64_t fences, std::vector<ByteRange>& changed);

  // The bytes code is derived from: what the last check saw in memory.
  const uint8_t* bytes() const { return image_.data(); }
  const uint8_t* host() const { return host_; }

 private:
  alignas(64) std::array<uint8_t, kSize> image_;
  const uint8_t* host_ = nullptr;
  const std::atomic<uint64_t>* writes_ = nullptr;
  uint64_t writes_seen_ = 0;
  uint64_t synced_at_ = 0;
};

}  // namespace strata
