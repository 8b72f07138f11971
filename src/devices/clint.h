#pragma once
// The core-local interruptor, laid out like SiFive's CLINT / ACLINT on QEMU's virt board:
//   msip[h]     at 0x0000 + 4*h   (32-bit, bit 0 drives mip.MSIP of hart h)
//   mtimecmp[h] at 0x4000 + 8*h   (64-bit, 32-bit halves accessible)
//   mtime       at 0xBFF8         (64-bit, writable: the write offsets the source clock)
// Accesses must be naturally aligned, 4 bytes (msip) or 4/8 bytes (timer registers);
// anything else reads as zero and is ignored when written.
//
// mtime is the source clock plus an offset. The harts read the `time` CSR from clock(), so
// the board gives that clock (not the source) to the harts it creates, then attaches them.
// MMIO arrives under the bus's region lock; update_timers() and next_deadline() come from
// vCPU threads without it, so the timer state they share is atomic.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "cpu/hart.h"
#include "mem/mmio_device.h"

namespace strata {

class Clint final : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x10000;
  static constexpr uint64_t kMsipBase = 0x0000;
  static constexpr uint64_t kMtimecmpBase = 0x4000;
  static constexpr uint64_t kMtime = 0xBFF8;
  static constexpr unsigned kMaxHarts = 4095;  // mtimecmp must stay below mtime
  static constexpr uint64_t kNoDeadline = UINT64_MAX;

  Clint(const Clock& source, unsigned num_harts);
  // Hart `index` receives MSIP and MTIP. Call before the harts run.
  void attach(unsigned index, Hart& hart);

  // mtime as the guest sees it; give this to the harts for their `time` CSR.
  const Clock& clock() const { return guest_clock_; }
  uint64_t mtime() const { return guest_clock_.now(); }
  void set_mtime(uint64_t value);  // also what pause/resume uses to hide host time

  // Re-evaluates MTIP of every hart against mtime (the vCPU loop calls this regularly).
  void update_timers();
  // When hart `index`'s timer fires next, in mtime ticks: its mtimecmp, or its Sstc
  // stimecmp when that is enabled and earlier; kNoDeadline when neither is armed. Reads the
  // hart's CSRs: call it from that hart's own thread.
  uint64_t next_deadline(unsigned index) const;
  // Nanoseconds from now until next_deadline(index) (0 when already due, UINT64_MAX never).
  uint64_t ns_until_deadline(unsigned index) const;

  uint64_t mtimecmp(unsigned index) const { return index < num_harts_ ? timers_[index].load() : kNoDeadline; }
  unsigned num_harts() const { return num_harts_; }

  std::string_view name() const override { return "clint"; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;
  DeviceState save() const override;
  void restore(const DeviceState& state) override;

 private:
  class GuestClock final : public Clock {
   public:
    explicit GuestClock(const Clock& source) : source_(source) {}
    uint64_t now() const override { return source_.now() + offset.load(std::memory_order_relaxed); }
    const Clock& source_;
    std::atomic<uint64_t> offset{0};  // wraps: mtime = source + offset (mod 2^64)
  };

  void set_msip(unsigned index, bool level);
  bool msip(unsigned index) const;
  void set_mtimecmp(unsigned index, uint64_t value);
  void update_timer(unsigned index, uint64_t now);

  GuestClock guest_clock_;
  unsigned num_harts_;
  std::vector<Hart*> harts_;
  std::unique_ptr<std::atomic<uint64_t>[]> timers_;  // mtimecmp per hart
};

}  // namespace strata
