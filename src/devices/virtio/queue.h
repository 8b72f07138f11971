#pragma once
// One split virtqueue (virtio 1.2, 2.7) seen from the device side, treating guest memory
// as hostile. The driver's ring memory is reached only through Bus::ram_ptr: the three
// ring areas are checked once when the queue is enabled (they cannot move while it is),
// every buffer address and length is checked when its descriptor is read, and every
// descriptor is read exactly once into a local copy before it is trusted.
//
// A chain walk fails, and the queue asks its owner to mark the device DEVICE_NEEDS_RESET,
// on: a head or next index >= the queue size, more links than the table has entries (a
// loop), a buffer outside RAM (or straddling its end), a total length beyond the device's
// limit, a readable buffer after a writable one, an indirect table that is empty, not a
// multiple of 16 bytes, longer than the queue, outside RAM, nested, chained with NEXT or
// not negotiated, and an available index that moved by more than the queue size. A failed
// or halted queue hands out nothing more until the driver resets the device.
//
// Threading: a queue has no lock of its own. Everything below is called with the owning
// device's mutex held (see virtio_device.h); the guest's vCPUs write the rings at the same
// time, which the acquire/release accesses on the ring indexes account for.
#include <sys/uio.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mem/bus.h"
#include "mem/device_state.h"

namespace strata::virtio {

// The buffers of one descriptor chain, already checked to lie inside guest RAM.
struct Chain {
  uint16_t head = 0;                         // what push() must return to the driver
  std::vector<std::span<uint8_t>> readable;  // driver -> device, in chain order
  std::vector<std::span<uint8_t>> writable;  // device -> driver, in chain order
  uint64_t readable_bytes = 0;
  uint64_t writable_bytes = 0;

  // Copies out of the readable buffers as if they were one array, from `offset`; returns
  // the number of bytes copied (short at the end of the readable part).
  size_t read(uint64_t offset, std::span<uint8_t> out) const;
  // Copies into the writable buffers as if they were one array; returns bytes written.
  size_t write(uint64_t offset, std::span<const uint8_t> in) const;
  // Appends iovecs covering [offset, offset+len) of the readable or writable part (for
  // preadv/pwritev straight into guest memory); false if the part is shorter than that.
  bool iovecs(bool writable_part, uint64_t offset, uint64_t len, std::vector<iovec>& out) const;
};

class Queue {
 public:
  // `fail` is told why the queue stopped; the transport sets DEVICE_NEEDS_RESET there.
  using FailHandler = std::function<void(const std::string& why)>;

  Queue(const Bus& bus, uint16_t max_size, uint64_t max_chain_bytes, FailHandler fail);

  // ---- Configuration by the driver (through the transport), while not ready.
  uint16_t max_size() const { return max_size_; }
  uint32_t size() const { return size_; }
  void set_size(uint32_t size) { size_ = size; }
  uint64_t desc_addr() const { return desc_addr_; }
  uint64_t driver_addr() const { return driver_addr_; }
  uint64_t device_addr() const { return device_addr_; }
  void set_desc_addr(uint64_t a) { desc_addr_ = a; }
  void set_driver_addr(uint64_t a) { driver_addr_ = a; }
  void set_device_addr(uint64_t a) { device_addr_ = a; }
  // Negotiated ring features (VIRTIO_F_INDIRECT_DESC, VIRTIO_F_EVENT_IDX), at FEATURES_OK.
  void set_features(uint64_t driver_features);

  // QueueReady. Enabling checks the size (a power of two, 1..max) and that the three ring
  // areas are aligned and inside RAM; a bad queue fails (NEEDS_RESET) and stays unusable.
  bool ready() const { return ready_; }
  void set_ready(bool ready);
  // DRIVER_OK: a ready queue starts handing out chains. Cleared by reset.
  void set_active(bool active) { active_ = active; }
  // Stops handing out chains and taking used buffers until reset (the device is broken).
  void halt() { halted_ = true; }
  bool halted() const { return halted_; }
  // Back to the power-on state.
  void reset();

  // ---- The device side.
  // The next available chain, or nothing when the ring is empty, the queue is not running,
  // or the chain is malformed (then the queue has failed).
  std::optional<Chain> pop();
  // Whether pop() has a chain to give, without taking it (a receive path checks this
  // before it takes a packet from its back end). When there is none, the driver is asked
  // to notify at the next one.
  bool available();
  // Returns a chain to the driver with the number of bytes written into its writable part.
  void push(uint16_t head, uint32_t written);
  // After one or more push(): whether the driver wants a used-buffer interrupt now
  // (VRING_AVAIL_F_NO_INTERRUPT, or used_event with VIRTIO_F_EVENT_IDX).
  bool needs_interrupt();
  // True when chains may be taken: ready, valid, DRIVER_OK and not halted.
  bool running() const { return ready_ && valid_ && active_ && !halted_; }

  void save(StateWriter& out) const;
  // Throws strata::Error if a queue that was valid when saved no longer fits in RAM.
  void restore(StateReader& in);

 private:
  struct Desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
  };
  bool map_rings();  // sets the host pointers; false if any area is misaligned or outside RAM
  bool fail(const std::string& why);
  bool walk(uint16_t head, Chain& chain);
  bool add_buffer(const Desc& d, Chain& chain, uint64_t& total);
  static Desc read_desc(const uint8_t* table, uint32_t index);
  uint16_t avail_idx() const;
  // avail->idx, after asking for a notification if it shows nothing new; checks the jump.
  std::optional<uint16_t> next_avail_idx();
  void publish_avail_event();

  const Bus& bus_;
  const uint16_t max_size_;
  const uint64_t max_chain_bytes_;
  FailHandler fail_;

  // Driver configuration.
  uint32_t size_;
  uint64_t desc_addr_ = 0, driver_addr_ = 0, device_addr_ = 0;
  bool ready_ = false;
  bool indirect_ = false;
  bool event_idx_ = false;

  // Derived and runtime state.
  bool valid_ = false;   // the rings were checked when the queue was made ready
  bool active_ = false;  // DRIVER_OK
  bool halted_ = false;  // failed or the device is broken
  uint8_t* desc_ = nullptr;
  uint8_t* avail_ = nullptr;
  uint8_t* used_ = nullptr;
  uint16_t last_avail_ = 0;      // next avail ring slot the device reads
  uint16_t used_idx_ = 0;        // our copy of used->idx (never read back from the guest)
  uint16_t signalled_used_ = 0;  // used->idx when we last decided about an interrupt
  bool signalled_valid_ = false;
  // The writable buffers of each chain handed out, by head, so push() can report what the
  // device wrote to the code-page tracker.
  struct DmaRange {
    uint64_t gpa;
    uint32_t len;
  };
  std::vector<std::vector<DmaRange>> dma_ranges_;
  void report_dma(uint16_t head, uint32_t written);
};

}  // namespace strata::virtio
