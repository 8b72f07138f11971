#pragma once
// A virtio driver for device tests: it lays out split rings in guest RAM and drives a
// virtio-mmio transport through bus reads and writes in the order Linux's virtio_mmio and
// virtio core do (reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK).
// It also writes raw descriptors and ring indexes for the hostile tests.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "devices/irq.h"
#include "devices/virtio/mmio_transport.h"
#include "devices/virtio/queue.h"
#include "devices/virtio/spec.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"

namespace strata::testing {

// The interrupt controller's side of the device's line, with a wait for the next raise.
class RecordingIrq : public IrqSink {
 public:
  void set_irq(unsigned, bool level) override {
    std::lock_guard lock(mutex_);
    if (level && !level_) raises_++;
    level_ = level;
    changed_.notify_all();
  }
  bool level() const {
    std::lock_guard lock(mutex_);
    return level_;
  }
  uint64_t raises() const {
    std::lock_guard lock(mutex_);
    return raises_;
  }
  // Waits until the line was raised more than `seen` times in all; false on timeout.
  bool wait_raises_above(uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return raises_ > seen; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool level_ = false;
  uint64_t raises_ = 0;
};

struct Buf {
  uint64_t addr;
  uint32_t len;
  bool writable;
};

struct UsedElem {
  uint32_t id;
  uint32_t len;
};

class FakeVirtioDriver {
 public:
  static constexpr uint64_t kSlot = 0x10001000;
  static constexpr uint64_t kRamBase = 0x80000000;

  struct Ring {
    uint16_t size = 0;
    uint64_t desc = 0, avail = 0, used = 0;
    uint16_t avail_idx = 0;  // what the driver has published
    uint16_t last_used = 0;  // used entries consumed
    uint16_t next_desc = 0;  // round-robin descriptor allocation
  };

  FakeVirtioDriver(Bus& bus, GuestRam& ram, RecordingIrq& irq) : bus_(bus), ram_(ram), irq_(irq) {
    next_alloc_ = ram.base() + 0x1000;
  }

  // ---- Registers.
  uint32_t reg(uint32_t offset) {
    uint64_t v = 0;
    EXPECT_TRUE(bus_.read(kSlot + offset, 4, v));
    return uint32_t(v);
  }
  void set_reg(uint32_t offset, uint32_t value) { EXPECT_TRUE(bus_.write(kSlot + offset, 4, value)); }
  uint64_t config(uint32_t offset, unsigned size) {
    uint64_t v = 0;
    EXPECT_TRUE(bus_.read(kSlot + virtio::mmio::kConfig + offset, size, v));
    return v;
  }
  void set_config(uint32_t offset, unsigned size, uint64_t value) {
    EXPECT_TRUE(bus_.write(kSlot + virtio::mmio::kConfig + offset, size, value));
  }
  uint32_t status() { return reg(virtio::mmio::kStatus); }
  bool needs_reset() { return status() & virtio::kStatusNeedsReset; }
  void add_status(uint32_t bits) { set_reg(virtio::mmio::kStatus, status() | bits); }
  uint64_t device_features() {
    set_reg(virtio::mmio::kDeviceFeaturesSel, 1);
    uint64_t f = uint64_t(reg(virtio::mmio::kDeviceFeatures)) << 32;
    set_reg(virtio::mmio::kDeviceFeaturesSel, 0);
    return f | reg(virtio::mmio::kDeviceFeatures);
  }
  void reset() { set_reg(virtio::mmio::kStatus, 0); }

  // ---- Initialisation, as virtio_mmio + virtio core do it. Returns whether the device
  // kept FEATURES_OK.
  bool negotiate(uint64_t wanted) {
    EXPECT_EQ(reg(virtio::mmio::kMagicValue), virtio::mmio::kMagic);
    EXPECT_EQ(reg(virtio::mmio::kVersion), 2u);
    reset();
    add_status(virtio::kStatusAcknowledge);
    add_status(virtio::kStatusDriver);
    features_ = device_features() & wanted;
    set_reg(virtio::mmio::kDriverFeaturesSel, 1);
    set_reg(virtio::mmio::kDriverFeatures, uint32_t(features_ >> 32));
    set_reg(virtio::mmio::kDriverFeaturesSel, 0);
    set_reg(virtio::mmio::kDriverFeatures, uint32_t(features_));
    add_status(virtio::kStatusFeaturesOk);
    return status() & virtio::kStatusFeaturesOk;
  }
  uint64_t features() const { return features_; }

  // Allocates rings for queue `q` and enables it, as vm_setup_vq does.
  void setup_queue(unsigned q, uint16_t size) {
    set_reg(virtio::mmio::kQueueSel, q);
    ASSERT_EQ(reg(virtio::mmio::kQueueReady), 0u);
    ASSERT_GE(reg(virtio::mmio::kQueueNumMax), size);
    Ring r;
    r.size = size;
    r.desc = alloc(16ull * size, 16);
    r.avail = alloc(6 + 2ull * size, 2);
    r.used = alloc(6 + 8ull * size, 4);
    set_queue_layout(q, r, size);
    set_reg(virtio::mmio::kQueueReady, 1);
  }
  // Writes QueueNum and the three addresses without enabling the queue.
  void set_queue_layout(unsigned q, const Ring& r, uint32_t num) {
    set_reg(virtio::mmio::kQueueSel, q);
    set_reg(virtio::mmio::kQueueNum, num);
    set_reg(virtio::mmio::kQueueDescLow, uint32_t(r.desc));
    set_reg(virtio::mmio::kQueueDescHigh, uint32_t(r.desc >> 32));
    set_reg(virtio::mmio::kQueueDriverLow, uint32_t(r.avail));
    set_reg(virtio::mmio::kQueueDriverHigh, uint32_t(r.avail >> 32));
    set_reg(virtio::mmio::kQueueDeviceLow, uint32_t(r.used));
    set_reg(virtio::mmio::kQueueDeviceHigh, uint32_t(r.used >> 32));
    if (rings_.size() <= q) rings_.resize(q + 1);
    rings_[q] = r;
  }
  void driver_ok() { add_status(virtio::kStatusDriverOk); }

  // What the driver knows of its rings and memory, to carry on after a restore into
  // another machine with a copy of this one's RAM.
  struct Bookkeeping {
    std::vector<Ring> rings;
    uint64_t next_alloc;
    uint64_t features;
  };
  Bookkeeping bookkeeping() const { return {rings_, next_alloc_, features_}; }
  void adopt(const Bookkeeping& b) {
    rings_ = b.rings;
    next_alloc_ = b.next_alloc;
    features_ = b.features;
  }

  // negotiate + every queue at `size` + DRIVER_OK.
  void bring_up(uint64_t wanted, unsigned queues, uint16_t size) {
    ASSERT_TRUE(negotiate(wanted));
    for (unsigned q = 0; q < queues; q++) setup_queue(q, size);
    driver_ok();
    ASSERT_EQ(status() & virtio::kStatusNeedsReset, 0u);
  }

  // ---- Guest memory.
  uint64_t alloc(uint64_t size, uint64_t align = 16) {
    next_alloc_ = (next_alloc_ + align - 1) & ~(align - 1);
    const uint64_t at = next_alloc_;
    next_alloc_ += size;
    EXPECT_LE(next_alloc_, ram_.end()) << "fake driver out of guest RAM";
    return at;
  }
  uint8_t* host(uint64_t gpa) { return ram_.host(gpa); }
  void poke(uint64_t gpa, const void* data, size_t n) { std::memcpy(host(gpa), data, n); }
  void peek(uint64_t gpa, void* data, size_t n) { std::memcpy(data, host(gpa), n); }
  template <typename T>
  void poke_value(uint64_t gpa, T v) {
    poke(gpa, &v, sizeof v);
  }
  template <typename T>
  T peek_value(uint64_t gpa) {
    T v;
    peek(gpa, &v, sizeof v);
    return v;
  }

  // ---- Rings.
  Ring& ring(unsigned q) { return rings_.at(q); }
  void write_desc(unsigned q, uint16_t index, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
    write_desc_at(ring(q).desc + 16ull * index, addr, len, flags, next);
  }
  void write_desc_at(uint64_t gpa, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
    poke_value(gpa, addr);
    poke_value(gpa + 8, len);
    poke_value(gpa + 12, flags);
    poke_value(gpa + 14, next);
  }
  // Puts `head` in the next avail slot and publishes it (release, like virtio_store_mb).
  void publish(unsigned q, uint16_t head) {
    Ring& r = ring(q);
    poke_value<uint16_t>(r.avail + 4 + 2ull * (r.avail_idx % r.size), head);
    set_avail_idx(q, uint16_t(r.avail_idx + 1));
  }
  void set_avail_idx(unsigned q, uint16_t idx) {
    Ring& r = ring(q);
    r.avail_idx = idx;
    std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(host(r.avail + 2)))
        .store(idx, std::memory_order_release);
  }
  void set_avail_flags(unsigned q, uint16_t flags) { poke_value(ring(q).avail, flags); }
  void set_used_event(unsigned q, uint16_t v) {
    poke_value<uint16_t>(ring(q).avail + 4 + 2ull * ring(q).size, v);
  }
  uint16_t avail_event(unsigned q) { return peek_value<uint16_t>(ring(q).used + 4 + 8ull * ring(q).size); }

  // A chain of direct descriptors; returns its head (not yet published).
  uint16_t write_chain(unsigned q, const std::vector<Buf>& bufs) {
    Ring& r = ring(q);
    const uint16_t head = r.next_desc;
    for (size_t i = 0; i < bufs.size(); i++) {
      const uint16_t index = uint16_t((head + i) % r.size);
      const bool last = i + 1 == bufs.size();
      write_desc(
          q, index, bufs[i].addr, bufs[i].len,
          uint16_t((bufs[i].writable ? virtio::kDescFlagWrite : 0) | (last ? 0 : virtio::kDescFlagNext)),
          uint16_t((index + 1) % r.size));
    }
    r.next_desc = uint16_t((head + bufs.size()) % r.size);
    return head;
  }
  uint16_t add(unsigned q, const std::vector<Buf>& bufs) {
    const uint16_t head = write_chain(q, bufs);
    publish(q, head);
    return head;
  }
  // One descriptor pointing at an indirect table holding `bufs`.
  uint16_t add_indirect(unsigned q, const std::vector<Buf>& bufs) {
    const uint64_t table = alloc(16 * bufs.size(), 16);
    for (size_t i = 0; i < bufs.size(); i++) {
      const bool last = i + 1 == bufs.size();
      write_desc_at(
          table + 16 * i, bufs[i].addr, bufs[i].len,
          uint16_t((bufs[i].writable ? virtio::kDescFlagWrite : 0) | (last ? 0 : virtio::kDescFlagNext)),
          uint16_t(i + 1));
    }
    Ring& r = ring(q);
    const uint16_t head = r.next_desc;
    write_desc(q, head, table, uint32_t(16 * bufs.size()), virtio::kDescFlagIndirect, 0);
    r.next_desc = uint16_t((head + 1) % r.size);
    publish(q, head);
    return head;
  }
  void kick(unsigned q) { set_reg(virtio::mmio::kQueueNotify, q); }

  uint16_t used_idx(unsigned q) {
    return std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(host(ring(q).used + 2)))
        .load(std::memory_order_acquire);
  }
  std::optional<UsedElem> poll_used(unsigned q) {
    Ring& r = ring(q);
    if (used_idx(q) == r.last_used) return std::nullopt;
    const uint64_t elem = r.used + 4 + 8ull * (r.last_used % r.size);
    r.last_used++;
    return UsedElem{peek_value<uint32_t>(elem), peek_value<uint32_t>(elem + 4)};
  }
  // Waits for the device's interrupt and the next used element (as vm_interrupt does, it
  // acknowledges what it saw); fails the test after a generous timeout.
  std::optional<UsedElem> wait_used(unsigned q,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const uint64_t seen = irq_.raises();
      // With VIRTIO_F_EVENT_IDX, ask for an interrupt at the next used buffer (what
      // virtqueue_enable_cb does), then look once more before sleeping.
      if (features_ & virtio::feature_bit(virtio::kFeatureEventIdx)) {
        set_used_event(q, ring(q).last_used);
        std::atomic_thread_fence(std::memory_order_seq_cst);
      }
      ack_interrupts();
      if (auto used = poll_used(q)) return used;
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline ||
          !irq_.wait_raises_above(seen,
                                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now))) {
        ADD_FAILURE() << "no used buffer on queue " << q;
        return std::nullopt;
      }
    }
  }
  uint32_t ack_interrupts() {
    const uint32_t isr = reg(virtio::mmio::kInterruptStatus);
    if (isr) set_reg(virtio::mmio::kInterruptAck, isr);
    return isr;
  }

 private:
  Bus& bus_;
  GuestRam& ram_;
  RecordingIrq& irq_;
  uint64_t next_alloc_;
  uint64_t features_ = 0;
  std::vector<Ring> rings_;
};

// A device for transport and queue tests: it answers each chain inline by copying its
// readable bytes into its writable buffers, and keeps 8 bytes of writable config space.
class EchoDevice : public virtio::Device {
 public:
  explicit EchoDevice(unsigned queues = 1, uint16_t max_size = 16, uint64_t max_chain = 1 << 16)
      : queues_(queues), max_size_(max_size), max_chain_(max_chain) {}
  std::string_view name() const override { return "virtio-echo"; }
  uint32_t device_id() const override { return 42; }
  uint64_t device_features() const override { return 1; }
  unsigned queue_count() const override { return queues_; }
  uint16_t queue_max_size(unsigned) const override { return max_size_; }
  uint64_t queue_max_chain_bytes(unsigned) const override { return max_chain_; }
  uint64_t config_read(uint32_t offset, unsigned size) override {
    return virtio::read_config_bytes(config_, sizeof config_, offset, size);
  }
  void config_write(uint32_t offset, unsigned size, uint64_t value) override {
    for (unsigned i = 0; i < size; i++)
      if (offset + i < sizeof config_) config_[offset + i] = uint8_t(value >> (8 * i));
    transport_->notify_config_change();
  }
  void activate() override {
    activations++;
    for (unsigned q = 0; q < queues_; q++) serve(q);
  }
  void notify(unsigned q) override {
    notifications++;
    serve(q);
  }
  void reset() override { resets++; }
  DeviceState save_state() const override {
    StateWriter w;
    w.u64(chains);
    return w.finish("virtio-echo", 1);
  }
  void restore_state(const DeviceState& state) override {
    StateReader r(state, "virtio-echo", 1);
    chains = r.u64();
    r.expect_end();
  }

  void serve(unsigned q) {
    std::lock_guard lock(mutex());
    virtio::Queue& queue = transport_->queue(q);
    bool any = false;
    while (auto chain = queue.pop()) {
      std::vector<uint8_t> bytes(chain->readable_bytes);
      chain->read(0, bytes);
      const size_t n = chain->write(0, bytes);
      queue.push(chain->head, uint32_t(n));
      chains++;
      any = true;
    }
    if (any) transport_->notify_used(q);
  }

  uint64_t chains = 0;
  int activations = 0, notifications = 0, resets = 0;

 private:
  unsigned queues_;
  uint16_t max_size_;
  uint64_t max_chain_;
  uint8_t config_[8] = {1, 2, 3, 4, 5, 6, 7, 8};
};

// RAM, a bus, one transport in one slot, and a fake driver: what every device test needs.
struct VirtioBench {
  static constexpr uint64_t kRamSize = 4 << 20;
  explicit VirtioBench(virtio::Device& device, uint64_t ram_size = kRamSize)
      : ram(FakeVirtioDriver::kRamBase, ram_size),
        transport(device, bus, IrqLine{&irq, 1}),
        driver(bus, ram, irq) {
    bus.add_ram(ram);
    bus.map(FakeVirtioDriver::kSlot, virtio::mmio::kSlotSize, transport);
  }
  GuestRam ram;
  Bus bus;
  RecordingIrq irq;
  virtio::MmioTransport transport;
  FakeVirtioDriver driver;
};

}  // namespace strata::testing
