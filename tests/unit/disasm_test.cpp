// Tricky cases of the disassembler, with the text GNU objdump 2.40 prints for each word.
#include "isa/disasm.h"

#include <gtest/gtest.h>

#include <random>

#include "isa/csr_names.h"
#include "isa/decoder.h"
#include "isa/table.h"

namespace strata {
namespace {

std::string objdump(uint32_t raw, uint64_t pc = 0) { return disassemble_word(raw, pc, DisasmStyle::Objdump); }
std::string raw_form(uint32_t raw, uint64_t pc = 0) {
  return disassemble_word(raw, pc, DisasmStyle::NoAliases);
}

TEST(Disasm, IntegerAliases) {
  EXPECT_EQ(objdump(0x00000013), "nop");
  EXPECT_EQ(raw_form(0x00000013), "addi\tzero,zero,0");
  EXPECT_EQ(objdump(0x00500013), "li\tzero,5");
  EXPECT_EQ(objdump(0x80000513), "li\ta0,-2048");
  EXPECT_EQ(objdump(0x00058513), "mv\ta0,a1");
  // binutils 2.40 prints immediate ALU forms under the register form's name.
  EXPECT_EQ(objdump(0x00558513), "add\ta0,a1,5");
  EXPECT_EQ(raw_form(0x00558513), "addi\ta0,a1,5");
  EXPECT_EQ(objdump(0x03f59513), "sll\ta0,a1,0x3f");
  EXPECT_EQ(raw_form(0x03f59513), "slli\ta0,a1,0x3f");
  EXPECT_EQ(objdump(0x0055a513), "slti\ta0,a1,5");
  EXPECT_EQ(objdump(0x0ff5f513), "zext.b\ta0,a1");
  EXPECT_EQ(objdump(0xfff5c513), "not\ta0,a1");
  EXPECT_EQ(objdump(0x0015b513), "seqz\ta0,a1");
  EXPECT_EQ(objdump(0x00b03533), "snez\ta0,a1");
  EXPECT_EQ(objdump(0x00002533), "sltz\ta0,zero");  // slt a0,zero,zero: sltz wins over sgtz
  EXPECT_EQ(objdump(0x00b02533), "sgtz\ta0,a1");
  EXPECT_EQ(objdump(0x40b00533), "neg\ta0,a1");
  EXPECT_EQ(objdump(0x40b0053b), "negw\ta0,a1");
  EXPECT_EQ(objdump(0x0005851b), "sext.w\ta0,a1");
  EXPECT_EQ(objdump(0x0805853b), "zext.w\ta0,a1");
  EXPECT_EQ(raw_form(0x0805853b), "add.uw\ta0,a1,zero");
  EXPECT_EQ(objdump(0x80000537), "lui\ta0,0x80000");
  EXPECT_EQ(objdump(0xfffff517), "auipc\ta0,0xfffff");
}

TEST(Disasm, ControlTransfersPrintAbsoluteTargets) {
  EXPECT_EQ(objdump(0x00b50063, 0x1000), "beq\ta0,a1,0x1000");
  EXPECT_EQ(objdump(0xfe050ee3, 0x1000), "beqz\ta0,0xffc");
  EXPECT_EQ(raw_form(0xfe050ee3, 0x1000), "beq\ta0,zero,0xffc");
  EXPECT_EQ(objdump(0x00005063, 0x20), "blez\tzero,0x20");  // bge zero,zero: blez wins
  EXPECT_EQ(objdump(0x00004063, 0x20), "bltz\tzero,0x20");  // blt zero,zero: bltz wins
  EXPECT_EQ(objdump(0x00a04063, 0x20), "bgtz\ta0,0x20");
  EXPECT_EQ(objdump(0xff9ff0ef, 0x8), "jal\t0x0");
  EXPECT_EQ(raw_form(0xff9ff0ef, 0x8), "jal\tra,0x0");
  EXPECT_EQ(objdump(0x0000006f, 0x80000000), "j\t0x80000000");
  EXPECT_EQ(objdump(0xffdff06f, 0), "j\t0xfffffffffffffffc");  // wraps like a 64-bit address
  EXPECT_EQ(objdump(0x00008067), "ret");
  EXPECT_EQ(raw_form(0x00008067), "jalr\tzero,0(ra)");
  EXPECT_EQ(objdump(0x00850067), "jr\t8(a0)");
  EXPECT_EQ(objdump(0x000500e7), "jalr\ta0");
  EXPECT_EQ(objdump(0xff8500e7), "jalr\t-8(a0)");
  EXPECT_EQ(objdump(0x000502e7), "jalr\tt0,a0");
  EXPECT_EQ(objdump(0x008502e7), "jalr\tt0,8(a0)");
}

TEST(Disasm, CsrNamesAndAliases) {
  EXPECT_EQ(objdump(0x30002573), "csrr\ta0,mstatus");
  EXPECT_EQ(raw_form(0x30002573), "csrrs\ta0,mstatus,zero");
  EXPECT_EQ(objdump(0x12302573), "csrr\ta0,0x123");
  EXPECT_EQ(objdump(0x00102573), "frflags\ta0");
  EXPECT_EQ(objdump(0x00102073), "frflags\tzero");
  EXPECT_EQ(objdump(0xc0002573), "rdcycle\ta0");
  EXPECT_EQ(objdump(0xc8002573), "csrr\ta0,cycleh");  // rdcycleh is RV32-only
  EXPECT_EQ(objdump(0x00159073), "fsflags\ta1");
  EXPECT_EQ(objdump(0x00159573), "fsflags\ta0,a1");
  EXPECT_EQ(objdump(0x0012d073), "fsflagsi\tzero,5");
  EXPECT_EQ(objdump(0x0032d573), "csrrw\ta0,fcsr,5");  // csrrwi prints as csrrw
  EXPECT_EQ(raw_form(0x0032d573), "csrrwi\ta0,fcsr,5");
  EXPECT_EQ(objdump(0x0032d073), "csrw\tfcsr,5");
  EXPECT_EQ(objdump(0x30001073), "csrw\tmstatus,zero");
  EXPECT_EQ(objdump(0x0015b073), "csrc\tfflags,a1");
  EXPECT_EQ(objdump(0xc0001073), "unimp");  // csrrw zero,cycle,zero, in both styles
  EXPECT_EQ(raw_form(0xc0001073), "unimp");
  EXPECT_EQ(standard_csr_name(0x3bf), "pmpaddr15");
  EXPECT_EQ(standard_csr_name(0xc83), "hpmcounter3h");
  EXPECT_EQ(standard_csr_name(0x33f), "mhpmevent31");
  EXPECT_EQ(standard_csr_name(0x7c0), "");
  EXPECT_EQ(standard_csr_name(0x1000), "");
}

TEST(Disasm, FloatingPoint) {
  EXPECT_EQ(objdump(0x00c5f553), "fadd.s\tfa0,fa1,fa2");  // dynamic rounding is left out
  EXPECT_EQ(objdump(0x00c58553), "fadd.s\tfa0,fa1,fa2,rne");
  EXPECT_EQ(objdump(0x00c5d553), "fadd.s\tfa0,fa1,fa2,unknown");  // reserved rm 5
  EXPECT_EQ(objdump(0x68c5c543), "fmadd.s\tfa0,fa1,fa2,fa3,rmm");
  EXPECT_EQ(objdump(0xc0059553), "fcvt.w.s\ta0,fa1,rtz");
  EXPECT_EQ(objdump(0x42058553), "fcvt.d.s\tfa0,fa1");
  EXPECT_EQ(objdump(0x42059553), ".4byte\t0x42059553");  // exact conversion with rm != 0
  EXPECT_EQ(objdump(0x20b58553), "fmv.s\tfa0,fa1");
  EXPECT_EQ(raw_form(0x20b58553), "fsgnj.s\tfa0,fa1,fa1");
  EXPECT_EQ(objdump(0x22b59553), "fneg.d\tfa0,fa1");
  EXPECT_EQ(objdump(0x20b5a553), "fabs.s\tfa0,fa1");
  EXPECT_EQ(objdump(0xe0058553), "fmv.x.w\ta0,fa1");
  EXPECT_EQ(objdump(0xff813507), "fld\tfa0,-8(sp)");
  EXPECT_EQ(objdump(0x7ea13c27), "fsd\tfa0,2040(sp)");
}

TEST(Disasm, AtomicsFencesAndSystem) {
  EXPECT_EQ(objdump(0x1605a52f), "lr.w.aqrl\ta0,(a1)");
  EXPECT_EQ(objdump(0x1ac5b52f), "sc.d.rl\ta0,a2,(a1)");
  EXPECT_EQ(objdump(0x04c5a52f), "amoadd.w.aq\ta0,a2,(a1)");
  EXPECT_EQ(objdump(0x0ff0000f), "fence");
  EXPECT_EQ(raw_form(0x0ff0000f), "fence\tiorw,iorw");
  EXPECT_EQ(objdump(0x0210000f), "fence\tr,w");
  EXPECT_EQ(objdump(0x0000000f), "fence\tunknown,unknown");
  EXPECT_EQ(objdump(0x8330000f), "fence.tso");
  EXPECT_EQ(raw_form(0x8330000f), "fence.tso");
  EXPECT_EQ(objdump(0x0100000f), "pause");
  EXPECT_EQ(objdump(0x0ff0008f), ".4byte\t0xff0008f");  // fence with rd set
  EXPECT_EQ(objdump(0x0010100f), ".4byte\t0x10100f");   // fence.i with an immediate
  EXPECT_EQ(objdump(0x12000073), "sfence.vma");
  EXPECT_EQ(objdump(0x12050073), "sfence.vma\ta0");
  EXPECT_EQ(raw_form(0x12050073), "sfence.vma\ta0,zero");
  EXPECT_EQ(objdump(0x10500073), "wfi");
  EXPECT_EQ(objdump(0x0ec5d533), "czero.eqz\ta0,a1,a2");
}

TEST(Disasm, CompressedExpandOrKeepTheirHints) {
  EXPECT_EQ(objdump(0x0020), "add\ts0,sp,8");
  EXPECT_EQ(raw_form(0x0020), "c.addi4spn\ts0,sp,8");
  EXPECT_EQ(objdump(0x157d), "add\ta0,a0,-1");
  EXPECT_EQ(objdump(0x0081), "add\tra,ra,0");  // not "mv", unlike the 32-bit addi
  EXPECT_EQ(objdump(0x0001), "nop");
  EXPECT_EQ(raw_form(0x0001), "c.addi\tzero,0");
  EXPECT_EQ(objdump(0x0005), "c.nop\t1");
  EXPECT_EQ(objdump(0x4001), "c.li\tzero,0");
  EXPECT_EQ(objdump(0x4081), "li\tra,0");
  EXPECT_EQ(objdump(0x757d), "lui\ta0,0xfffff");
  EXPECT_EQ(objdump(0x6005), "c.lui\tzero,0x1");
  EXPECT_EQ(objdump(0x2081), "sext.w\tra,ra");
  EXPECT_EQ(objdump(0x8005), "srl\ts0,s0,0x1");
  EXPECT_EQ(objdump(0x8001), "c.srli64\ts0");
  EXPECT_EQ(objdump(0x0502), "c.slli64\ta0");
  EXPECT_EQ(objdump(0x0006), "c.slli\tzero,0x1");
  EXPECT_EQ(objdump(0x8086), "mv\tra,ra");
  EXPECT_EQ(objdump(0x8006), "c.mv\tzero,ra");
  EXPECT_EQ(objdump(0x9006), "c.add\tzero,ra");
  EXPECT_EQ(objdump(0x8082), "ret");
  EXPECT_EQ(raw_form(0x8082), "c.jr\tra");
  EXPECT_EQ(objdump(0x9002), "ebreak");
  EXPECT_EQ(raw_form(0x9002), "c.ebreak");
  EXPECT_EQ(objdump(0xc901, 4), "beqz\ta0,0x14");
  EXPECT_EQ(raw_form(0xc901, 4), "c.beqz\ta0,0x14");
  EXPECT_EQ(objdump(0xbfed, 6), "j\t0x0");
  EXPECT_EQ(objdump(0x2008), "fld\tfa0,0(s0)");
  EXPECT_EQ(raw_form(0xa002), "c.fsdsp\tft0,0(sp)");
  EXPECT_EQ(objdump(0xdead0001), "nop");  // only the low half of a compressed word counts
}

TEST(Disasm, IllegalWordsPrintAsData) {
  EXPECT_EQ(objdump(0x0000), "unimp");
  EXPECT_EQ(raw_form(0x0000), "c.unimp");
  EXPECT_EQ(objdump(0x8002), ".2byte\t0x8002");  // c.jr zero
  EXPECT_EQ(objdump(0x6101), ".2byte\t0x6101");  // c.addi16sp 0 is reserved
  EXPECT_EQ(objdump(0x0000006b), ".4byte\t0x6b");
  EXPECT_EQ(raw_form(0xfffff07b), ".4byte\t0xfffff07b");  // custom-3 opcode
  // 48-bit and longer encodings are not supported: the decoder reports 4 bytes (objdump would
  // take 6 or 8 bytes and print them as one directive).
  EXPECT_EQ(objdump(0x0000001f), ".4byte\t0x1f");
}

// Without aliases, every legal word prints under its own row's name (plus an aq/rl suffix
// or the "64" of a zero compressed shift), unless objdump knows the word by another name.
TEST(Disasm, NoAliasesUsesTheRowName) {
  std::mt19937 rng(99);
  for (const InstrSpec& row : instruction_table()) {
    int checked = 0;
    for (int trial = 0; trial < 3000 && checked < 40; trial++) {
      const uint32_t w =
          row.compressed() ? ((rng() & ~row.mask) | row.match) & 0xffff : (rng() & ~row.mask) | row.match;
      if (!row_matches(row, w)) continue;
      const std::string text = raw_form(w);
      const std::string mnemonic = text.substr(0, text.find('\t'));
      checked++;
      if (w == 0xc0001073 || w == 0x8330000f || w == 0x0100000f) continue;  // unimp, fence.tso, pause
      if (mnemonic == ".4byte" && (row.op == Op::Fence || row.op == Op::FenceI || row.op == Op::FcvtDS ||
                                   row.op == Op::FcvtDW || row.op == Op::FcvtDWu))
        continue;  // encodings objdump refuses
      EXPECT_TRUE(mnemonic.starts_with(row.name)) << row.name << " word " << std::hex << w << ": " << text;
    }
    EXPECT_GT(checked, 0) << row.name;
  }
}

}  // namespace
}  // namespace strata
