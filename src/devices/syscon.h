#pragma once
// The test/poweroff register of QEMU's virt board (sifive_test): one 32-bit register at
// offset 0. Writing 0x5555 powers off (pass), 0x7777 reboots, 0x3333 | (code << 16) powers
// off reporting failure `code`. Other values, offsets and access sizes are ignored, and the
// register reads as zero.
//
// The device only records what the guest asked for; the machine polls outcome() between
// run slices (or installs a callback, called on the writing hart's thread under the bus's
// region lock) and stops the harts itself.
#include <cstdint>
#include <functional>

#include "mem/mmio_device.h"

namespace strata {

class Syscon final : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x1000;
  static constexpr uint32_t kFail = 0x3333, kPass = 0x5555, kReset = 0x7777;

  enum class Request : uint8_t { None, PowerOff, Fail, Reboot };
  struct Outcome {
    Request request = Request::None;
    uint32_t code = 0;  // the guest's failure code (Fail only)
    bool operator==(const Outcome&) const = default;
  };

  // The latest request; a later write replaces an earlier one.
  Outcome outcome() const { return outcome_; }
  void clear() { outcome_ = {}; }  // after a reboot was carried out
  void set_callback(std::function<void(const Outcome&)> callback) { callback_ = std::move(callback); }

  std::string_view name() const override { return "syscon"; }
  uint64_t read(uint64_t offset, unsigned size) override { return 0; }
  void write(uint64_t offset, unsigned size, uint64_t value) override;
  DeviceState save() const override;
  void restore(const DeviceState& state) override;

 private:
  Outcome outcome_;
  std::function<void(const Outcome&)> callback_;
};

}  // namespace strata
