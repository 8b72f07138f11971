#pragma once
// Builds small RISC-V ELF64 files in memory for the loader, bare-runner and kernel-loader
// tests: PT_LOAD segments (virtual address = physical unless given), an optional .symtab,
// and every header field a test may want to spoil.
#include <elf.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace strata::testing {

struct ElfBuilder {
  struct Segment {
    uint64_t paddr;
    std::vector<uint8_t> bytes;
    uint64_t memsz;  // >= bytes.size() for a valid file
    uint32_t type = PT_LOAD;
    uint64_t vaddr = paddr;  // differs in a vmlinux
  };
  uint8_t elf_class = ELFCLASS64;
  uint8_t data = ELFDATA2LSB;
  uint16_t type = ET_EXEC;
  uint16_t machine = EM_RISCV;
  uint64_t entry = 0x80000000;
  std::vector<Segment> segments;
  std::vector<std::pair<std::string, uint64_t>> symbols;  // written as a .symtab when present

  ElfBuilder& segment(uint64_t paddr, std::vector<uint8_t> bytes, uint64_t memsz = 0) {
    const uint64_t size = bytes.size();
    segments.push_back({paddr, std::move(bytes), memsz ? memsz : size});
    return *this;
  }
  ElfBuilder& code(uint64_t paddr, const std::vector<uint32_t>& words, uint64_t memsz = 0) {
    std::vector<uint8_t> bytes(words.size() * 4);
    std::memcpy(bytes.data(), words.data(), bytes.size());
    return segment(paddr, std::move(bytes), memsz);
  }
  // Gives the last segment a virtual address of its own.
  ElfBuilder& at_virtual(uint64_t vaddr) {
    segments.back().vaddr = vaddr;
    return *this;
  }
  ElfBuilder& symbol(std::string name, uint64_t value) {
    symbols.emplace_back(std::move(name), value);
    return *this;
  }

  std::vector<uint8_t> build() const {
    std::vector<uint8_t> out(sizeof(Elf64_Ehdr) + segments.size() * sizeof(Elf64_Phdr));
    std::vector<Elf64_Phdr> ph;
    for (const Segment& s : segments) {
      Elf64_Phdr p{};
      p.p_type = s.type;
      p.p_flags = PF_R | PF_W | PF_X;
      p.p_offset = out.size();
      p.p_vaddr = s.vaddr;
      p.p_paddr = s.paddr;
      p.p_filesz = s.bytes.size();
      p.p_memsz = s.memsz;
      p.p_align = 8;
      out.insert(out.end(), s.bytes.begin(), s.bytes.end());
      ph.push_back(p);
    }
    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = elf_class;
    eh.e_ident[EI_DATA] = data;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = type;
    eh.e_machine = machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = uint16_t(segments.size());
    if (!symbols.empty()) {
      // .strtab, then .symtab (entry 0 is the null symbol), then the section headers.
      std::string strtab(1, '\0');
      std::vector<Elf64_Sym> syms(1);
      for (const auto& [name, value] : symbols) {
        Elf64_Sym s{};
        s.st_name = uint32_t(strtab.size());
        s.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
        s.st_shndx = 1;
        s.st_value = value;
        strtab += name;
        strtab += '\0';
        syms.push_back(s);
      }
      const uint64_t strtab_off = out.size();
      out.insert(out.end(), strtab.begin(), strtab.end());
      while (out.size() % 8) out.push_back(0);
      const uint64_t symtab_off = out.size();
      out.resize(out.size() + syms.size() * sizeof(Elf64_Sym));
      std::memcpy(out.data() + symtab_off, syms.data(), syms.size() * sizeof(Elf64_Sym));
      Elf64_Shdr sh[3]{};
      sh[1].sh_type = SHT_SYMTAB;
      sh[1].sh_offset = symtab_off;
      sh[1].sh_size = syms.size() * sizeof(Elf64_Sym);
      sh[1].sh_link = 2;
      sh[1].sh_entsize = sizeof(Elf64_Sym);
      sh[2].sh_type = SHT_STRTAB;
      sh[2].sh_offset = strtab_off;
      sh[2].sh_size = strtab.size();
      eh.e_shoff = out.size();
      eh.e_shentsize = sizeof(Elf64_Shdr);
      eh.e_shnum = 3;
      out.resize(out.size() + sizeof sh);
      std::memcpy(out.data() + eh.e_shoff, sh, sizeof sh);
    }
    std::memcpy(out.data(), &eh, sizeof eh);
    if (!ph.empty()) std::memcpy(out.data() + eh.e_phoff, ph.data(), ph.size() * sizeof(Elf64_Phdr));
    return out;
  }
};

}  // namespace strata::testing
