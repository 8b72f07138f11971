#include "jit/emitter.h"

#include <xbyak/xbyak.h>

#include <algorithm>
#include <cstddef>

#include "cpu/tlb.h"
#include "isa/properties.h"
#include "jit/guest_operand.h"
#include "jit/ops.h"

namespace strata::jit {

using namespace Xbyak::util;

BlockEmitter::BlockEmitter(Xbyak::CodeGenerator& gen, const HartLayout& layout, const GuestBlock& block,
                           const ChainLookup& lookup, const JumpCache& jumps, const RegisterMap& regs,
                           const FlatView& flat, uint64_t* lookups)
    : g_(gen),
      l_(layout),
      b_(block),
      lookup_(lookup),
      jumps_(jumps),
      epilogue_(new Xbyak::Label),
      chain_entry_(new Xbyak::Label),
      bail_(new Xbyak::Label),
      exit_stub_(&new_label()),
      store_and_leave_(&new_label()),
      indirect_stub_(&new_label()),
      flat_(flat),
      lookups_(lookups) {
  cached_ = regs;
  for (unsigned i = 0; i < kCachedRegs; i++)
    cached_operands_.emplace_back(int(i), l_.xr(unsigned(std::max(cached_[i], 0))));
}

BlockEmitter::~BlockEmitter() {
  delete epilogue_;
  delete chain_entry_;
  delete bail_;
}

EmittedBlock BlockEmitter::emit() {
  // rbx is callee-saved, so calls into semantic functions keep the Hart pointer. Chained
  // blocks share this frame.
  // r12 holds chain_left while blocks run; r13-r15 and rbp (and caller-saved ones) cache
  // guest registers.
  g_.push(rbx);
  g_.push(r12);
  for (unsigned i = 0; i < kCalleeSavedCached; i++) g_.push(cached_host_reg(i));
  g_.sub(rsp, 8);  // six pushes: realign the stack for calls
  g_.mov(rbx, rdi);
  g_.mov(r12d, dword[rbx + l_.chain_left]);
  load_cached();
  // The budget only: interrupts and requests from other threads wait for the dispatcher,
  // which the budget (at most kChainLimit instructions a dispatch) brings back soon, as the
  // interpreter's chains do. What the hart does to itself (a trap, xret, a CSR write that
  // enables an interrupt) is seen where it happens: see the end of the block below.
  g_.L(*chain_entry_);
  const auto n = uint32_t(b_.insns.size());
  g_.sub(r12d, n);
  g_.jb(*bail_, Xbyak::CodeGenerator::T_NEAR);
  for (unsigned i = 0; i < kCachedRegs; i++) dirty_[i] = cached_[i] >= 0;
  for (unsigned k = 0; k < n; k++) emit_insn(k);
  if (!b_.ends_with_control) {
    // A block that does not end in a jump ends at a system instruction (a CSR write may have
    // made an interrupt deliverable: the dispatcher takes it before the next instruction), or
    // at the page end or the length limit, where the check costs little.
    g_.cmp(byte[rbx + l_.irq_check], 0);
    Xbyak::Label& go_on = new_label();
    g_.je(go_on, Xbyak::CodeGenerator::T_NEAR);
    g_.mov(rax, b_.end_pc);
    g_.jmp(*exit_stub_, Xbyak::CodeGenerator::T_NEAR);
    g_.L(go_on);
    exit_to(b_.end_pc);
  }
  for (size_t i = 0; i < cold_.size(); i++) {
    dirty_ = cold_[i].first;
    cold_[i].second();
  }
  g_.L(*bail_);  // nothing of this block ran: the dispatcher starts it again
  g_.add(r12d, n);
  g_.mov(rax, b_.pc);
  // Shared ways out, with every mapped register valid in its host register: to the
  // dispatcher at the pc in rax, and through the jump cache to the pc in rax (already in
  // hart.pc).
  g_.L(*exit_stub_);
  g_.mov(qword[rbx + l_.pc], rax);
  g_.L(*store_and_leave_);
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] >= 0) g_.mov(qword[rbx + l_.xr(unsigned(cached_[i]))], cached_host_reg(i));
  g_.jmp(*epilogue_, Xbyak::CodeGenerator::T_NEAR);
  if (uses_jump_cache_) {
    g_.L(*indirect_stub_);
    emit_jump_cache_lookup();
  }
  g_.L(*epilogue_);
  g_.mov(dword[rbx + l_.chain_left], r12d);
  g_.add(rsp, 8);
  for (unsigned i = kCalleeSavedCached; i-- > 0;) g_.pop(cached_host_reg(i));
  g_.pop(r12);
  g_.pop(rbx);
  g_.ret();
  emit_data();
  EmittedBlock out;
  out.chain_entry = chain_entry_->getAddress();
  out.patch_sites = std::move(sites_);
  out.fault_sites = std::move(fault_sites_);
  return out;
}

void BlockEmitter::emit_insn(unsigned k) {
  const Decoded& d = b_.insns[k];
  const sem::Operands o = sem::operands_of(d);
  const OpInfo& info = op_info(d.op);
  switch (info.kind) {
    case OpKind::Control:
      emit_control(k, o);
      return;
    case OpKind::Upper:
      emit_upper(o, b_.pcs[k]);
      return;
    case OpKind::AluRegReg:
    case OpKind::AluRegImm:
    case OpKind::AluReg:
      if (!emit_alu_native(d, o)) emit_alu_call(d, o);
      return;
    case OpKind::Semantic:
    case OpKind::None:  // an illegal encoding: the semantic layer raises it
      if (!emit_memory(k, d, o) && !emit_fp(k, d, o)) emit_semantic(k, o);
      return;
  }
}

bool BlockEmitter::fs_known_dirty(unsigned k) const {
  for (unsigned j = 0; j < k; j++)
    if (const InstrSpec* s = b_.insns[j].spec; s && (s->fregs & kFRd)) return true;
  return false;
}

void BlockEmitter::set_pc(uint64_t pc) {
  g_.mov(rax, pc);
  g_.mov(qword[rbx + l_.pc], rax);
}

void BlockEmitter::leave() { g_.jmp(*epilogue_, Xbyak::CodeGenerator::T_NEAR); }

// Chained and jump-cache exits keep the mapped registers in host registers; the way to the
// dispatcher stores them.
void BlockEmitter::exit_to(uint64_t target) {
  if (((target ^ b_.pc) & kPageMask) == 0) {
    if (const uint8_t* entry = lookup_(target)) {
      g_.jmp(reinterpret_cast<const void*>(entry), Xbyak::CodeGenerator::T_NEAR);
      return;
    }
    // jmp rel32 to the next instruction until the target exists.
    g_.db(0xe9);
    sites_.push_back({const_cast<uint8_t*>(g_.getCurr()), target});
    g_.dd(0);
    g_.mov(rax, target);
    g_.jmp(*exit_stub_, Xbyak::CodeGenerator::T_NEAR);
    return;
  }
  set_pc(target);  // leaves the target in rax
  jump_through_cache();
}

void BlockEmitter::jump_through_cache() {
  uses_jump_cache_ = true;
  g_.jmp(*indirect_stub_, Xbyak::CodeGenerator::T_NEAR);
}

void BlockEmitter::emit_jump_cache_lookup() {
  Xbyak::Label& miss = lookups_ ? new_label() : *store_and_leave_;
  g_.mov(rcx, rax);
  g_.shr(rcx, 1);
  g_.and_(ecx, uint32_t(JumpCache::kSlots - 1));
  g_.shl(rcx, 5);
  g_.mov(rdx, reinterpret_cast<uintptr_t>(jumps_.entries.data()));
  g_.add(rdx, rcx);
  g_.cmp(rax, qword[rdx + offsetof(JumpEntry, pc)]);
  g_.jne(miss, Xbyak::CodeGenerator::T_NEAR);
  // The target's page must still be mapped where its block was made from.
  g_.mov(rcx, rax);
  g_.shr(rcx, Tlb::kEntryShift);
  g_.and_(ecx, Tlb::kEntryOffsetMask);
  g_.add(rcx, qword[rbx + l_.itlb]);
  g_.and_(rax, int32_t(kPageMask));
  g_.cmp(rax, qword[rcx + offsetof(TlbEntry, tag_exec)]);
  g_.jne(miss, Xbyak::CodeGenerator::T_NEAR);
  g_.mov(rax, qword[rcx + offsetof(TlbEntry, pa_page)]);
  g_.cmp(rax, qword[rdx + offsetof(JumpEntry, pa_page)]);
  g_.jne(miss, Xbyak::CodeGenerator::T_NEAR);
  if (lookups_) {
    g_.mov(rcx, reinterpret_cast<uintptr_t>(lookups_));
    g_.inc(qword[rcx]);
  }
  g_.jmp(qword[rdx + offsetof(JumpEntry, entry)]);
  if (lookups_) {
    g_.L(miss);
    g_.mov(rcx, reinterpret_cast<uintptr_t>(lookups_ + 1));
    g_.inc(qword[rcx]);
    g_.jmp(*store_and_leave_, Xbyak::CodeGenerator::T_NEAR);
  }
}

void BlockEmitter::emit_data() {
  g_.align(8);
  for (auto& [label, operands] : data_) {
    g_.L(label);
    const auto* bytes = reinterpret_cast<const uint8_t*>(&operands);
    for (size_t i = 0; i < sizeof(operands); i++) g_.db(bytes[i]);
  }
}

// Operands are built once (an xbyak Address is not free to make, and x() is called several
// times per instruction): the hart slots of all 33 registers per thread, the cached ones per
// block.
const GuestOperand& BlockEmitter::x(unsigned r) const {
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] == int(r)) return cached_operands_[i];
  static thread_local std::vector<GuestOperand> slots;
  static thread_local int32_t slots_base = -1;
  if (slots_base != l_.x) {
    slots.clear();
    for (unsigned g = 0; g < 33; g++) slots.emplace_back(-1, l_.xr(g));
    slots_base = l_.x;
  }
  return slots[r];
}

const GuestOperand& BlockEmitter::dst(unsigned r) {
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] == int(r)) dirty_[i] = true;
  return x(r);
}

// Loading makes every cached register clean: the hart holds the same value.
void BlockEmitter::load_cached() {
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] >= 0) g_.mov(cached_host_reg(i), qword[rbx + l_.xr(unsigned(cached_[i]))]);
  dirty_.fill(false);
}

// Emission-time state: an exit path stores what was written on the way to it; the path that
// goes on keeps the same registers dirty (storing a clean one again would be harmless).
void BlockEmitter::write_back() {
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] >= 0 && dirty_[i]) g_.mov(qword[rbx + l_.xr(unsigned(cached_[i]))], cached_host_reg(i));
}

void BlockEmitter::write_back(unsigned guest_reg) {
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] == int(guest_reg) && dirty_[i]) {
      g_.mov(qword[rbx + l_.xr(guest_reg)], cached_host_reg(i));
      dirty_[i] = false;
    }
}

void BlockEmitter::defer_cold(std::function<void()> body) { cold_.emplace_back(dirty_, std::move(body)); }

Xbyak::Label& BlockEmitter::new_label() { return labels_.emplace_back(); }

void BlockEmitter::save_caller_saved() {
  for (unsigned i = kCalleeSavedCached; i < kCachedRegs; i++)
    if (cached_[i] >= 0 && dirty_[i]) {
      g_.mov(qword[rbx + l_.xr(unsigned(cached_[i]))], cached_host_reg(i));
      dirty_[i] = false;
    }
}

void BlockEmitter::restore_caller_saved() {
  for (unsigned i = kCalleeSavedCached; i < kCachedRegs; i++)
    if (cached_[i] >= 0) g_.mov(cached_host_reg(i), qword[rbx + l_.xr(unsigned(cached_[i]))]);
}

void BlockEmitter::reload(unsigned guest_reg) {
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (cached_[i] == int(guest_reg)) {
      g_.mov(cached_host_reg(i), qword[rbx + l_.xr(guest_reg)]);
      dirty_[i] = false;
    }
}

}  // namespace strata::jit
