#pragma once
// Real harts on a bus with RAM for device tests (CLINT, PLIC): the devices drive the harts'
// interrupt lines, and small programs reach the devices through the bus.
#include <memory>
#include <vector>

#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"

namespace strata::testing {

class ManualClock : public Clock {
 public:
  uint64_t now() const override { return ticks; }
  uint64_t ticks = 0;
};

struct DeviceHarts {
  static constexpr uint64_t kRamBase = 0x80000000;

  DeviceHarts(unsigned n, const Clock* clock) : ram(kRamBase, 1 << 20) {
    bus.add_ram(ram);
    for (unsigned i = 0; i < n; i++) {
      mmus.push_back(std::make_unique<SystemMmu>(bus));
      HartConfig config;
      config.hart_id = i;
      config.reset_pc = kRamBase;
      harts.push_back(std::make_unique<Hart>(config, &bus, mmus.back().get(), clock));
    }
  }
  Hart& operator[](unsigned i) { return *harts[i]; }
  bool pending(unsigned hart, unsigned bit) const { return harts[hart]->csr.mip.load() & (1ull << bit); }

  GuestRam ram;
  Bus bus;
  std::vector<std::unique_ptr<SystemMmu>> mmus;
  std::vector<std::unique_ptr<Hart>> harts;
};

}  // namespace strata::testing
