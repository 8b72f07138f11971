#pragma once
// Runs single CSR and privileged instructions at a chosen privilege and reports whether
// they raised illegal-instruction.
#include "mmu_fixture.h"

namespace strata::testing {

class CsrFixture : public MmuFixture {
 protected:
  // Runs `insn` at `priv` (satp Bare). True if it completed, false if it raised
  // illegal-instruction (any other outcome fails the test).
  bool exec(Priv priv, uint32_t insn) {
    hart().engine()->flush_code(hart());  // the same address holds a new instruction each time
    load({insn});
    hart().pc = kRamBase;
    enter(priv);
    step(1);
    if (hart().pc == kTrapVector) {
      EXPECT_EQ(hart().csr.mcause, cause::kIllegalInsn);
      EXPECT_EQ(hart().csr.mtval, insn);
      EXPECT_EQ(hart().csr.mepc, kRamBase);
      return false;
    }
    return true;
  }
  // csrr x1, csr
  bool read_at(Priv priv, uint16_t csr, uint64_t* value = nullptr) {
    x(1) = 0xdead;
    const bool ok = exec(priv, enc(Op::Csrrs, 1, 0, 0, csr));
    if (value) *value = x(1);
    return ok;
  }
  // csrw csr, x2
  bool write_at(Priv priv, uint16_t csr, uint64_t value) {
    x(2) = value;
    return exec(priv, enc(Op::Csrrw, 0, 2, 0, csr));
  }
  // What M-mode reads back after writing `value`.
  uint64_t write_read(uint16_t csr, uint64_t value) {
    EXPECT_TRUE(write_at(Priv::M, csr, value));
    uint64_t v = 0;
    EXPECT_TRUE(read_at(Priv::M, csr, &v));
    return v;
  }
};

}  // namespace strata::testing
