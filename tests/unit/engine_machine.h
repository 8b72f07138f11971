#pragma once
// A bare machine for the engine tests: RAM at `base`, one hart that starts at `reset_pc`
// under the engine asked for. The JIT tests build one per engine and compare their states.
#include <cstdint>
#include <memory>

#include "cpu/engine_kind.h"
#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "mem/bus.h"
#include "mem/guest_ram.h"

namespace strata::testing {

struct EngineMachine {
  EngineMachine(EngineKind kind, uint64_t base, uint64_t size, uint64_t reset_pc)
      : ram(base, size), mmu(bus) {
    bus.add_ram(ram);
    HartConfig config;
    config.reset_pc = reset_pc;
    config.engine.kind = kind;
    hart = std::make_unique<Hart>(config, &bus, &mmu, nullptr);
  }
  GuestRam ram;
  Bus bus;
  SystemMmu mmu;
  std::unique_ptr<Hart> hart;
};

}  // namespace strata::testing
