#include "user/elf_loader.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>

#include "user/address_space.h"
#include "util/elf_machine.h"
#include "util/error.h"
#include "util/read_file.h"

namespace strata::user {
namespace {

constexpr uint64_t kPage = AddressSpace::kPage;
uint64_t page_down(uint64_t v) { return v & ~(kPage - 1); }
uint64_t page_up(uint64_t v) { return (v + kPage - 1) & ~(kPage - 1); }

Elf64_Ehdr header(const std::vector<uint8_t>& f) {
  Elf64_Ehdr eh;
  std::memcpy(&eh, f.data(), sizeof eh);
  return eh;
}

std::vector<Elf64_Phdr> program_headers(const std::vector<uint8_t>& f) {
  const Elf64_Ehdr eh = header(f);
  std::vector<Elf64_Phdr> ph(eh.e_phnum);
  for (unsigned i = 0; i < eh.e_phnum; ++i)
    std::memcpy(&ph[i], f.data() + eh.e_phoff + uint64_t(i) * eh.e_phentsize, sizeof(Elf64_Phdr));
  return ph;
}

struct Placed {
  uint64_t bias = 0, lo = 0, hi = 0;
};

// Maps every PT_LOAD segment of `f` at `bias` (decided by the caller for ET_EXEC, chosen
// here for ET_DYN when `want_base` is 0) and copies the file bytes in.
Placed place(AddressSpace& as, const std::vector<uint8_t>& f, const std::string& what, uint64_t want_base) {
  char resolved[4096];
  const std::string name =
      realpath(what.c_str(), resolved) ? std::string(resolved) : what;  // for /proc/self/maps
  const Elf64_Ehdr eh = header(f);
  const auto ph = program_headers(f);
  uint64_t lo = ~0ull, hi = 0;
  for (const auto& p : ph) {
    if (p.p_type != PT_LOAD || p.p_memsz == 0) continue;
    lo = std::min(lo, page_down(p.p_vaddr));
    hi = std::max(hi, page_up(p.p_vaddr + p.p_memsz));
  }
  if (lo == ~0ull) fail("{}: no loadable segments", what);
  const uint64_t span = hi - lo;
  Placed pl{0, lo, hi};
  if (eh.e_type == ET_EXEC) {
    if (!AddressSpace::in_region(lo, span) || lo < 0x1000)
      fail("{}: segments at 0x{:x}-0x{:x} do not fit in the guest address space (below 0x{:x})", what, lo, hi,
           AddressSpace::kSize);
    const int64_t r =
        as.map(lo, span, kProtRead | kProtWrite, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, name);
    if (r < 0) fail("{}: cannot map segments at 0x{:x}: {}", what, lo, std::strerror(int(-r)));
  } else {
    if (span > AddressSpace::kSize / 4)
      fail("{}: segments span 0x{:x} bytes, too large for the guest", what, span);
    const int64_t r =
        as.map(want_base, span, kProtRead | kProtWrite, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, name);
    if (r < 0) fail("{}: cannot map {} bytes: {}", what, span, std::strerror(int(-r)));
    pl.bias = uint64_t(r) - lo;
  }
  // Copy file contents, then give each page the union of the protections of the segments
  // that touch it (segments may share a page at their edges); gaps stay inaccessible.
  std::map<uint64_t, uint8_t> page_prot;
  for (const auto& p : ph) {
    if (p.p_type != PT_LOAD || p.p_memsz == 0) continue;
    std::memcpy(as.base() + p.p_vaddr + pl.bias, f.data() + p.p_offset, p.p_filesz);
    uint8_t prot = 0;
    if (p.p_flags & PF_R) prot |= kProtRead;
    if (p.p_flags & PF_W) prot |= kProtWrite;
    if (p.p_flags & PF_X) prot |= kProtExec;
    for (uint64_t pg = page_down(p.p_vaddr); pg < page_up(p.p_vaddr + p.p_memsz); pg += kPage)
      page_prot[pg] |= prot;
  }
  for (uint64_t pg = lo; pg < hi; pg += kPage) {
    const auto it = page_prot.find(pg);
    as.protect(pg + pl.bias, kPage, it == page_prot.end() ? 0 : it->second);
  }
  return pl;
}

}  // namespace

void check_elf(const std::vector<uint8_t>& f, const std::string& what) {
  if (f.size() < 4 || std::memcmp(f.data(), ELFMAG, SELFMAG) != 0) fail("{}: not an ELF file", what);
  if (f.size() < sizeof(Elf64_Ehdr)) fail("{}: truncated ELF file (header incomplete)", what);
  if (f[EI_CLASS] != ELFCLASS64 || f[EI_DATA] != ELFDATA2LSB) {
    Elf32_Half m;
    std::memcpy(&m, f.data() + 18, 2);
    fail("{}: is a {}-bit {} ELF file for {}, not riscv64", what, f[EI_CLASS] == ELFCLASS32 ? 32 : 64,
         f[EI_DATA] == ELFDATA2MSB ? "big-endian" : "little-endian", elf_machine_name(m));
  }
  const Elf64_Ehdr eh = header(f);
  if (eh.e_machine != EM_RISCV)
    fail("{}: is an ELF file for {}, not riscv64", what, elf_machine_name(eh.e_machine));
  if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
    fail("{}: not an executable (ELF type {})", what, eh.e_type);
  if (eh.e_phnum == 0) fail("{}: no program headers", what);
  if (eh.e_phentsize < sizeof(Elf64_Phdr)) fail("{}: bad program header size {}", what, eh.e_phentsize);
  if (eh.e_phoff > f.size() || uint64_t(eh.e_phnum) * eh.e_phentsize > f.size() - eh.e_phoff)
    fail("{}: truncated ELF file (program headers past the end)", what);
  unsigned index = 0;
  for (const auto& p : program_headers(f)) {
    ++index;
    if (p.p_type != PT_LOAD && p.p_type != PT_INTERP) continue;
    if (p.p_offset > f.size() || p.p_filesz > f.size() - p.p_offset)
      fail("{}: truncated ELF file (segment {} data past the end)", what, index);
    if (p.p_type != PT_LOAD) continue;
    if (p.p_filesz > p.p_memsz) fail("{}: segment {} has more file bytes than memory bytes", what, index);
    if (p.p_vaddr >= AddressSpace::kSize || p.p_memsz > AddressSpace::kSize - p.p_vaddr)
      fail("{}: segment {} at 0x{:x} (0x{:x} bytes) does not fit in the guest address space (below 0x{:x})",
           what, index, p.p_vaddr, p.p_memsz, AddressSpace::kSize);
  }
}

FileKind classify_file(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileKind::Unknown;
  uint8_t h[64] = {};
  const ssize_t n = pread(fd, h, sizeof h, 0);
  close(fd);
  if (n >= 2 && h[0] == '#' && h[1] == '!') return FileKind::Script;
  if (n < 20 || std::memcmp(h, ELFMAG, SELFMAG) != 0) return FileKind::Unknown;
  uint16_t machine;
  std::memcpy(&machine, h + 18, 2);
  return h[EI_CLASS] == ELFCLASS64 && machine == EM_RISCV ? FileKind::Riscv64Elf : FileKind::OtherElf;
}

std::string resolve_in_sysroot(const std::string& sysroot, const std::string& path) {
  if (sysroot.empty() || path.empty() || path[0] != '/') return path;
  const std::string inside = sysroot + path;
  struct stat st;
  return lstat(inside.c_str(), &st) == 0 ? inside : path;
}

LoadedImage load_program(AddressSpace& as, const std::string& path, const std::string& sysroot) {
  const std::vector<uint8_t> f = read_regular_file(path);
  check_elf(f, path);
  const Elf64_Ehdr eh = header(f);
  const auto ph = program_headers(f);

  std::string interp;
  for (const auto& p : ph) {
    if (p.p_type != PT_INTERP) continue;
    const char* s = reinterpret_cast<const char*>(f.data() + p.p_offset);
    if (p.p_filesz == 0 || std::memchr(s, 0, p.p_filesz) == nullptr)
      fail("{}: malformed PT_INTERP (no terminating NUL)", path);
    interp = s;
  }

  const Placed exe = place(as, f, path, AddressSpace::kPieBase);
  LoadedImage img;
  img.program_entry = eh.e_entry + exe.bias;
  img.entry = img.program_entry;
  img.phent = sizeof(Elf64_Phdr);
  img.phnum = eh.e_phnum;
  img.brk_start = exe.hi + exe.bias;
  for (const auto& p : ph)
    if (p.p_type == PT_PHDR) img.phdr = p.p_vaddr + exe.bias;
  if (!img.phdr)
    for (const auto& p : ph)
      if (p.p_type == PT_LOAD && p.p_offset <= eh.e_phoff && eh.e_phoff < p.p_offset + p.p_filesz)
        img.phdr = p.p_vaddr + (eh.e_phoff - p.p_offset) + exe.bias;

  if (!interp.empty()) {
    const std::string host_interp = resolve_in_sysroot(sysroot, interp);
    struct stat st;
    if (stat(host_interp.c_str(), &st) != 0)
      fail("{}: program interpreter {} not found{}", path, interp,
           sysroot.empty() ? std::string(" (use -L SYSROOT to point at a riscv64 root)")
                           : fmt::format(" under {} or /", sysroot));
    const std::vector<uint8_t> fi = read_regular_file(host_interp);
    check_elf(fi, host_interp);
    if (header(fi).e_type != ET_DYN) fail("{}: program interpreter is not position-independent", host_interp);
    const Placed ip = place(as, fi, host_interp, 0);
    img.interp_base = ip.lo + ip.bias;
    img.entry = header(fi).e_entry + ip.bias;
    img.interp_path = host_interp;
  }
  return img;
}

}  // namespace strata::user
