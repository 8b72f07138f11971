// Loads and stores (integer and FP) with the soft-TLB lookup inline (the table's mem column
// gives kind, size, sign and whether the data register is an f register): a hit is a handful
// of host instructions; a miss, MMIO, a misaligned address, a store into a page holding code
// or FP with mstatus.FS off calls the instruction's semantic function, which handles all of
// them exactly as the interpreter does.
#include <xbyak/xbyak.h>

#include <bit>
#include <cstddef>

#include "jit/emitter.h"
#include "jit/guest_operand.h"

namespace strata::jit {

using namespace Xbyak::util;

bool BlockEmitter::emit_memory(unsigned k, const Decoded& d, const sem::Operands& o) {
  if (!d.spec) return false;
  const MemAccess& m = d.spec->mem;
  if (m.kind != MemKind::Load && m.kind != MemKind::Store) return false;
  Xbyak::CodeGenerator& g = g_;
  Xbyak::Label &slow = new_label(), &done = new_label();
  constexpr uint32_t kFS = 3u << 13;  // mstatus.FS: Off makes FP loads and stores illegal
  const bool fs_dirty = m.f_data && fs_known_dirty(k);
  if (m.f_data && !fs_dirty) {
    g.test(dword[rbx + l_.mstatus], kFS);
    g.jz(slow, Xbyak::CodeGenerator::T_NEAR);
  }
  if (const GuestOperand& base = x(o.rs1); base.cached) {
    o.imm ? g.lea(rsi, ptr[base.reg + o.imm]) : g.mov(rsi, base.reg);
  } else {
    g.mov(rsi, base.q());
    if (o.imm) g.add(rsi, o.imm);
  }
  // The host address of the access, [host]. Loads through a flat view check only that the
  // address lies in the view: a host fault at `access` is a guest fault (fault_sites.h).
  // Stores keep the soft TLB: its write tag is what sends stores into code pages to the
  // slow path.
  const bool flat = flat_.base && m.kind == MemKind::Load;
  const Xbyak::RegExp host = flat ? rcx + rsi : Xbyak::RegExp(rsi);
  if (flat) {
    g.mov(rax, rsi);
    g.shr(rax, std::countr_zero(flat_.size));
    g.jnz(slow, Xbyak::CodeGenerator::T_NEAR);
    g.mov(rcx, reinterpret_cast<uintptr_t>(flat_.base));
  } else {
    // The entry of the data TLB for this page, and its tag test.
    g.mov(rax, rsi);
    g.shr(rax, Tlb::kEntryShift);
    g.and_(eax, Tlb::kEntryOffsetMask);
    g.add(rax, qword[rbx + l_.dtlb]);
    g.mov(rdx, rsi);
    g.and_(rdx, int32_t(kPageMask | (m.size - 1)));  // sign-extends to the full mask
    const int tag = m.kind == MemKind::Load ? offsetof(TlbEntry, tag_read) : offsetof(TlbEntry, tag_write);
    g.cmp(rdx, qword[rax + tag]);
    g.jne(slow, Xbyak::CodeGenerator::T_NEAR);
    g.add(rsi, qword[rax + offsetof(TlbEntry, addend)]);
  }
  const uint8_t* access = g.getCurr();  // the one instruction below that touches guest memory
  if (m.f_data && m.kind == MemKind::Load) {
    if (m.size == 4) {  // flw NaN-boxes the single
      g.mov(eax, dword[host]);
      g.mov(rcx, 0xffffffff00000000ull);
      g.or_(rax, rcx);
    } else {
      g.mov(rax, qword[host]);
    }
    g.mov(qword[rbx + l_.fr(o.rd)], rax);
    if (!fs_dirty) {  // FS = Dirty, written only when it changes (as fp::mark_dirty does)
      Xbyak::Label dirty;
      g.mov(eax, dword[rbx + l_.mstatus]);
      g.and_(eax, kFS);
      g.cmp(eax, kFS);
      g.je(dirty);
      g.or_(dword[rbx + l_.mstatus], kFS);
      g.L(dirty);
    }
  } else if (m.f_data) {  // fsw stores the low word, boxed or not
    if (m.size == 4) {
      g.mov(eax, dword[rbx + l_.fr(o.rs2)]);
      g.mov(dword[rsi], eax);
    } else {
      g.mov(rax, qword[rbx + l_.fr(o.rs2)]);
      g.mov(qword[rsi], rax);
    }
  } else if (m.kind == MemKind::Load) {
    // Straight into rd's host register when it is cached (a faulting load writes nothing).
    const GuestOperand& rd = dst(o.rd);
    const Xbyak::Reg64 t = rd.cached ? rd.reg : rax;
    switch (m.size) {
      case 1:
        m.sign_extend ? g.movsx(t, byte[host]) : g.movzx(t.cvt32(), byte[host]);
        break;
      case 2:
        m.sign_extend ? g.movsx(t, word[host]) : g.movzx(t.cvt32(), word[host]);
        break;
      case 4:
        m.sign_extend ? g.movsxd(t, dword[host]) : g.mov(t.cvt32(), dword[host]);
        break;
      default:
        g.mov(t, qword[host]);
        break;
    }
    if (!rd.cached) g.mov(rd.q(), rax);
  } else {
    // Straight from rs2's host register when it is cached.
    const GuestOperand& value = x(o.rs2);
    const Xbyak::Reg64 v = value.cached ? value.reg : rax;
    if (!value.cached) g.mov(rax, value.q());
    switch (m.size) {
      case 1:
        g.mov(byte[rsi], v.cvt8());
        break;
      case 2:
        g.mov(word[rsi], v.cvt16());
        break;
      case 4:
        g.mov(dword[rsi], v.cvt32());
        break;
      default:
        g.mov(qword[rsi], v);
        break;
    }
  }
  g.L(done);
  // The slow path stores and reloads the cached registers it needs to; past the join, those
  // the fast path left dirty must still be stored at the exits.
  defer_cold([this, k, o, flat, access, &slow, &done] {
    g_.L(slow);
    if (flat) fault_sites_.push_back({access, slow.getAddress()});
    emit_semantic(k, o);
    g_.jmp(done, Xbyak::CodeGenerator::T_NEAR);
  });
  return true;
}

}  // namespace strata::jit
