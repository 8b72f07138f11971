#pragma once
// Turns one guest block into host code, a function `void (Hart*)` that keeps the Hart
// pointer in rbx and guest registers in the hart itself.
//
// Budget and chaining: the dispatcher puts the number of instructions the code may run in
// hart.chain_left (and the same in chain_len); generated code keeps it in r12 and stores it
// back when it returns. Every block starts by checking that it fits and that no interrupt is
// waiting, then takes its length off. Direct jumps to a block of the
// same guest page jump straight into that block's checks (chaining), so a loop runs without
// the dispatcher until its budget or an interrupt stops it; any other exit returns with
// hart.pc set. The dispatcher counts chain_len - chain_left instructions as attempted: a
// block that leaves early (a trap, or a semantic function that changed state) gives back
// the part it did not run, and before a semantic call that may read the counters chain_left
// is stored as it stands before that instruction, so counter CSRs read mid-block are exact.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "cpu/sem/operands.h"
#include "cpu/translator.h"
#include "jit/block_builder.h"
#include "jit/hart_layout.h"
#include "jit/jump_cache.h"
#include "jit/register_map.h"

namespace Xbyak {
class CodeGenerator;
class Label;
}  // namespace Xbyak

namespace strata::jit {

struct GuestOperand;

// Guest registers live in host registers by the JIT's RegisterMap (register_map.h): r13, r14,
// r15 and rbp, which calls keep, then rdi and r8-r11, which a call clobbers: those are stored
// before any call (only the dirty ones) and loaded again after it. Code that keeps its working
// set in host registers does not chain every result through a store and a load (store
// forwarding costs about 5 cycles on each link of a dependency chain, which dominated hashing
// loops). The dispatcher's entry into a block loads the mapped registers; chained jumps and
// jump-cache hits keep them; every way back to the dispatcher stores them.

using BlockFn = void (*)(Hart*);

// A direct jump emitted before its target was translated: its rel32 is patched to the
// target's chain entry once the target exists.
struct PatchSite {
  uint8_t* rel32 = nullptr;
  uint64_t target_pc = 0;
};

// A host instruction that reads or writes guest memory through the flat view, and the slow
// path to resume at when it faults (jit/fault_sites.h).
struct FlatAccessSite {
  const uint8_t* access = nullptr;
  const uint8_t* slow_path = nullptr;
};

struct EmittedBlock {
  const uint8_t* chain_entry = nullptr;
  std::vector<PatchSite> patch_sites;
  std::vector<FlatAccessSite> fault_sites;
};

// The chain entry of an already translated block of the same page, or null.
using ChainLookup = std::function<const uint8_t*(uint64_t pc)>;

class BlockEmitter {
 public:
  // With a flat view (user mode), loads address guest memory directly (see FlatView).
  // With `lookups`, jump-cache hits and misses are counted there ({hits, misses}).
  BlockEmitter(Xbyak::CodeGenerator& gen, const HartLayout& layout, const GuestBlock& block,
               const ChainLookup& lookup, const JumpCache& jumps, const RegisterMap& regs,
               const FlatView& flat = {}, uint64_t* lookups = nullptr);
  ~BlockEmitter();
  EmittedBlock emit();

 private:
  void emit_insn(unsigned k);
  // Families, each in its own file.
  bool emit_alu_native(const Decoded& d, const sem::Operands& o);          // emit_alu.cpp
  void emit_alu_call(const Decoded& d, const sem::Operands& o);            // emit_alu.cpp
  bool emit_muldiv(Op op, const sem::Operands& o);                         // emit_alu.cpp
  void emit_upper(const sem::Operands& o, uint64_t pc);                    // emit_alu.cpp
  void emit_control(unsigned k, const sem::Operands& o);                   // emit_control.cpp
  void emit_semantic(unsigned k, const sem::Operands& o);                  // emit_semantic.cpp
  bool emit_memory(unsigned k, const Decoded& d, const sem::Operands& o);  // emit_memory.cpp
  bool emit_fp(unsigned k, const Decoded& d, const sem::Operands& o);      // emit_fp.cpp

  // mstatus.FS is Dirty when instruction k runs: an earlier instruction of the block wrote an
  // f register (inline code needed Dirty, a semantic call made it so or trapped and left),
  // and within a block nothing but its end can clean FS.
  bool fs_known_dirty(unsigned k) const;

  void set_pc(uint64_t pc);
  // The block is done and goes on at `target`: chained when it lies in the block's page.
  void exit_to(uint64_t target);
  void leave();  // back to the dispatcher; hart.pc and chain_left already right
  // The target (in rax, already in hart.pc) through the jump cache, else the dispatcher.
  void jump_through_cache();
  void emit_jump_cache_lookup();  // the block's one copy of it (indirect_stub_)
  void emit_data();

  // Guest registers: the mapped ones live in host registers (the others, and all of them
  // across a semantic call, in the hart). x() gives the operand for either. A block may be
  // entered with any of them newer than the hart's copy, so all count as dirty at its start.
  const GuestOperand& x(unsigned r) const;  // guest_operand.h
  const GuestOperand& dst(unsigned r);      // x(r) as a destination: a cached one becomes dirty
  void load_cached();                       // hart -> host registers
  void write_back();                        // host registers -> hart: before every exit and semantic call
  void write_back(unsigned guest_reg);      // that one, if cached and dirty
  void reload(unsigned guest_reg);          // that one, if cached: the hart's copy is newer
  // Around a call: the cached registers a call clobbers go to the hart (the dirty ones) and
  // come back from it after.
  void save_caller_saved();
  void restore_caller_saved();

  // Slow paths go after the block's last instruction, so the hot path is straight-line code
  // with branches that are not taken. Each is emitted with the dirty set the hot path had
  // where it was deferred (a superset of what its branch saw: storing a clean register
  // again is harmless), and must jump back itself.
  void defer_cold(std::function<void()> body);
  Xbyak::Label& new_label();  // lives as long as the emitter
  std::vector<std::pair<std::array<bool, kCachedRegs>, std::function<void()>>> cold_;

  RegisterMap cached_;  // the guest register each host slot holds (-1: none)
  // Written since loaded, as far as the code emitted so far goes: only these are stored back.
  std::array<bool, kCachedRegs> dirty_{};
  std::vector<GuestOperand> cached_operands_;  // x() of each cached register

  Xbyak::CodeGenerator& g_;
  const HartLayout& l_;
  const GuestBlock& b_;
  const ChainLookup& lookup_;
  const JumpCache& jumps_;
  Xbyak::Label* epilogue_;
  Xbyak::Label* chain_entry_;
  Xbyak::Label* bail_;
  std::deque<Xbyak::Label> labels_;
  Xbyak::Label* exit_stub_;        // rax = pc: store it and the mapped registers, leave
  Xbyak::Label* store_and_leave_;  // store the mapped registers, leave (hart.pc is set)
  Xbyak::Label* indirect_stub_;    // rax = pc, in hart.pc: jump cache, else store_and_leave_
  bool uses_jump_cache_ = false;
  std::vector<PatchSite> sites_;
  const FlatView flat_;
  uint64_t* lookups_;
  std::vector<FlatAccessSite> fault_sites_;
  // Operands that semantic calls point at, placed after the code.
  std::deque<std::pair<Xbyak::Label, sem::Operands>> data_;
};

}  // namespace strata::jit
