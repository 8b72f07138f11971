#pragma once
// The storage behind the CSRs. Only the CSR objects (cpu/csr/) and the trap logic
// (cpu/trap.cpp) write it; everything else reads through them. Views such as sstatus,
// sie and sip have no storage of their own.
#include <array>
#include <atomic>
#include <cstdint>

namespace strata {

struct CsrState {
  uint64_t mstatus = 0;
  uint64_t misa = 0;
  uint64_t medeleg = 0, mideleg = 0;
  uint64_t mie = 0;
  std::atomic<uint64_t> mip{0};  // devices on other threads raise and lower bits
  bool seip_software = false;    // mip.SEIP as M-mode wrote it; reads OR in the PLIC's line (mip bit 9)
  uint64_t mtvec = 0, stvec = 0;
  uint64_t mepc = 0, sepc = 0;
  uint64_t mcause = 0, scause = 0;
  uint64_t mtval = 0, stval = 0;
  uint64_t mscratch = 0, sscratch = 0;
  uint64_t satp = 0;
  uint64_t mcounteren = 0, scounteren = 0, mcountinhibit = 0;
  uint64_t menvcfg = 0, senvcfg = 0;
  uint64_t stimecmp = ~0ull;
  uint64_t mcycle = 0, minstret = 0;
  uint32_t fflags = 0, frm = 0;
  uint64_t mhartid = 0;
  std::array<uint8_t, 64> pmpcfg{};
  std::array<uint64_t, 64> pmpaddr{};
};

}  // namespace strata
