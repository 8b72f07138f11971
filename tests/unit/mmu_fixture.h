#pragma once
// A hart with page tables built in its RAM, for the MMU, PMP, CSR and trap tests. Tables come
// from a pool in the upper half of RAM; programs and data live in the lower half, mapped as
// the tests choose. PMP starts with one entry granting everything, as firmware would set it,
// so S and U can reach memory at all.
#include <cstring>

#include "cpu/csr/csr.h"
#include "cpu/mmu/pte.h"
#include "cpu/trap.h"
#include "hart_fixture.h"

namespace strata::testing {

namespace csrnum {
constexpr uint16_t kSstatus = 0x100, kSie = 0x104, kStvec = 0x105, kScounteren = 0x106, kSenvcfg = 0x10a,
                   kSscratch = 0x140, kSepc = 0x141, kScause = 0x142, kStval = 0x143, kSip = 0x144,
                   kStimecmp = 0x14d, kSatp = 0x180, kMstatus = 0x300, kMisa = 0x301, kMedeleg = 0x302,
                   kMideleg = 0x303, kMie = 0x304, kMtvec = 0x305, kMcounteren = 0x306, kMenvcfg = 0x30a,
                   kMcountinhibit = 0x320, kMscratch = 0x340, kMepc = 0x341, kMcause = 0x342, kMtval = 0x343,
                   kMip = 0x344, kPmpcfg0 = 0x3a0, kPmpcfg2 = 0x3a2, kPmpaddr0 = 0x3b0, kCycle = 0xc00,
                   kTime = 0xc01, kInstret = 0xc02, kHpmcounter3 = 0xc03, kMcycle = 0xb00, kMinstret = 0xb02,
                   kMhartid = 0xf14, kMvendorid = 0xf11;
}  // namespace csrnum

class MmuFixture : public HartFixture {
 public:
  static constexpr uint64_t kTablePool = kRamBase + 0x800000;
  static constexpr uint64_t kTrapVector = kRamBase + 0x7000;  // M-mode handler (physical)

 protected:
  MmuFixture() {
    csr_set(csrnum::kPmpaddr0, ~0ull);  // NAPOT over the whole address space
    csr_set(csrnum::kPmpcfg0, 0x1f);    // NAPOT, R, W, X
    hart().csr.mtvec = kTrapVector;
  }

  // CSR accesses as M-mode software would make them (checks and side effects included).
  void csr_set(uint16_t number, uint64_t value) {
    const Priv saved = hart().priv;
    hart().priv = Priv::M;
    const bool ok = csr_write(hart(), number, value);
    hart().priv = saved;
    ASSERT_TRUE(ok) << "csr " << std::hex << number;
  }
  uint64_t csr_get(uint16_t number) {
    const Priv saved = hart().priv;
    hart().priv = Priv::M;
    uint64_t v = 0;
    const bool ok = csr_read(hart(), number, v);
    hart().priv = saved;
    EXPECT_TRUE(ok) << "csr " << std::hex << number;
    return v;
  }

  uint64_t alloc_table() {
    const uint64_t pa = next_table_;
    next_table_ += kPageSize;
    std::memset(ram_.host(pa), 0, kPageSize);
    return pa;
  }

  // Starts a fresh address space of `mode` and makes it current with `asid`.
  uint64_t use_mode(uint64_t mode, uint16_t asid = 0) {
    mode_ = mode;
    root_ = alloc_table();
    set_satp(asid, root_);
    return root_;
  }
  void set_satp(uint16_t asid, uint64_t root) {
    csr_set(csrnum::kSatp, (mode_ << 60) | (uint64_t(asid) << 44) | (root >> 12));
  }
  unsigned levels() const { return satp::levels(mode_); }

  // The address of the PTE for `va` at `level` under `root`, creating the tables above it.
  uint64_t pte_addr(uint64_t va, unsigned level, uint64_t root = 0) {
    uint64_t table = root ? root : root_;
    for (unsigned l = levels() - 1; l > level; l--) {
      const uint64_t slot = table + ((va >> page_shift(l)) & 511) * 8;
      uint64_t e = read64(slot);
      if (!(e & pte::kV)) {
        e = ((alloc_table() >> 12) << 10) | pte::kV;
        write64(slot, e);
      }
      table = pte::ppn(e) << 12;
    }
    return table + ((va >> page_shift(level)) & 511) * 8;
  }
  // Maps `va` to `pa` with a leaf at `level`. `flags` are the PTE's low bits (V is added).
  uint64_t map(uint64_t va, uint64_t pa, uint64_t flags, unsigned level = 0, uint64_t root = 0) {
    const uint64_t at = pte_addr(va, level, root);
    write64(at, ((pa >> 12) << 10) | flags | pte::kV);
    return at;
  }

  Translation tr(uint64_t va, Access a, unsigned size = 1) {
    return mmu_.translate_bytes(hart(), va, a, size);
  }
  void enter(Priv p) { set_priv(hart(), p); }
  void set_status(uint64_t bits, bool on) {
    csr_set(csrnum::kMstatus, on ? csr_get(csrnum::kMstatus) | bits : csr_get(csrnum::kMstatus) & ~bits);
  }

  uint64_t mode_ = satp::kBare;
  uint64_t root_ = 0;
  uint64_t next_table_ = kTablePool;
};

constexpr uint64_t kR = pte::kR, kW = pte::kW, kX = pte::kX, kU = pte::kU, kG = pte::kG, kA = pte::kA,
                   kD = pte::kD;
constexpr uint64_t kRWX_AD = kR | kW | kX | kA | kD;
constexpr uint64_t bit(unsigned n) { return uint64_t(1) << n; }

}  // namespace strata::testing
