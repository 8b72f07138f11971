#pragma once
// The board's time source: host CLOCK_MONOTONIC counted at the 10 MHz timebase the device
// tree advertises, starting at zero when the clock is made (VM start). The CLINT offsets it
// when the guest writes mtime or a snapshot restores one.
#include <cstdint>

#include "cpu/hart.h"

namespace strata {

inline constexpr uint64_t kTimebaseHz = 10'000'000;
inline constexpr uint64_t kNsPerTick = 1'000'000'000 / kTimebaseHz;

// Nanoseconds in `ticks` timebase ticks, saturating at UINT64_MAX.
constexpr uint64_t ticks_to_ns(uint64_t ticks) {
  return ticks > UINT64_MAX / kNsPerTick ? UINT64_MAX : ticks * kNsPerTick;
}

class HostClock final : public Clock {
 public:
  HostClock();
  uint64_t now() const override;

 private:
  uint64_t start_ns_;
};

}  // namespace strata
