#pragma once
// A bare machine for the engine tests: RAM at `base`, one hart that starts at `reset_pc`
// under the engine asked for. The JIT tests build one per engine and compare their states.
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

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

// What differs between two harts' architectural states (empty when nothing does): pc, x and
// f registers, fflags, frm, mstatus, the last trap, instret.
inline std::string hart_differences(const Hart& a, const Hart& b) {
  std::ostringstream out;
  out << std::hex;
  if (a.pc != b.pc) out << " pc 0x" << a.pc << " vs 0x" << b.pc;
  for (int r = 1; r < 32; r++)
    if (a.x[r] != b.x[r]) out << " x" << std::dec << r << std::hex << " 0x" << a.x[r] << " vs 0x" << b.x[r];
  for (int r = 0; r < 32; r++)
    if (a.f[r] != b.f[r]) out << " f" << std::dec << r << std::hex << " 0x" << a.f[r] << " vs 0x" << b.f[r];
  if (a.csr.fflags != b.csr.fflags) out << " fflags " << a.csr.fflags << " vs " << b.csr.fflags;
  if (a.csr.frm != b.csr.frm) out << " frm " << a.csr.frm << " vs " << b.csr.frm;
  if (a.csr.mcause != b.csr.mcause || a.csr.mepc != b.csr.mepc || a.csr.mtval != b.csr.mtval)
    out << " trap " << a.csr.mcause << "@0x" << a.csr.mepc << "/0x" << a.csr.mtval << " vs " << b.csr.mcause
        << "@0x" << b.csr.mepc << "/0x" << b.csr.mtval;
  if (a.instret() != b.instret()) out << " instret " << std::dec << a.instret() << " vs " << b.instret();
  if (a.csr.mstatus != b.csr.mstatus)
    out << " mstatus 0x" << std::hex << a.csr.mstatus << " vs 0x" << b.csr.mstatus;
  return out.str();
}

}  // namespace strata::testing
