#include "machine/elf_image.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "mem/guest_ram.h"
#include "util/elf_machine.h"
#include "util/error.h"
#include "util/read_file.h"

namespace strata {
namespace {

// [offset, offset+size) lies inside a file of `file_size` bytes (no overflow).
bool inside(uint64_t offset, uint64_t size, uint64_t file_size) {
  return offset <= file_size && size <= file_size - offset;
}

template <typename T>
T read_struct(std::span<const uint8_t> file, uint64_t offset) {
  T value;
  std::memcpy(&value, file.data() + offset, sizeof value);
  return value;
}

Elf64_Ehdr check_header(std::span<const uint8_t> f, const std::string& what) {
  if (f.size() < SELFMAG || std::memcmp(f.data(), ELFMAG, SELFMAG) != 0) fail("{}: not an ELF file", what);
  if (f.size() < EI_NIDENT) fail("{}: truncated ELF file (header incomplete)", what);
  if (f[EI_CLASS] != ELFCLASS64) fail("{}: a 32-bit ELF file, not a RISC-V 64-bit one", what);
  if (f[EI_DATA] != ELFDATA2LSB) fail("{}: a big-endian ELF file, not a RISC-V 64-bit one", what);
  if (f.size() < sizeof(Elf64_Ehdr)) fail("{}: truncated ELF file (header incomplete)", what);
  const auto eh = read_struct<Elf64_Ehdr>(f, 0);
  if (eh.e_machine != EM_RISCV)
    fail("{}: an ELF file for {}, not RISC-V", what, elf_machine_name(eh.e_machine));
  if (eh.e_type != ET_EXEC)
    fail("{}: not a fixed-address executable (ELF type {}; link it with -static at fixed addresses)", what,
         eh.e_type);
  if (eh.e_phnum == 0) fail("{}: no program headers", what);
  if (eh.e_phentsize < sizeof(Elf64_Phdr)) fail("{}: bad program header size {}", what, eh.e_phentsize);
  if (!inside(eh.e_phoff, uint64_t(eh.e_phnum) * eh.e_phentsize, f.size()))
    fail("{}: truncated ELF file (program headers past the end)", what);
  return eh;
}

// Defined, named symbols of .symtab. A file without section headers (stripped to the bone)
// has none; section headers or a symbol table reaching past the end mean a truncated file.
std::unordered_map<std::string, uint64_t> read_symbols(std::span<const uint8_t> f, const Elf64_Ehdr& eh,
                                                       const std::string& what) {
  std::unordered_map<std::string, uint64_t> symbols;
  if (eh.e_shoff == 0 || eh.e_shnum == 0) return symbols;
  if (eh.e_shentsize < sizeof(Elf64_Shdr)) fail("{}: bad section header size {}", what, eh.e_shentsize);
  if (!inside(eh.e_shoff, uint64_t(eh.e_shnum) * eh.e_shentsize, f.size()))
    fail("{}: truncated ELF file (section headers past the end)", what);
  auto section = [&](unsigned index) {
    return read_struct<Elf64_Shdr>(f, eh.e_shoff + uint64_t(index) * eh.e_shentsize);
  };
  for (unsigned s = 0; s < eh.e_shnum; s++) {
    const Elf64_Shdr sh = section(s);
    if (sh.sh_type != SHT_SYMTAB) continue;
    if (sh.sh_link >= eh.e_shnum) fail("{}: symbol table names a missing string table", what);
    const Elf64_Shdr strtab = section(sh.sh_link);
    if (!inside(sh.sh_offset, sh.sh_size, f.size()) || !inside(strtab.sh_offset, strtab.sh_size, f.size()))
      fail("{}: truncated ELF file (symbol table past the end)", what);
    const uint64_t count = sh.sh_size / sizeof(Elf64_Sym);
    const char* names = reinterpret_cast<const char*>(f.data() + strtab.sh_offset);
    for (uint64_t k = 1; k < count; k++) {
      const auto sym = read_struct<Elf64_Sym>(f, sh.sh_offset + k * sizeof(Elf64_Sym));
      if (sym.st_shndx == SHN_UNDEF || sym.st_name == 0 || sym.st_name >= strtab.sh_size) continue;
      const char* name = names + sym.st_name;
      const size_t len = strnlen(name, strtab.sh_size - sym.st_name);
      if (len == strtab.sh_size - sym.st_name) continue;  // not terminated inside the table
      std::string key(name, len);
      // A global wins over a local of the same name.
      if (ELF64_ST_BIND(sym.st_info) != STB_LOCAL || !symbols.count(key)) symbols[key] = sym.st_value;
    }
  }
  return symbols;
}

}  // namespace

std::optional<uint64_t> ElfImage::symbol(std::string_view name) const {
  const auto it = symbols.find(std::string(name));
  if (it == symbols.end()) return std::nullopt;
  return it->second;
}

ElfImage load_elf(const std::string& path, GuestRam& ram, const ElfLoadOptions& options) {
  const std::vector<uint8_t> data = read_regular_file(path);
  return load_elf_bytes(data, path, ram, options);
}

ElfImage load_elf_bytes(std::span<const uint8_t> f, const std::string& what, GuestRam& ram,
                        const ElfLoadOptions& options) {
  const Elf64_Ehdr eh = check_header(f, what);
  const uint64_t lowest = std::max(options.lowest.value_or(ram.base()), ram.base());
  const uint64_t highest = std::min(options.highest.value_or(ram.end()), ram.end());
  auto translate = [&](uint64_t a) { return options.translate ? options.translate(a) : a; };

  std::vector<Elf64_Phdr> loads;
  ElfImage image;
  image.low = ~0ull;
  for (unsigned i = 0; i < eh.e_phnum; i++) {
    const auto p = read_struct<Elf64_Phdr>(f, eh.e_phoff + uint64_t(i) * eh.e_phentsize);
    if (p.p_type != PT_LOAD || p.p_memsz == 0) continue;
    const unsigned n = i + 1;
    if (!inside(p.p_offset, p.p_filesz, f.size()))
      fail("{}: truncated ELF file (segment {} data past the end)", what, n);
    if (p.p_filesz > p.p_memsz) fail("{}: segment {} has more file bytes than memory bytes", what, n);
    const uint64_t pa = translate(p.p_paddr);
    if (pa < lowest || pa > highest || p.p_memsz > highest - pa)
      fail("{}: segment {} at 0x{:x} (0x{:x} bytes) lies outside RAM 0x{:x}-0x{:x}", what, n, pa, p.p_memsz,
           lowest, highest);
    Elf64_Phdr placed = p;
    placed.p_paddr = pa;
    loads.push_back(placed);
    image.low = std::min(image.low, pa);
    image.high = std::max(image.high, pa + p.p_memsz);
  }
  if (loads.empty()) fail("{}: no loadable segments", what);
  image.entry = translate(eh.e_entry);
  if (image.entry < lowest || image.entry >= highest)
    fail("{}: entry point 0x{:x} lies outside RAM 0x{:x}-0x{:x}", what, image.entry, lowest, highest);
  image.symbols = read_symbols(f, eh, what);

  // Everything is checked: now copy, and zero what the file does not fill (.bss).
  for (const Elf64_Phdr& p : loads) {
    const auto dest = ram.slice(p.p_paddr, p.p_memsz);
    std::memcpy(dest->data(), f.data() + p.p_offset, p.p_filesz);
    std::memset(dest->data() + p.p_filesz, 0, p.p_memsz - p.p_filesz);
  }
  return image;
}

}  // namespace strata
