// The RISC-V ELF64 loader of run --bare and ELF kernels: what it loads (segments at their
// physical addresses, .bss zeroed, entry, .symtab) and the one-line error for each kind of
// bad file, always naming the file.
#include "machine/elf_image.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "bare_elf_builder.h"
#include "mem/guest_ram.h"
#include "util/error.h"

namespace strata {
namespace {

using testing::ElfBuilder;
constexpr uint64_t kRam = 0x80000000;
constexpr uint64_t kRamSize = 1 << 20;

class ElfImageTest : public ::testing::Test {
 protected:
  ElfImageTest() : ram_(kRam, kRamSize) { std::memset(ram_.host_base(), 0xee, kRamSize); }

  // The message of the strata::Error that loading `file` throws ("" if it loads).
  std::string error_of(const std::vector<uint8_t>& file, const ElfLoadOptions& options = {}) {
    try {
      load_elf_bytes(file, "prog.elf", ram_, options);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  uint8_t byte(uint64_t pa) { return ram_.host(pa)[0]; }

  GuestRam ram_;
};

TEST_F(ElfImageTest, CopiesSegmentsZeroesBssAndFindsSymbols) {
  ElfBuilder b;
  b.entry = kRam + 4;
  b.segment(kRam, {1, 2, 3, 4, 5, 6, 7, 8});
  b.segment(kRam + 0x1000, {9, 9}, 0x100);  // 0xfe bytes of .bss
  b.symbol("tohost", kRam + 0x1000).symbol("fromhost", kRam + 0x1040);
  const ElfImage image = load_elf_bytes(b.build(), "prog.elf", ram_);
  EXPECT_EQ(image.entry, kRam + 4);
  EXPECT_EQ(image.low, kRam);
  EXPECT_EQ(image.high, kRam + 0x1100);
  for (int i = 0; i < 8; i++) EXPECT_EQ(byte(kRam + i), i + 1);
  EXPECT_EQ(byte(kRam + 8), 0xee);  // past the segment: untouched
  EXPECT_EQ(byte(kRam + 0x1001), 9);
  EXPECT_EQ(byte(kRam + 0x1002), 0);
  EXPECT_EQ(byte(kRam + 0x10ff), 0);
  EXPECT_EQ(byte(kRam + 0x1100), 0xee);
  EXPECT_EQ(image.symbol("tohost"), kRam + 0x1000);
  EXPECT_EQ(image.symbol("fromhost"), kRam + 0x1040);
  EXPECT_EQ(image.symbol("missing"), std::nullopt);
}

TEST_F(ElfImageTest, FileWithoutSectionHeadersHasNoSymbols) {
  ElfBuilder b;
  b.segment(kRam, {0x6f, 0, 0, 0});
  const ElfImage image = load_elf_bytes(b.build(), "prog.elf", ram_);
  EXPECT_TRUE(image.symbols.empty());
}

TEST_F(ElfImageTest, TranslateAndBoundsOptions) {
  ElfBuilder b;
  b.entry = 0xffffffff80000000;  // a vmlinux links at its virtual address
  b.segment(0xffffffff80000000, {1, 2, 3, 4});
  ElfLoadOptions options;
  options.translate = [](uint64_t a) { return (a & 0x7fffffff) | 0x80000000; };
  const ElfImage image = load_elf_bytes(b.build(), "vmlinux", ram_, options);
  EXPECT_EQ(image.entry, kRam);
  EXPECT_EQ(byte(kRam + 3), 4);
  options.lowest = kRam + 0x1000;  // a caller may reserve the start of RAM
  EXPECT_NE(error_of(b.build(), options).find("lies outside RAM 0x80001000-0x80100000"), std::string::npos);
}

// A bad file: a valid one spoiled through the builder or in its bytes.
struct BadFile {
  const char* name;
  std::function<void(ElfBuilder&)> spoil_builder;
  std::function<void(std::vector<uint8_t>&)> spoil_bytes;
  const char* message;
};

TEST_F(ElfImageTest, EachBadFileGetsOneClearError) {
  auto overwrite = [](size_t offset, std::vector<uint8_t> with) {
    return [=](std::vector<uint8_t>& f) { std::memcpy(f.data() + offset, with.data(), with.size()); };
  };
  using Bytes = std::vector<uint8_t>;
  const BadFile cases[] = {
      {"empty", nullptr, [](Bytes& f) { f.clear(); }, "prog.elf: not an ELF file"},
      {"text", nullptr,
       [](Bytes& f) {
         f.assign({'#', '!', '/', 'b', 'i', 'n'});
       },
       "prog.elf: not an ELF file"},
      {"cut in the ident", nullptr, [](Bytes& f) { f.resize(6); },
       "prog.elf: truncated ELF file (header incomplete)"},
      {"cut in the header", nullptr, [](Bytes& f) { f.resize(40); },
       "prog.elf: truncated ELF file (header incomplete)"},
      {"32-bit", [](ElfBuilder& b) { b.elf_class = ELFCLASS32; }, nullptr,
       "prog.elf: a 32-bit ELF file, not a RISC-V 64-bit one"},
      {"big-endian", [](ElfBuilder& b) { b.data = ELFDATA2MSB; }, nullptr,
       "prog.elf: a big-endian ELF file, not a RISC-V 64-bit one"},
      {"x86-64", [](ElfBuilder& b) { b.machine = EM_X86_64; }, nullptr,
       "prog.elf: an ELF file for x86-64, not RISC-V"},
      {"aarch64", [](ElfBuilder& b) { b.machine = EM_AARCH64; }, nullptr,
       "prog.elf: an ELF file for aarch64, not RISC-V"},
      {"shared object", [](ElfBuilder& b) { b.type = ET_DYN; }, nullptr,
       "prog.elf: not a fixed-address executable (ELF type 3"},
      {"no program headers", [](ElfBuilder& b) { b.segments.clear(); }, nullptr,
       "prog.elf: no program headers"},
      {"program headers past the end", nullptr, overwrite(offsetof(Elf64_Ehdr, e_phoff), {0xf0, 0xff, 0, 0}),
       "prog.elf: truncated ELF file (program headers past the end)"},
      {"small program header size", nullptr, overwrite(offsetof(Elf64_Ehdr, e_phentsize), {8, 0}),
       "prog.elf: bad program header size 8"},
      {"segment data past the end", nullptr,
       [](Bytes& f) { f.resize(sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr) + 2); },
       "prog.elf: truncated ELF file (segment 1 data past the end)"},
      {"file bytes beyond memory bytes", [](ElfBuilder& b) { b.segments[1].memsz = 1; }, nullptr,
       "prog.elf: segment 2 has more file bytes than memory bytes"},
      {"segment below RAM", [](ElfBuilder& b) { b.segments[1].paddr = 0x7ffff000; }, nullptr,
       "prog.elf: segment 2 at 0x7ffff000 (0x4 bytes) lies outside RAM 0x80000000-0x80100000"},
      {"segment past the end of RAM", [](ElfBuilder& b) { b.segments[1].paddr = kRam + kRamSize - 2; },
       nullptr, "prog.elf: segment 2 at 0x800ffffe (0x4 bytes) lies outside RAM"},
      {"segment wrapping around",
       [](ElfBuilder& b) {
         b.segments[1].paddr = kRam + 0x1000;
         b.segments[1].memsz = ~0ull - 0x10;
       },
       nullptr, "prog.elf: segment 2 at 0x80001000 (0xffffffffffffffef bytes) lies outside RAM"},
      {"only a non-load segment",
       [](ElfBuilder& b) {
         b.segments.resize(1);
         b.segments[0].type = PT_NOTE;
       },
       nullptr, "prog.elf: no loadable segments"},
      {"entry outside RAM", [](ElfBuilder& b) { b.entry = 0x1000; }, nullptr,
       "prog.elf: entry point 0x1000 lies outside RAM 0x80000000-0x80100000"},
      {"section headers past the end", nullptr, [](Bytes& f) { f.resize(f.size() - 10); },
       "prog.elf: truncated ELF file (section headers past the end)"},
  };
  for (const BadFile& c : cases) {
    SCOPED_TRACE(c.name);
    ElfBuilder b;
    b.code(kRam, {0x0000006f, 0x00000013});
    b.segment(kRam + 0x100, {1, 2, 3, 4});
    b.symbol("tohost", kRam + 0x200);
    if (c.spoil_builder) c.spoil_builder(b);
    std::vector<uint8_t> file = b.build();
    if (c.spoil_bytes) c.spoil_bytes(file);
    const std::string message = error_of(file);
    EXPECT_EQ(message.rfind(c.message, 0), 0u) << message;
    EXPECT_EQ(byte(kRam), 0xee) << "nothing is copied from a bad file";
  }
}

TEST_F(ElfImageTest, FileErrorsNameThePath) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string missing = (dir / "strata-no-such-program.elf").string();
  try {
    load_elf(missing, ram_);
    FAIL() << "loaded a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": No such file or directory");
  }
  try {
    load_elf(dir.string(), ram_);
    FAIL() << "loaded a directory";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.string() + ": not a regular file");
  }
  const std::string path = (dir / ("strata-elf-image-test-" + std::to_string(getpid()) + ".elf")).string();
  ElfBuilder b;
  b.code(kRam, {0x0000006f});
  const auto bytes = b.build();
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  EXPECT_EQ(load_elf(path, ram_).entry, kRam);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace strata
