// Everything else calls its engine-neutral semantic function (cpu/sem/) with the operands
// (kept after the block's code) and the guest pc. Around a call that may read the counters
// chain_left counts only the instructions before it, so counter CSRs read mid-block are exact. A result other
// than Continue leaves the block: the function has set hart.pc (a trap vector, or where to go on after a
// change of state), and the instructions after it are given back to the budget.
#include <xbyak/xbyak.h>

#include "jit/emitter.h"
#include "jit/ops.h"

namespace strata::jit {

using namespace Xbyak::util;

void BlockEmitter::emit_semantic(unsigned k, const sem::Operands& o) {
  sem::SemFn fn = op_info(o.op).semantic;
  if (!fn) fn = op_info(Op::Illegal).semantic;
  auto& [label, operands] = data_.emplace_back();
  operands = o;
  // Only instructions that may read the counters (CSR accesses, and system instructions that
  // reach the firmware) need chain_left exact during the call; adjusting it around every FP
  // operation would chain them all through one memory location.
  const Decoded& d = b_.insns[k];
  const bool counts = !d.spec || d.spec->block_end != BlockEnd::None;
  const auto after = uint32_t(b_.insns.size() - k);  // this instruction and those after it
  if (counts) {
    g_.lea(eax, ptr[r12 + after]);
    g_.mov(dword[rbx + l_.chain_left], eax);
  }
  // The function reads its source registers from the hart and writes rd there; a system
  // instruction may read any (the firmware's calls take their arguments in a0-a7).
  if (counts) {
    write_back();
    dirty_.fill(false);  // the hart holds them all now: the exit path below must not store
                         // them again over what the function wrote (a CSR's old value in rd)
  } else {
    write_back(o.rs1);
    write_back(o.rs2);
    write_back(o.rd);  // so reloading it after the call is right whether or not the call wrote it
    save_caller_saved();
  }
  g_.mov(rdi, rbx);
  g_.lea(rsi, ptr[rip + label]);
  g_.mov(rdx, b_.pcs[k]);
  g_.mov(rax, reinterpret_cast<uintptr_t>(fn));
  g_.call(rax);
  Xbyak::Label go_on;
  g_.test(al, al);
  g_.jz(go_on, Xbyak::CodeGenerator::T_NEAR);
  if (after > 1) g_.add(r12d, after - 1);  // what did not run goes back
  const auto dirty = dirty_;
  write_back();  // the block leaves here: the hart must hold every register
  dirty_ = dirty;
  leave();
  g_.L(go_on);
  if (counts) {
    load_cached();
  } else {
    reload(o.rd);
    restore_caller_saved();
  }
}

}  // namespace strata::jit
