#include "mem/code_pages.h"

namespace strata {

const std::atomic<uint64_t>& CodePages::hold(uint64_t pa_page) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<Page>& page = pages_[pa_page & kPageMask];
  if (!page) {
    page = std::make_unique<Page>();
    buckets_[bucket(pa_page)].fetch_add(1, std::memory_order_release);
    count_.fetch_add(1, std::memory_order_relaxed);
    epoch_.fetch_add(1, std::memory_order_acq_rel);
  }
  page->holders++;
  return page->writes;
}

void CodePages::release(uint64_t pa_page) {
  std::lock_guard lock(mutex_);
  auto it = pages_.find(pa_page & kPageMask);
  if (it == pages_.end()) return;
  if (--it->second->holders == 0) {
    buckets_[bucket(it->first)].fetch_sub(1, std::memory_order_release);
    pages_.erase(it);
    count_.fetch_sub(1, std::memory_order_relaxed);
  }
}

bool CodePages::held(uint64_t pa_page) const {
  if (buckets_[bucket(pa_page)].load(std::memory_order_acquire) == 0) return false;
  std::lock_guard lock(mutex_);
  return pages_.count(pa_page & kPageMask) != 0;
}

bool CodePages::any_held(uint64_t lo, uint64_t hi) const {
  if (hi <= lo || count_.load(std::memory_order_relaxed) == 0) return false;
  std::lock_guard lock(mutex_);
  const uint64_t first = lo & kPageMask;
  if ((hi - 1 - first) / 4096 + 1 > pages_.size()) {  // fewer held pages than pages in range
    for (const auto& [page, p] : pages_)
      if (page < hi && page + 4096 > lo) return true;
    return false;
  }
  for (uint64_t page = first; page < hi; page += 4096)
    if (buckets_[bucket(page)].load(std::memory_order_relaxed) != 0 && pages_.count(page)) return true;
  return false;
}

bool CodePages::written(uint64_t pa, uint64_t size) {
  if (size == 0 || count_.load(std::memory_order_relaxed) == 0) return false;
  const uint64_t first = pa & kPageMask;
  const uint64_t end = pa + (size - 1) < pa ? ~uint64_t(0) : pa + (size - 1);  // inclusive, no wrap
  const uint64_t last = end & kPageMask;
  if (first == last && buckets_[bucket(first)].load(std::memory_order_acquire) == 0) return false;
  std::lock_guard lock(mutex_);
  bool touched = false;
  const uint64_t pages = (last - first) / 4096 + 1;
  if (pages > 65536 && pages > pages_.size()) {  // a huge range: visit what is held instead
    for (auto& [page, p] : pages_)
      if (page <= end && page + 4095 >= pa) {
        p->writes.fetch_add(1, std::memory_order_release);
        touched = true;
      }
    return touched;
  }
  for (uint64_t page = first;; page += 4096) {
    if (buckets_[bucket(page)].load(std::memory_order_relaxed) != 0)
      if (auto it = pages_.find(page); it != pages_.end()) {
        it->second->writes.fetch_add(1, std::memory_order_release);
        touched = true;
      }
    if (page == last) break;
  }
  return touched;
}

}  // namespace strata
