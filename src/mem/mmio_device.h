#pragma once
// The one interface every memory-mapped device implements. Offsets are relative to the
// device's base; sizes are 1, 2, 4 or 8 bytes. A device decides what an access of a size
// it does not support means (usually: reads as zero, writes ignored).
#include <cstdint>
#include <string_view>

#include "mem/device_state.h"

namespace strata {

class MmioDevice {
 public:
  virtual ~MmioDevice() = default;
  virtual std::string_view name() const = 0;
  virtual uint64_t read(uint64_t offset, unsigned size) = 0;
  virtual void write(uint64_t offset, unsigned size, uint64_t value) = 0;
  virtual DeviceState save() const = 0;
  virtual void restore(const DeviceState& state) = 0;  // throws strata::Error on a foreign version
};

}  // namespace strata
