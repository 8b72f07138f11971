#pragma once
// A guest x register as an x86 operand: a host register while the block caches it, else its
// slot in the hart ([rbx + offset]). Only the emitters include this (it needs xbyak).
#include <xbyak/xbyak.h>

#include "jit/emitter.h"

namespace strata::jit {

// The host registers that cache guest registers (see kCachedRegs).
inline const Xbyak::Reg64& cached_host_reg(unsigned i) {
  using namespace Xbyak::util;
  static const Xbyak::Reg64 regs[kCachedRegs] = {r13, r14, r15, rbp, rdi, r8, r9, r10, r11};
  return regs[i];
}

struct GuestOperand {
  GuestOperand(int host, int32_t offset)
      : cached(host >= 0),
        reg(cached ? cached_host_reg(unsigned(host)) : Xbyak::util::rax),
        reg32(reg.cvt32()),
        mem(Xbyak::util::qword[Xbyak::util::rbx + offset]),
        mem32(Xbyak::util::dword[Xbyak::util::rbx + offset]) {}
  const Xbyak::Operand& q() const { return cached ? static_cast<const Xbyak::Operand&>(reg) : mem; }
  const Xbyak::Operand& d() const { return cached ? static_cast<const Xbyak::Operand&>(reg32) : mem32; }

  bool cached;
  Xbyak::Reg64 reg;
  Xbyak::Reg32 reg32;
  Xbyak::Address mem, mem32;
};

}  // namespace strata::jit
