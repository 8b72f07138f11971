#pragma once
// `--trace`: one line on stderr per instruction a hart is about to execute, in the shape
// of Spike's log: privilege, pc, raw bits, disassembly (isa/disasm.h):
//   M 0x0000000080000000 (0x00000297) auipc t0,0x0
// Interrupts taken between instructions get a line of their own. The caller runs the hart
// one instruction at a time and calls before_step() first.
#include <cstdint>
#include <cstdio>
#include <string>

namespace strata {

class Hart;

class InstructionTrace {
 public:
  explicit InstructionTrace(std::FILE* out) : out_(out) {}
  ~InstructionTrace() { flush(); }

  // Takes any pending interrupt first (as the engine would at this dispatch point, so the
  // line printed is the instruction that really runs next), then prints it.
  void before_step(Hart& hart);
  void flush();

 private:
  void line(const std::string& text);

  std::FILE* out_;
  std::string buffer_;
};

// The raw bits of the instruction at the hart's pc as its fetch would see them, or nothing
// when the fetch would fault (the translation's side effects, such as the A bit, happen).
bool fetch_for_trace(Hart& hart, uint64_t pc, uint32_t& raw);

}  // namespace strata
