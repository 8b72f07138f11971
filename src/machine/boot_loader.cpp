#include "machine/boot_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "machine/elf_image.h"
#include "machine/host_file.h"
#include "machine/linux_image.h"
#include "machine/memory_map.h"
#include "mem/guest_ram.h"
#include "util/error.h"

namespace strata {

namespace {

constexpr uint64_t kPage = 4096;
uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

std::string range(uint64_t start, uint64_t end) { return fmt::format("[{:#x}, {:#x})", start, end); }

// Reads the whole file into RAM at `addr` after checking it fits below `limit`.
void read_into_ram(const HostFile& file, GuestRam& ram, uint64_t addr, uint64_t limit) {
  if (addr < ram.base() || addr > limit || file.size() > limit - addr)
    fail("{} {} ({}) does not fit at {:#x}: only {} of RAM left there (--memory is {})", file.role(),
         file.path(), format_size(file.size()), addr, format_size(limit > addr ? limit - addr : 0),
         format_size(ram.size()));
  file.read_at(0, *ram.slice(addr, file.size()));
}

uint64_t le64(const std::vector<uint8_t>& b, size_t off) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && off + i < b.size(); i++) v |= uint64_t(b[off + i]) << (8 * i);
  return v;
}

void load_firmware(GuestRam& ram, const std::string& path, BootLayout& out) {
  const HostFile file(path, "--bios firmware");
  const uint64_t limit = ram.base() + virt::kKernelOffset;
  const std::vector<uint8_t> head = file.head(64);
  out.firmware_start = ram.base();
  if (detect_kernel_format(head) == KernelFormat::Elf) {
    ElfLoadOptions options;
    options.highest = limit;
    const ElfImage elf = load_elf(path, ram, options);
    out.firmware_entry = elf.entry;
    out.firmware_start = elf.low;
    out.firmware_end = elf.high;
    return;
  }
  if (file.size() > virt::kKernelOffset)
    fail("--bios firmware {} ({}) is larger than the {} below the kernel", path, format_size(file.size()),
         format_size(virt::kKernelOffset));
  read_into_ram(file, ram, ram.base(), limit);
  out.firmware_entry = ram.base();
  out.firmware_end = ram.base() + file.size();
}

void load_image(GuestRam& ram, const HostFile& file, const std::vector<uint8_t>& head, BootLayout& out) {
  const LinuxImageHeader h = parse_linux_image_header(head, file.path());
  const uint64_t offset = h.text_offset ? h.text_offset : virt::kKernelOffset;
  if (offset % kPage != 0 || offset >= ram.size())
    fail("kernel {}: its header asks for text_offset {:#x}, which this board cannot honour", file.path(),
         h.text_offset);
  const uint64_t start = ram.base() + offset;
  const uint64_t footprint = std::max(h.image_size, file.size());
  if (footprint > ram.end() - start)
    fail("kernel {} needs {} at {:#x}, more than the {} of RAM there (--memory is {})", file.path(),
         format_size(footprint), start, format_size(ram.end() - start), format_size(ram.size()));
  read_into_ram(file, ram, start, ram.end());
  out.kernel_entry = start;
  out.kernel_start = start;
  out.kernel_end = start + footprint;
}

// The PT_LOAD segments' lowest physical and virtual addresses and the virtual span, read
// from the file's program headers (load_elf checks everything again; a malformed file gets
// its error there).
struct ElfSpans {
  bool ok = false;
  uint64_t entry = 0, min_paddr = ~0ull, max_pend = 0, min_vaddr = ~0ull, max_vend = 0;
};

ElfSpans elf_spans(const HostFile& file) {
  ElfSpans s;
  const std::vector<uint8_t> eh = file.head(64);
  if (eh.size() < 64) return s;
  s.entry = le64(eh, 24);
  const uint64_t phoff = le64(eh, 32);
  const unsigned phentsize = eh[54] | eh[55] << 8, phnum = eh[56] | eh[57] << 8;
  if (phentsize < 56 || phoff > file.size() || uint64_t(phnum) * phentsize > file.size() - phoff) return s;
  std::vector<uint8_t> ph(size_t(phnum) * phentsize);
  file.read_at(phoff, ph);
  for (unsigned i = 0; i < phnum; i++) {
    const size_t o = size_t(i) * phentsize;
    const uint32_t type = uint32_t(le64(ph, o) & 0xffffffff);
    const uint64_t vaddr = le64(ph, o + 16), paddr = le64(ph, o + 24), memsz = le64(ph, o + 40);
    if (type != 1 /* PT_LOAD */ || memsz == 0) continue;
    s.min_paddr = std::min(s.min_paddr, paddr);
    s.max_pend = std::max(s.max_pend, paddr + memsz);
    s.min_vaddr = std::min(s.min_vaddr, vaddr);
    s.max_vend = std::max(s.max_vend, vaddr + memsz);
    s.ok = true;
  }
  return s;
}

void load_elf_kernel(GuestRam& ram, const HostFile& file, BootLayout& out) {
  ElfLoadOptions options;
  options.lowest = out.firmware_end ? ram.base() + virt::kKernelOffset : ram.base();
  // A vmlinux is linked at virtual addresses (its physical ones start at 0); like an Image it
  // runs from wherever it is put until it turns the MMU on, so it moves to RAM + 2 MiB as a
  // whole: segments by their physical offset, the (virtual) entry by its virtual offset.
  const ElfSpans s = elf_spans(file);
  const bool in_place =
      s.ok && ram.contains(s.min_paddr, s.max_pend - s.min_paddr) && ram.contains(s.entry, 1);
  if (s.ok && !in_place) {
    const uint64_t load = ram.base() + virt::kKernelOffset;
    options.translate = [s, load](uint64_t a) {
      if (a >= s.min_vaddr && a < s.max_vend) return a - s.min_vaddr + load;
      return a - s.min_paddr + load;
    };
  }
  const ElfImage elf = load_elf(file.path(), ram, options);
  out.kernel_entry = elf.entry;
  out.kernel_start = elf.low;
  out.kernel_end = elf.high;
}

void load_kernel(GuestRam& ram, const std::string& path, BootLayout& out) {
  const HostFile file(path, "kernel");
  const std::vector<uint8_t> head = file.head(kLinuxImageHeaderSize);
  switch (detect_kernel_format(head)) {
    case KernelFormat::LinuxImage:
      load_image(ram, file, head, out);
      break;
    case KernelFormat::Elf:
      load_elf_kernel(ram, file, out);
      break;
    case KernelFormat::Gzip:
      fail("kernel {} is gzip-compressed (Image.gz); decompress it first: gunzip -k {}", path, path);
    case KernelFormat::EfiZboot:
      fail("kernel {} is an EFI zboot image (vmlinuz.efi); Strata boots the Image inside it", path);
    case KernelFormat::Unknown:
      fail("kernel {}: neither a RISC-V Linux Image nor an ELF file", path);
  }
  if (out.firmware_end > out.kernel_start)
    fail("kernel {} at {} overlaps the --bios firmware at {}", path, range(out.kernel_start, out.kernel_end),
         range(out.firmware_start, out.firmware_end));
}

}  // namespace

std::string format_size(uint64_t bytes) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0) return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (1ull << 20)) return fmt::format("{:.1f} MiB", double(bytes) / (1 << 20));
  if (bytes >= (1ull << 10)) return fmt::format("{:.1f} KiB", double(bytes) / (1 << 10));
  return fmt::format("{} bytes", bytes);
}

BootLayout load_boot_images(GuestRam& ram, const BootFiles& files, const DtbBuilder& build_dtb) {
  BootLayout out;
  if (!files.firmware.empty()) load_firmware(ram, files.firmware, out);
  load_kernel(ram, files.kernel, out);

  // The device tree's size does not depend on where the initrd goes: place it first.
  std::unique_ptr<HostFile> initrd;
  if (!files.initrd.empty()) initrd = std::make_unique<HostFile>(files.initrd, "initrd");
  const uint64_t dtb_size = build_dtb(initrd ? 1 : 0, initrd ? 2 : 0).size();
  const uint64_t dtb_room = align_up(dtb_size, kPage) + kDtbSlack;
  if (dtb_room > ram.end() - out.kernel_end)
    fail("no room for the device tree above the kernel (it ends at {:#x}; RAM ends at {:#x}): raise --memory",
         out.kernel_end, ram.end());
  out.dtb_start = align_down(ram.end() - dtb_room, kPage);

  uint64_t free_top = out.dtb_start;
  if (initrd) {
    const uint64_t room = free_top - out.kernel_end;
    if (initrd->size() > room)
      fail(
          "initrd {} ({}) does not fit between the kernel and the device tree ({} free; --memory is {}): "
          "raise --memory",
          initrd->path(), format_size(initrd->size()), format_size(room), format_size(ram.size()));
    out.initrd_start = align_down(free_top - initrd->size(), kPage);
    if (out.initrd_start < out.kernel_end) out.initrd_start = out.kernel_end;  // tight fit, unaligned
    out.initrd_end = out.initrd_start + initrd->size();
    read_into_ram(*initrd, ram, out.initrd_start, free_top);
  }

  const std::vector<uint8_t> dtb = build_dtb(out.initrd_start, out.initrd_end);
  if (dtb.size() != dtb_size) fail("device tree: its size changed with the initrd address (a bug)");
  out.dtb_end = out.dtb_start + dtb.size();
  std::memcpy(ram.slice(out.dtb_start, dtb.size())->data(), dtb.data(), dtb.size());
  return out;
}

}  // namespace strata
