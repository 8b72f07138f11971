// The JIT against the interpreter, the reference: random multi-block programs (integer,
// bit manipulation, compressed, loads and stores, atomics, FP in every rounding mode incl.
// a dynamic one changed by csrw frm, counter reads, traps) run in a loop under both engines
// with random budgets, and the whole architectural state is compared after every budget.
// Half way the code is rewritten behind both engines' backs (as DMA or another hart
// would, reported to the code-page tracker) and both must run the new code.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <sstream>

#include "cpu/engine_kind.h"
#include "cpu/hart.h"
#include "cpu/mmu/system_mmu.h"
#include "engine_machine.h"
#include "isa/disasm.h"
#include "isa/encode.h"
#include "isa/random_program.h"
#include "jit/jit_engine.h"
#include "mem/bus.h"
#include "mem/code_pages.h"
#include "mem/guest_ram.h"

namespace strata::testing {
namespace {

constexpr uint64_t kBase = 0x80000000, kSize = 4 << 20;
constexpr uint64_t kCode = kBase + 0x1000;
constexpr uint64_t kData = kBase + 0x200000;  // x31: the centre of the data window

struct Machine : EngineMachine {
  explicit Machine(EngineKind kind) : EngineMachine(kind, kBase, kSize, kCode) {}
};

// csrr instret/cycle and csrw frm (rs1 = x6, random): counters must be exact mid-block, and a
// reserved frm value makes dynamic-rounding FP instructions illegal (a trap to kCode).
std::vector<uint8_t> prologue() {
  std::vector<uint32_t> words = {
      encode(Op::Csrrs, Operands{.rd = 5, .rs1 = 0, .imm = 0xc02}),  // instret
      encode(Op::Csrrs, Operands{.rd = 7, .rs1 = 0, .imm = 0xc00}),  // cycle
      encode(Op::Andi, Operands{.rd = 6, .rs1 = 5, .imm = 7}),
      // x28, used often enough to live in a host register, is written before a CSR write whose
      // rd it is: the block must leave with the CSR's old value in x28, not its own.
      encode(Op::Addi, Operands{.rd = 28, .rs1 = 28, .imm = 1}),
      encode(Op::Addi, Operands{.rd = 28, .rs1 = 28, .imm = 1}),
      encode(Op::Csrrw, Operands{.rd = 28, .rs1 = 6, .imm = 0x002}),  // frm
  };
  std::vector<uint8_t> bytes(words.size() * 4);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  return bytes;
}

std::vector<uint8_t> program(RandomProgram& gen, unsigned count) {
  std::vector<uint8_t> code = prologue();
  const std::vector<uint8_t> body = gen.block(kCode + code.size(), count);
  code.insert(code.end(), body.begin(), body.end());
  const uint32_t back = encode(Op::Jal, Operands{.rd = 1, .imm = -int64_t(code.size())});
  code.resize(code.size() + 4);
  std::memcpy(code.data() + code.size() - 4, &back, 4);
  return code;
}

std::string compare(const Hart& a, const Hart& b, const Machine& ma, const Machine& mb) {
  std::ostringstream out;
  out << hart_differences(a, b);
  if (std::memcmp(ma.ram.host(kData - 0x1000), mb.ram.host(kData - 0x1000), 0x2000) != 0)
    out << " data memory";
  return out.str();
}

std::string listing(const std::vector<uint8_t>& code) {
  std::ostringstream out;
  for (size_t off = 0; off + 2 <= code.size();) {
    uint32_t raw = 0;
    std::memcpy(&raw, code.data() + off, std::min<size_t>(4, code.size() - off));
    out << std::hex << "  0x" << kCode + off << ": " << disassemble_word(raw, kCode + off) << "\n";
    off += (raw & 3) == 3 ? 4 : 2;
  }
  return out.str();
}

void place(Machine& m, const std::vector<uint8_t>& code) {
  std::memcpy(m.ram.host(kCode), code.data(), code.size());
  m.bus.code_pages().written(kCode, code.size());  // as DMA or another hart would
}

TEST(JitDifferential, RandomProgramsAgreeWithTheInterpreter) {
  RandomProgramOptions options;
  options.floating_point = true;
  options.bitmanip = true;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    RandomProgram gen(seed, options);
    std::mt19937_64& rng = gen.rng();
    Machine interp(EngineKind::Interp), jit(EngineKind::Jit);
    std::vector<uint8_t> code = program(gen, 150);
    std::vector<uint64_t> regs(32), fregs(32);
    for (auto& r : regs) r = rng();
    for (auto& r : fregs) r = rng() % 3 ? rng() : 0xffffffff00000000ull | (rng() & 0xffffffff);
    std::vector<uint8_t> data(0x2000);
    for (auto& byte : data) byte = uint8_t(rng());
    for (Machine* m : {&interp, &jit}) {
      Hart& h = *m->hart;
      for (int r = 1; r < 32; r++) h.x[r] = regs[r];
      h.x[31] = kData;
      for (int r = 0; r < 32; r++) h.f[r] = fregs[r];
      h.csr.mstatus |= 1ull << 13;  // FS on
      h.csr.mtvec = kCode;          // a trap starts the loop again
      std::memcpy(m->ram.host(kData - 0x1000), data.data(), data.size());
      place(*m, code);
    }
    uint64_t total = 0;
    // Enough rounds for the loop to become hot (cold code runs on the interpreter) and run
    // translated for most of them, before and after the rewrite.
    for (int round = 0; round < 240; round++) {
      if (round == 120) {
        code = program(gen, 150);
        place(interp, code);
        place(jit, code);
      }
      const uint64_t budget = 1 + rng() % (rng() % 4 ? 40 : 400);
      const Exit ea = interp.hart->run(budget), eb = jit.hart->run(budget);
      total += budget;
      ASSERT_EQ(int(ea.reason), int(eb.reason)) << "seed " << seed;
      const std::string diff = compare(*interp.hart, *jit.hart, interp, jit);
      ASSERT_EQ(diff, "") << "seed " << seed << " round " << round << " after " << total
                          << " instructions (interpreter vs JIT):\n"
                          << listing(code);
    }
  }
}

}  // namespace
}  // namespace strata::testing

namespace strata::testing {
namespace {

// Hart B stores a new instruction into the loop hart A runs from translated, chained code:
// A runs the new instruction at its next dispatch, with no fence.i.
TEST(JitCrossHart, CodeWrittenByAnotherHartIsSeen) {
  GuestRam ram(kBase, kSize);
  Bus bus;
  bus.add_ram(ram);
  SystemMmu mmu_a(bus), mmu_b(bus);
  HartConfig config;
  config.engine.kind = EngineKind::Jit;
  config.reset_pc = kCode;
  Hart a(config, &bus, &mmu_a, nullptr);
  config.hart_id = 1;
  config.reset_pc = kCode + 0x2000;
  Hart b(config, &bus, &mmu_b, nullptr);
  const uint32_t loop[] = {encode(Op::Addi, Operands{.rd = 5, .rs1 = 5, .imm = 1}),
                           encode(Op::Jal, Operands{.rd = 0, .imm = -4})};
  const uint32_t writer[] = {encode(Op::Sw, Operands{.rs1 = 7, .rs2 = 6}),
                             encode(Op::Jal, Operands{.rd = 0, .imm = 0})};
  std::memcpy(ram.host(kCode), loop, sizeof(loop));
  std::memcpy(ram.host(kCode + 0x2000), writer, sizeof(writer));
  b.x[6] = encode(Op::Addi, Operands{.rd = 5, .rs1 = 5, .imm = 100});
  b.x[7] = kCode;

  a.run(1000);
  EXPECT_EQ(a.x[5], 500u);
  b.run(1);
  a.run(2);
  EXPECT_EQ(a.x[5], 600u) << "the rewritten addi ran";
  EXPECT_EQ(a.instret(), 1002u);
}

// The code cache filling up again and again changes nothing the guest can see.
TEST(JitCache, FlushingAFullCacheChangesNothing) {
  RandomProgramOptions options;
  options.floating_point = true;
  RandomProgram gen(77, options);
  Machine interp(EngineKind::Interp), jit(EngineKind::Jit);
  jit.hart->set_engine(make_engine({EngineKind::Jit, 64 << 10, false}));
  std::vector<uint8_t> code;
  for (uint64_t page = 0; page < 48; page++) {  // more code than the 64 KiB cache holds
    std::vector<uint8_t> block = gen.block(kCode + page * 0x1000, 400);
    if (block.size() % 4) block.insert(block.end(), {0x01, 0x00});  // c.nop
    const uint32_t nop = encode(Op::Addi, Operands{}), next = encode(Op::Jal, Operands{.rd = 0, .imm = 4});
    while (block.size() < 0x1000) {
      const uint32_t word = block.size() == 0x1000 - 4 ? next : nop;
      block.insert(block.end(), reinterpret_cast<const uint8_t*>(&word),
                   reinterpret_cast<const uint8_t*>(&word) + 4);
    }
    code.insert(code.end(), block.begin(), block.end());
  }
  for (Machine* m : {&interp, &jit}) {
    m->hart->x[31] = kData;
    m->hart->csr.mstatus |= 1ull << 13;
    m->hart->csr.mtvec = kCode;
    place(*m, code);
  }
  for (int round = 0; round < 200; round++) {  // enough passes for the code to become hot
    interp.hart->run(5000);
    jit.hart->run(5000);
    ASSERT_EQ(compare(*interp.hart, *jit.hart, interp, jit), "") << "round " << round;
  }
  const std::string report = jit::jit_report(*jit.hart->engine());
  const size_t at = report.find("cache flushes");
  ASSERT_NE(at, std::string::npos) << report;
  EXPECT_GT(std::stoul(report.substr(report.find_first_of("0123456789", at))), 0u) << report;
}

}  // namespace
}  // namespace strata::testing
