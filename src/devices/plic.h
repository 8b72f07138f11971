#pragma once
// The platform-level interrupt controller, as SiFive's PLIC on QEMU's virt board:
//   priority[s]           at 0x000000 + 4*s          (s = 1..95; source 0 does not exist)
//   pending bits          at 0x001000                (read-only, 32 sources per word)
//   enable bits of ctx c  at 0x002000 + 0x80*c
//   threshold of ctx c    at 0x200000 + 0x1000*c, claim/complete at +4
// Two contexts per hart: 2h is hart h's M-mode (mip.MEIP), 2h+1 its S-mode (mip.SEIP, which
// the hart ORs with the SEIP bit M-mode software writes). Priorities and thresholds are 0..7.
// Every register is 32 bits; other sizes and misaligned accesses read as zero and are
// ignored when written.
//
// Sources are level-triggered: a gateway turns a high level into a pending bit, holds further
// requests while the source is claimed, and on completion asks again if the level is still
// high. set_irq comes from any host thread; MMIO from the harts (under the bus's region
// lock); a mutex of our own orders both.
#include <array>
#include <bitset>
#include <cstdint>
#include <mutex>
#include <vector>

#include "cpu/hart.h"
#include "devices/irq.h"
#include "mem/mmio_device.h"

namespace strata {

class Plic final : public MmioDevice, public IrqSink {
 public:
  static constexpr uint64_t kSize = 0x4000000;
  static constexpr unsigned kSources = 96;  // ids 1..95; QEMU virt's VIRT_IRQCHIP_NUM_SOURCES
  static constexpr unsigned kMaxPriority = 7;
  static constexpr uint64_t kPriorityBase = 0x0;
  static constexpr uint64_t kPendingBase = 0x1000;
  static constexpr uint64_t kEnableBase = 0x2000;
  static constexpr uint64_t kEnableStride = 0x80;
  static constexpr uint64_t kContextBase = 0x200000;
  static constexpr uint64_t kContextStride = 0x1000;
  static constexpr unsigned kMaxHarts = 7936;  // (kSize - kContextBase) / kContextStride / 2

  explicit Plic(unsigned num_harts);
  // Hart `index` receives MEIP (context 2*index) and SEIP (context 2*index + 1).
  void attach(unsigned index, Hart& hart);
  unsigned num_contexts() const { return unsigned(contexts_.size()); }

  // IrqSink: the level of `source` (1..95; others are ignored).
  void set_irq(unsigned source, bool level) override;

  std::string_view name() const override { return "plic"; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;
  DeviceState save() const override;
  void restore(const DeviceState& state) override;

 private:
  using Bits = std::bitset<kSources>;
  struct Context {
    Bits enabled;
    uint32_t threshold = 0;
    bool line = false;  // the output as last driven
  };

  uint32_t read_locked(uint64_t offset);
  void write_locked(uint64_t offset, uint32_t value);
  static uint32_t word_of(const Bits& bits, unsigned word);
  unsigned best_source(const Context& ctx) const;  // 0: none above the threshold
  unsigned claim(unsigned ctx);
  void complete(unsigned ctx, uint32_t source);
  void update_outputs(bool drive_all = false);  // drive_all: also lines that did not change

  mutable std::mutex mutex_;
  std::array<uint32_t, kSources> priority_{};
  Bits level_;    // the input lines
  Bits pending_;  // gateway requests not yet claimed
  Bits claimed_;  // in service: the gateway holds new requests until completion
  std::vector<Context> contexts_;
  std::vector<Hart*> harts_;
};

}  // namespace strata
