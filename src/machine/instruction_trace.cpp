#include "machine/instruction_trace.h"

#include <fmt/format.h>

#include <cstring>

#include "cpu/hart.h"
#include "cpu/tlb.h"
#include "cpu/trap.h"
#include "isa/decoder.h"
#include "isa/disasm.h"

namespace strata {
namespace {

char priv_letter(Priv p) { return p == Priv::M ? 'M' : p == Priv::S ? 'S' : 'U'; }

bool fetch_half(Hart& hart, uint64_t va, uint16_t& half) {
  const Translation t = hart.translator->translate(hart, va, Access::Exec);
  if (!t.ok || !t.host) return false;
  std::memcpy(&half, t.host, 2);
  return true;
}

}  // namespace

bool fetch_for_trace(Hart& hart, uint64_t pc, uint32_t& raw) {
  uint16_t low, high;
  if (!fetch_half(hart, pc, low)) return false;
  raw = low;
  if (instruction_length(low) == 2) return true;
  // The upper half may lie on the next page.
  if (!fetch_half(hart, pc + 2, high)) return false;
  raw |= uint32_t(high) << 16;
  return true;
}

void InstructionTrace::before_step(Hart& hart) {
  update_timer_interrupts(hart);
  while (hart.irq_check.exchange(false)) {
    const uint64_t from = hart.pc;
    if (!take_interrupt(hart)) break;
    const uint64_t cause = hart.priv == Priv::M ? hart.csr.mcause : hart.csr.scause;
    line(fmt::format("{} interrupt {} at 0x{:016x} -> 0x{:016x}", priv_letter(hart.priv),
                     cause & ~cause::kInterrupt, from, hart.pc));
  }
  uint32_t raw = 0;
  if (!fetch_for_trace(hart, hart.pc, raw)) {
    line(fmt::format("{} 0x{:016x} (fetch fault)", priv_letter(hart.priv), hart.pc));
    return;
  }
  std::string text = disassemble_word(raw, hart.pc);
  if (const size_t tab = text.find('\t'); tab != std::string::npos) text[tab] = ' ';
  const bool compressed = instruction_length(raw) == 2;
  line(fmt::format("{} 0x{:016x} (0x{:0{}x}) {}", priv_letter(hart.priv), hart.pc, raw, compressed ? 4 : 8,
                   text));
}

void InstructionTrace::line(const std::string& text) {
  buffer_ += text;
  buffer_ += '\n';
  if (buffer_.size() >= 64 * 1024) flush();
}

void InstructionTrace::flush() {
  if (buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  std::fflush(out_);
  buffer_.clear();
}

}  // namespace strata
