#pragma once
// Which guest physical pages hold code that an engine derived (the interpreter's decoded
// slots, the JIT's translated blocks), shared by every hart of a machine or process and by
// the devices that write guest memory. Both engines register the pages they derive code
// from; stores into such pages take the slow path of the soft TLB and report here; DMA
// and the host's own writes into guest memory report here too. Each held page counts the
// writes reported, so an engine re-checks a page it holds whenever that count moved,
// whoever wrote it (itself, another hart, a device): fence.i is then needed only for
// writes that went through a soft TLB filled before the page became code.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace strata {

class CodePages {
 public:
  static constexpr uint64_t kPageMask = ~uint64_t(4095);

  // An engine starts holding code from `pa_page`. The counter it gets stays valid until its
  // matching release(); it counts the writes reported for the page.
  const std::atomic<uint64_t>& hold(uint64_t pa_page);
  void release(uint64_t pa_page);
  bool held(uint64_t pa_page) const;
  // Whether any page of [lo, hi) is held (a mapping change there must drop derived code).
  bool any_held(uint64_t lo, uint64_t hi) const;

  // [pa, pa+size) was written; true when it touches a held page.
  bool written(uint64_t pa, uint64_t size);

  // Moves whenever a page starts being held: a hart whose soft TLB may still let stores into
  // that page through its fast path drops its write entries when it sees this change.
  uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }

 private:
  struct Page {
    unsigned holders = 0;
    std::atomic<uint64_t> writes{0};
  };
  // How many held pages fall in each bucket (by page number): a zero answers held() and
  // written() without the lock, which most stores into RAM that reach here meet.
  static constexpr size_t kBuckets = 4096;
  static size_t bucket(uint64_t page) { return (page >> 12) % kBuckets; }
  std::array<std::atomic<uint32_t>, kBuckets> buckets_{};
  mutable std::mutex mutex_;
  // Nodes of an unordered_map never move, so the counters handed out stay put.
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
  std::atomic<uint64_t> epoch_{0};
  std::atomic<size_t> count_{0};  // lets written() skip the lock when nothing is held
};

}  // namespace strata
