// Tests on the instruction table itself: rows are disjoint, and every row decodes back to itself.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "isa/decoder.h"
#include "isa/table.h"

namespace strata {
namespace {

TEST(IsaTable, WideRowsDoNotOverlap) {
  auto table = instruction_table();
  for (size_t a = 0; a < table.size(); a++) {
    if (table[a].compressed()) continue;
    for (size_t b = a + 1; b < table.size(); b++) {
      if (table[b].compressed()) continue;
      const uint32_t common = table[a].mask & table[b].mask;
      EXPECT_NE(table[a].match & common, table[b].match & common)
          << table[a].name << " and " << table[b].name << " can match the same word";
    }
  }
}

// The compressed space is small enough to check every word against every row, with the
// field conditions that masks alone cannot express.
TEST(IsaTable, CompressedRowsDoNotOverlap) {
  auto table = instruction_table();
  for (uint32_t w = 0; w < 0x10000; w++) {
    if ((w & 3) == 3) continue;
    const InstrSpec* first = nullptr;
    for (const InstrSpec& s : table) {
      if (!s.compressed() || !row_matches(s, w)) continue;
      ASSERT_EQ(first, nullptr) << std::hex << w << " matches " << first->name << " and " << s.name;
      first = &s;
    }
  }
}

TEST(IsaTable, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const InstrSpec& s : instruction_table()) EXPECT_TRUE(names.insert(s.name).second) << s.name;
}

TEST(IsaTable, EveryOpHasAWideRow) {
  for (unsigned op = 1; op < kOpCount; op++) {
    const InstrSpec& s = spec_of(Op(op));
    EXPECT_EQ(s.op, Op(op)) << "op " << op << " has no 32-bit row";
    EXPECT_FALSE(s.compressed());
  }
}

// Every row, with random operand bits filled in, decodes back to that row.
TEST(IsaTable, EveryRowDecodesToItself) {
  std::mt19937 rng(12345);
  for (const InstrSpec& s : instruction_table()) {
    int decoded = 0;
    for (int trial = 0; trial < 2000 && decoded < 50; trial++) {
      uint32_t w = (rng() & ~s.mask) | s.match;
      if (s.compressed()) w &= 0xffff;
      if (!row_matches(s, w)) continue;  // a field condition rejected these bits
      Decoded d = decode(w);
      ASSERT_EQ(d.spec, &s) << s.name << " word " << std::hex << w << " decoded as "
                            << (d.spec ? d.spec->name : "illegal");
      EXPECT_EQ(d.op, s.op);
      EXPECT_EQ(d.len, s.length());
      decoded++;
    }
    EXPECT_GT(decoded, 0) << s.name << " never matched its own encodings";
  }
}

TEST(IsaDecode, KnownWords) {
  Decoded d = decode(0x00a50533);  // add a0, a0, a0
  EXPECT_EQ(d.op, Op::Add);
  EXPECT_EQ(d.rd, 10);
  d = decode(0xfff00513);  // addi a0, zero, -1
  EXPECT_EQ(d.op, Op::Addi);
  EXPECT_EQ(d.imm, -1);
  d = decode(0x4505);  // c.li a0, 1
  EXPECT_EQ(d.op, Op::Addi);
  EXPECT_EQ(d.rd, 10);
  EXPECT_EQ(d.rs1, 0);
  EXPECT_EQ(d.imm, 1);
  EXPECT_EQ(d.len, 2);
  d = decode(0x1141);  // c.addi sp, sp, -16
  EXPECT_EQ(d.op, Op::Addi);
  EXPECT_EQ(d.rd, 2);
  EXPECT_EQ(d.imm, -16);
  d = decode(0x8082);  // c.jr ra (ret)
  EXPECT_EQ(d.op, Op::Jalr);
  EXPECT_EQ(d.rd, 0);
  EXPECT_EQ(d.rs1, 1);
  EXPECT_EQ(decode(0x0000).op, Op::Illegal);      // all-zero is defined illegal
  EXPECT_EQ(decode(0xffffffff).op, Op::Illegal);
  d = decode(0xfe0718e3);  // bnez a4, -16
  EXPECT_EQ(d.op, Op::Bne);
  EXPECT_EQ(d.imm, -16);
  d = decode(0x7fe0006f);  // j +2046
  EXPECT_EQ(d.op, Op::Jal);
  EXPECT_EQ(d.imm, 2046);
}

}  // namespace
}  // namespace strata
