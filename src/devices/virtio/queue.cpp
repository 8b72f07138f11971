#include "devices/virtio/queue.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>

#include "devices/virtio/spec.h"
#include "mem/code_pages.h"
#include "util/error.h"

namespace strata::virtio {
namespace {

// Ring indexes are shared with vCPU threads: the driver publishes avail->idx with a
// release store after filling the ring, and reads used->idx expecting our elements first.
uint16_t load_acquire16(const uint8_t* p) {
  return std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(const_cast<uint8_t*>(p)))
      .load(std::memory_order_acquire);
}
void store_release16(uint8_t* p, uint16_t v) {
  std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(p)).store(v, std::memory_order_release);
}
uint16_t load16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

// virtio 1.2, 2.7.10: whether used->idx moving from `old_idx` to `new_idx` crosses `event`.
bool need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx) {
  return uint16_t(new_idx - event - 1) < uint16_t(new_idx - old_idx);
}

constexpr uint64_t kAvailHeader = 4;  // flags, idx
constexpr uint64_t kUsedHeader = 4;

}  // namespace

size_t Chain::read(uint64_t offset, std::span<uint8_t> out) const {
  size_t done = 0;
  for (const auto& seg : readable) {
    if (done == out.size()) break;
    if (offset >= seg.size()) {
      offset -= seg.size();
      continue;
    }
    size_t n = std::min<size_t>(seg.size() - offset, out.size() - done);
    std::memcpy(out.data() + done, seg.data() + offset, n);
    done += n;
    offset = 0;
  }
  return done;
}

size_t Chain::write(uint64_t offset, std::span<const uint8_t> in) const {
  size_t done = 0;
  for (const auto& seg : writable) {
    if (done == in.size()) break;
    if (offset >= seg.size()) {
      offset -= seg.size();
      continue;
    }
    size_t n = std::min<size_t>(seg.size() - offset, in.size() - done);
    std::memcpy(seg.data() + offset, in.data() + done, n);
    done += n;
    offset = 0;
  }
  return done;
}

bool Chain::iovecs(bool writable_part, uint64_t offset, uint64_t len, std::vector<iovec>& out) const {
  const auto& segs = writable_part ? writable : readable;
  for (const auto& seg : segs) {
    if (len == 0) return true;
    if (offset >= seg.size()) {
      offset -= seg.size();
      continue;
    }
    uint64_t n = std::min<uint64_t>(seg.size() - offset, len);
    out.push_back(iovec{seg.data() + offset, size_t(n)});
    len -= n;
    offset = 0;
  }
  return len == 0;
}

Queue::Queue(const Bus& bus, uint16_t max_size, uint64_t max_chain_bytes, FailHandler fail)
    : bus_(bus),
      max_size_(max_size),
      max_chain_bytes_(max_chain_bytes),
      fail_(std::move(fail)),
      size_(max_size) {
  if (max_size == 0 || max_size > kMaxQueueSize || !std::has_single_bit(max_size))
    strata::fail("virtio queue maximum size {} is not a power of two in 1..{}", max_size, kMaxQueueSize);
}

void Queue::set_features(uint64_t driver_features) {
  indirect_ = driver_features & feature_bit(kFeatureIndirectDesc);
  event_idx_ = driver_features & feature_bit(kFeatureEventIdx);
}

void Queue::reset() {
  size_ = max_size_;
  desc_addr_ = driver_addr_ = device_addr_ = 0;
  ready_ = indirect_ = event_idx_ = false;
  valid_ = active_ = halted_ = false;
  desc_ = avail_ = used_ = nullptr;
  last_avail_ = used_idx_ = signalled_used_ = 0;
  signalled_valid_ = false;
  dma_ranges_.clear();
}

bool Queue::fail(const std::string& why) {
  halted_ = true;
  if (fail_) fail_(why);
  return false;
}

bool Queue::map_rings() {
  // The sizes of 2.7 include used_event and avail_event, which Linux always allocates, so
  // the areas are the same whether or not VIRTIO_F_EVENT_IDX is negotiated later.
  const uint64_t n = size_;
  const uint64_t event = 2;
  if (desc_addr_ % 16 || driver_addr_ % 2 || device_addr_ % 4) return false;
  desc_ = bus_.ram_ptr(desc_addr_, n * kDescSize);
  avail_ = bus_.ram_ptr(driver_addr_, kAvailHeader + 2 * n + event);
  used_ = bus_.ram_ptr(device_addr_, kUsedHeader + kUsedElemSize * n + event);
  return desc_ && avail_ && used_;
}

void Queue::set_ready(bool ready) {
  if (!ready) {
    ready_ = valid_ = false;
    desc_ = avail_ = used_ = nullptr;
    return;
  }
  if (ready_) return;
  ready_ = true;
  if (size_ == 0 || size_ > max_size_ || !std::has_single_bit(size_)) {
    fail(fmt::format("queue size {} is not a power of two in 1..{}", size_, max_size_));
    return;
  }
  if (!map_rings()) {
    fail(
        fmt::format("queue rings at desc {:#x}, driver {:#x}, device {:#x} (size {}) are misaligned or "
                    "outside RAM",
                    desc_addr_, driver_addr_, device_addr_, size_));
    return;
  }
  valid_ = true;
  // The device starts where the driver starts: both indexes at zero after a reset.
  last_avail_ = used_idx_ = signalled_used_ = 0;
  signalled_valid_ = false;
  dma_ranges_.clear();
}

uint16_t Queue::avail_idx() const { return load_acquire16(avail_ + 2); }

void Queue::publish_avail_event() {
  // avail_event sits after the used ring: the driver notifies once avail->idx passes it.
  store_release16(used_ + kUsedHeader + kUsedElemSize * size_, last_avail_);
}

Queue::Desc Queue::read_desc(const uint8_t* table, uint32_t index) {
  // One copy of the guest's descriptor: later checks see the same values the walk used.
  uint8_t raw[kDescSize];
  std::memcpy(raw, table + uint64_t(index) * kDescSize, kDescSize);
  Desc d;
  std::memcpy(&d.addr, raw, 8);
  std::memcpy(&d.len, raw + 8, 4);
  std::memcpy(&d.flags, raw + 12, 2);
  std::memcpy(&d.next, raw + 14, 2);
  return d;
}

bool Queue::add_buffer(const Desc& d, Chain& chain, uint64_t& total) {
  if (d.len == 0) return true;  // nothing to read or write; its address is never used
  total += d.len;
  if (total > max_chain_bytes_)
    return fail(
        fmt::format("descriptor chain at head {} holds more than {} bytes", chain.head, max_chain_bytes_));
  uint8_t* host = bus_.ram_ptr(d.addr, d.len);
  if (!host)
    return fail(
        fmt::format("buffer {:#x}+{:#x} in chain at head {} is outside RAM", d.addr, d.len, chain.head));
  std::span<uint8_t> buf(host, d.len);
  if (d.flags & kDescFlagWrite) {
    dma_ranges_[chain.head].push_back({d.addr, d.len});
    chain.writable.push_back(buf);
    chain.writable_bytes += d.len;
  } else {
    if (!chain.writable.empty())
      return fail(fmt::format("readable buffer after a writable one in chain at head {}", chain.head));
    chain.readable.push_back(buf);
    chain.readable_bytes += d.len;
  }
  return true;
}

bool Queue::walk(uint16_t head, Chain& chain) {
  if (head >= size_) return fail(fmt::format("available head index {} >= queue size {}", head, size_));
  const uint8_t* table = desc_;
  uint32_t entries = size_;  // of the table being walked: the ring's or an indirect one
  bool indirect = false;
  uint32_t index = head;
  uint32_t links = 0;
  uint64_t total = 0;
  for (;;) {
    if (++links > entries)
      return fail(fmt::format("descriptor chain at head {} has more than {} links (a loop)", head, entries));
    const Desc d = read_desc(table, index);
    if (d.flags & kDescFlagIndirect) {
      if (indirect) return fail(fmt::format("nested indirect descriptor in chain at head {}", head));
      if (!indirect_) return fail("indirect descriptor without VIRTIO_F_INDIRECT_DESC");
      if (d.flags & kDescFlagNext)
        return fail(fmt::format("indirect descriptor with NEXT in chain at head {}", head));
      if (d.len == 0 || d.len % kDescSize || d.len / kDescSize > size_)
        return fail(fmt::format("indirect table of {} bytes in chain at head {}", d.len, head));
      table = bus_.ram_ptr(d.addr, d.len);
      if (!table) return fail(fmt::format("indirect table {:#x}+{:#x} is outside RAM", d.addr, d.len));
      entries = d.len / kDescSize;
      indirect = true;
      index = 0;
      links = 0;
      continue;
    }
    if (!add_buffer(d, chain, total)) return false;
    if (!(d.flags & kDescFlagNext)) return true;
    if (d.next >= entries)
      return fail(fmt::format("next index {} >= {} in chain at head {}", d.next, entries, head));
    index = d.next;
  }
}

std::optional<uint16_t> Queue::next_avail_idx() {
  uint16_t idx = avail_idx();
  if (idx == last_avail_ && event_idx_) {
    // Ask for a notification at the next buffer, then look again: the driver may have
    // added one between our read and its check of avail_event.
    publish_avail_event();
    std::atomic_thread_fence(std::memory_order_seq_cst);
    idx = avail_idx();
  }
  if (uint16_t(idx - last_avail_) > size_) {
    fail(fmt::format("available index moved from {} to {} on a queue of {}", last_avail_, idx, size_));
    return std::nullopt;
  }
  return idx;
}

bool Queue::available() {
  if (!running()) return false;
  const std::optional<uint16_t> idx = next_avail_idx();
  return idx && *idx != last_avail_;
}

std::optional<Chain> Queue::pop() {
  if (!running()) return std::nullopt;
  const std::optional<uint16_t> idx = next_avail_idx();
  if (!idx || *idx == last_avail_) return std::nullopt;
  const uint16_t head = load16(avail_ + kAvailHeader + 2 * (last_avail_ % size_));
  Chain chain;
  chain.head = head;
  if (dma_ranges_.size() < size_) dma_ranges_.resize(size_);
  if (head < size_) dma_ranges_[head].clear();
  if (!walk(head, chain)) return std::nullopt;
  last_avail_++;
  if (event_idx_) publish_avail_event();
  return chain;
}

// What the device wrote into guest memory may be code an engine derived (a page read from
// disk into memory that runs later): the code-page tracker hears of it here.
void Queue::report_dma(uint16_t head, uint32_t written) {
  if (head >= dma_ranges_.size()) return;
  uint64_t left = written;
  for (const DmaRange& r : dma_ranges_[head]) {
    if (left == 0) break;
    const uint64_t len = std::min<uint64_t>(r.len, left);
    bus_.code_pages().written(r.gpa, len);
    left -= len;
  }
  dma_ranges_[head].clear();
}

void Queue::push(uint16_t head, uint32_t written) {
  if (!running()) return;
  report_dma(head, written);
  uint8_t* elem = used_ + kUsedHeader + kUsedElemSize * (used_idx_ % size_);
  const uint32_t id = head;
  std::memcpy(elem, &id, 4);
  std::memcpy(elem + 4, &written, 4);
  used_idx_++;
  store_release16(used_ + 2, used_idx_);  // the element is visible before the index
}

bool Queue::needs_interrupt() {
  if (!running()) return false;
  // Our used->idx store must be ordered before reading the driver's suppression fields,
  // or both sides may decide the other will act.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (!event_idx_) return !(load_acquire16(avail_) & kAvailFlagNoInterrupt);
  const uint16_t used_event = load_acquire16(avail_ + kAvailHeader + 2 * size_);
  const bool valid = signalled_valid_;
  const uint16_t old = signalled_used_;
  signalled_valid_ = true;
  signalled_used_ = used_idx_;
  return !valid || need_event(used_event, used_idx_, old);
}

void Queue::save(StateWriter& out) const {
  out.u32(size_);
  out.u64(desc_addr_);
  out.u64(driver_addr_);
  out.u64(device_addr_);
  out.u8(ready_);
  out.u8(indirect_);
  out.u8(event_idx_);
  out.u8(valid_);
  out.u8(active_);
  out.u8(halted_);
  out.u32(last_avail_);
  out.u32(used_idx_);
  out.u32(signalled_used_);
  out.u8(signalled_valid_);
}

void Queue::restore(StateReader& in) {
  reset();
  size_ = in.u32();
  desc_addr_ = in.u64();
  driver_addr_ = in.u64();
  device_addr_ = in.u64();
  ready_ = in.u8();
  indirect_ = in.u8();
  event_idx_ = in.u8();
  valid_ = in.u8();
  active_ = in.u8();
  halted_ = in.u8();
  last_avail_ = uint16_t(in.u32());
  used_idx_ = uint16_t(in.u32());
  signalled_used_ = uint16_t(in.u32());
  signalled_valid_ = in.u8();
  if (valid_ && (!ready_ || size_ == 0 || size_ > max_size_ || !std::has_single_bit(size_) || !map_rings()))
    strata::fail("virtio queue state does not fit this machine (size {}, rings at {:#x}/{:#x}/{:#x})", size_,
                 desc_addr_, driver_addr_, device_addr_);
  if (!valid_) desc_ = avail_ = used_ = nullptr;
}

}  // namespace strata::virtio
