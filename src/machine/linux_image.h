#pragma once
// The header of a RISC-V Linux `Image` (Documentation/riscv/boot-image-header.rst):
//
//   0x00 code0, code1      (the first instructions; the image is entered at its start)
//   0x08 text_offset       where the image wants to sit, relative to the start of RAM
//   0x10 image_size        the memory it occupies once running (bss included); 0 on old kernels
//   0x18 flags             bit 0: endianness (0 = little)
//   0x20 version           major << 16 | minor
//   0x30 magic             "RISCV\0\0\0" (deprecated but still written)
//   0x38 magic2            "RSC\x05"
//
// Other files a user might give as a kernel are recognised only to say what to do with them.
#include <cstdint>
#include <span>
#include <string>

namespace strata {

inline constexpr uint64_t kLinuxImageHeaderSize = 64;

struct LinuxImageHeader {
  uint64_t text_offset = 0;
  uint64_t image_size = 0;  // as written in the header (0: unknown, use the file size)
  uint64_t flags = 0;
  uint32_t version = 0;
};

enum class KernelFormat {
  LinuxImage,  // a RISC-V Image: the header above
  Elf,         // an ELF file (vmlinux or a bare S-mode payload)
  Gzip,        // a gzip'ed Image (Image.gz): must be decompressed first
  EfiZboot,    // an EFI zboot image (vmlinuz.efi): must be extracted first
  Unknown,
};

// What the first bytes of a kernel file say it is (needs at least 64 bytes to say Image).
KernelFormat detect_kernel_format(std::span<const uint8_t> head);

// Parses the Image header at the start of `head`. Throws strata::Error naming `path` when
// the file is too short, the magic is missing, or the image is big-endian.
LinuxImageHeader parse_linux_image_header(std::span<const uint8_t> head, const std::string& path);

}  // namespace strata
