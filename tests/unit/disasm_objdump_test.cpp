// The disassembly of a cross-compiled object matches riscv64-linux-gnu-objdump -d (and -M no-aliases)
// for every instruction kind. Two objects are checked:
//  - tests/disasm/all_instructions.S, hand-written: every table row with operand variants that
//    exercise objdump's aliases; the test also asserts that it covers every row of the table;
//  - a generated one: every 16-bit word, random variants of every 32-bit row and random words.
// objdump's text is normalised in two ways only: a target printed with a symbol ("1c <foo+0x4>")
// becomes the symbol-less form ("0x1c"), and trailing "# address" comments (which depend on
// earlier lui/auipc instructions) are dropped.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "isa/decoder.h"
#include "isa/disasm.h"
#include "isa/table.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAs = "riscv64-linux-gnu-as";
constexpr const char* kObjdump = "riscv64-linux-gnu-objdump";
// binutils 2.40 spelling; it has no Zicond. Privileged spec 1.12 is objdump's default CSR set,
// and naming a CSR in the source would otherwise record 1.11 in the object's attributes.
constexpr const char* kAsFlags = "-march=rv64gc_zba_zbb_zbs_zicsr_zifencei_zihintpause -mpriv-spec=1.12";

bool have_tool(const char* name) {
  return std::system(fmt::format("command -v {} >/dev/null 2>&1", name).c_str()) == 0;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "strata-disasm-XXXXXX").string();
    path = mkdtemp(pattern.data()) ? fs::path(pattern) : fs::path();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

struct ObjdumpLine {
  uint64_t address;
  uint32_t raw;
  std::string text;  // mnemonic, and a tab and the operands when there are any
};

std::string trim(std::string_view s) {
  const size_t first = s.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(' ') - first + 1));
}

// "a0,1c <foo+0x4>" -> "a0,0x1c"; "fa0,4(a0) # 5004 <x>" -> "fa0,4(a0)".
std::string normalise_operands(std::string ops) {
  if (size_t comment = ops.find(" # "); comment != std::string::npos) ops.resize(comment);
  if (size_t sym = ops.find(" <"); sym != std::string::npos) {
    const size_t close = ops.find('>', sym);
    const size_t comma = ops.rfind(',', sym);
    const size_t start = comma == std::string::npos ? 0 : comma + 1;
    ops = ops.substr(0, start) + "0x" + ops.substr(start, sym - start) +
          (close == std::string::npos ? "" : ops.substr(close + 1));
  }
  return ops;
}

// Instruction lines look like "   4:\tc901                \tbeqz\ta0,14 <bar>".
std::vector<ObjdumpLine> parse_objdump(const fs::path& listing) {
  std::vector<ObjdumpLine> lines;
  std::ifstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    if (fields.size() < 3) continue;
    const std::string address = trim(fields[0]);
    if (address.empty() || address.back() != ':') continue;
    ObjdumpLine parsed;
    parsed.address = std::stoull(address, nullptr, 16);
    parsed.raw = uint32_t(std::stoul(trim(fields[1]), nullptr, 16));
    parsed.text = trim(fields[2]);
    if (fields.size() > 3) {
      const std::string ops = normalise_operands(fields[3]);
      if (!ops.empty()) parsed.text += "\t" + ops;
    }
    lines.push_back(parsed);
  }
  return lines;
}

// Assembles `source`, disassembles the object in both styles.
struct Listings {
  std::vector<ObjdumpLine> aliases, no_aliases;
};
Listings assemble_and_dump(const fs::path& source, const fs::path& dir) {
  const fs::path object = dir / "out.o", aliases = dir / "aliases.txt", raw = dir / "no-aliases.txt";
  const std::string as = fmt::format("{} {} '{}' -o '{}'", kAs, kAsFlags, source.string(), object.string());
  EXPECT_EQ(std::system(as.c_str()), 0) << as;
  const std::string dump1 = fmt::format("{} -d '{}' > '{}'", kObjdump, object.string(), aliases.string());
  const std::string dump2 =
      fmt::format("{} -d -M no-aliases '{}' > '{}'", kObjdump, object.string(), raw.string());
  EXPECT_EQ(std::system(dump1.c_str()), 0) << dump1;
  EXPECT_EQ(std::system(dump2.c_str()), 0) << dump2;
  return {parse_objdump(aliases), parse_objdump(raw)};
}

constexpr std::string_view kAbi[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
                                       "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                       "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

// What objdump should print, where objdump 2.40 itself cannot be the reference.
std::string expected_text(const ObjdumpLine& line, const Decoded& d) {
  // binutils 2.40 predates Zicond and prints the words as data; expect the spelling of
  // binutils 2.41 and later ("czero.eqz rd,rs1,rs2"), built here from the raw fields.
  if (d.spec && d.spec->ext == Ext::Zicond && line.text.starts_with(".4byte"))
    return fmt::format("{}\t{},{},{}", d.spec->name, kAbi[(d.raw >> 7) & 31], kAbi[(d.raw >> 15) & 31],
                       kAbi[(d.raw >> 20) & 31]);
  // c.addi16sp with a zero immediate is reserved (RVC spec); objdump 2.40 still prints it as
  // "add sp,sp,0". Our decoder treats it as illegal, so we print the word as data.
  if (d.len == 2 && d.raw == 0x6101) return ".2byte\t0x6101";
  return line.text;
}

struct Comparison {
  size_t compared = 0, mismatches = 0;
  std::string report;
  std::set<const InstrSpec*> rows_seen;
};

void compare(const std::vector<ObjdumpLine>& lines, DisasmStyle style, Comparison& result) {
  for (const ObjdumpLine& line : lines) {
    const Decoded d = decode(line.raw);
    if (d.spec) result.rows_seen.insert(d.spec);
    const std::string ours = disassemble(d, line.address, style);
    const std::string expected = expected_text(line, d);
    result.compared++;
    if (ours == expected) continue;
    if (++result.mismatches <= 60)
      result.report += fmt::format("  {:>6x}: {:08x} ({}) objdump{} \"{}\"  ours \"{}\"\n", line.address,
                                   line.raw, d.spec ? d.spec->name : "illegal",
                                   style == DisasmStyle::NoAliases ? " -M no-aliases" : "", expected, ours);
  }
}

class DisasmObjdump : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tool(kAs) || !have_tool(kObjdump)) GTEST_SKIP() << "riscv64-linux-gnu binutils not installed";
    ASSERT_FALSE(dir_.path.empty()) << "cannot create a temporary directory";
  }
  TempDir dir_;
};

TEST_F(DisasmObjdump, AllInstructionsSourceMatchesObjdump) {
  const fs::path source = fs::path(STRATA_SOURCE_DIR) / "tests/disasm/all_instructions.S";
  Listings dumps = assemble_and_dump(source, dir_.path);
  ASSERT_GT(dumps.aliases.size(), 400u) << "objdump listing not parsed";
  ASSERT_EQ(dumps.aliases.size(), dumps.no_aliases.size());

  Comparison result;
  compare(dumps.aliases, DisasmStyle::Objdump, result);
  compare(dumps.no_aliases, DisasmStyle::NoAliases, result);
  EXPECT_EQ(result.mismatches, 0u) << result.mismatches << " of " << result.compared << " lines differ:\n"
                                   << result.report;

  // The source covers the whole table.
  for (const InstrSpec& row : instruction_table())
    EXPECT_TRUE(result.rows_seen.count(&row)) << "all_instructions.S has no " << row.name;
}

// Random 32-bit words built from a row: operand fields random, but often the values that
// select an alias (x0, ra, a zero / -1 / 1 / 255 immediate, rs1 == rs2, the dynamic rm).
uint32_t variant(const InstrSpec& row, std::mt19937& rng) {
  uint32_t w = rng();
  switch (rng() % 12) {
    case 0:
      w &= ~(31u << 7);
      break;
    case 1:
      w &= ~(31u << 15);
      break;
    case 2:
      w &= ~(31u << 20);
      break;
    case 3:
      w = (w & ~(31u << 15)) | 1u << 15;
      break;
    case 4:
      w = (w & ~(31u << 7)) | 1u << 7;
      break;
    case 5:
      w &= 0x000fffff;
      break;
    case 6:
      w |= 0xfff00000;
      break;
    case 7:
      w = (w & 0x000fffff) | 1u << 20;
      break;
    case 8:
      w = (w & 0x000fffff) | 255u << 20;
      break;
    case 9:
      w = (w & ~(31u << 20)) | ((w >> 15) & 31) << 20;
      break;
    case 10:
      w |= 7u << 12;
      break;
    default:
      break;
  }
  return (w & ~row.mask) | row.match;
}

TEST_F(DisasmObjdump, GeneratedWordsMatchObjdump) {
  std::vector<uint32_t> words;
  for (uint32_t w = 0; w < 0x10000; w++)
    if ((w & 3) != 3) words.push_back(w);  // every compressed word, legal or not
  std::mt19937 rng(20240611);
  for (const InstrSpec& row : instruction_table())
    if (!row.compressed())
      for (int i = 0; i < 40; i++) words.push_back(variant(row, rng));
  for (int i = 0; i < 4000; i++) {
    const uint32_t w = rng() | 3;
    if (((w >> 2) & 7) != 7) words.push_back(w);  // not a 48-bit or longer encoding
  }

  const fs::path source = dir_.path / "generated.S";
  {
    std::ofstream out(source);
    out << "\t.text\n";
    for (uint32_t w : words)
      out << ((w & 3) == 3 ? fmt::format("\t.insn 4, {:#010x}\n", w)
                           : fmt::format("\t.insn 2, {:#06x}\n", w));
  }
  Listings dumps = assemble_and_dump(source, dir_.path);
  ASSERT_EQ(dumps.aliases.size(), words.size()) << "objdump listing not parsed";
  ASSERT_EQ(dumps.no_aliases.size(), words.size());
  for (size_t i = 0; i < words.size(); i++) ASSERT_EQ(dumps.aliases[i].raw, words[i]) << "line " << i;

  Comparison result;
  compare(dumps.aliases, DisasmStyle::Objdump, result);
  compare(dumps.no_aliases, DisasmStyle::NoAliases, result);
  EXPECT_EQ(result.mismatches, 0u) << result.mismatches << " of " << result.compared << " lines differ:\n"
                                   << result.report;
}

}  // namespace
}  // namespace strata
