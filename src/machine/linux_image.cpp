#include "machine/linux_image.h"

#include <cstring>

#include "util/error.h"

namespace strata {

namespace {

uint64_t le(std::span<const uint8_t> bytes, size_t offset, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; i++) v |= uint64_t(bytes[offset + i]) << (8 * i);
  return v;
}

bool has_image_magic(std::span<const uint8_t> head) {
  if (head.size() < kLinuxImageHeaderSize) return false;
  return std::memcmp(head.data() + 0x38, "RSC\x05", 4) == 0 ||
         std::memcmp(head.data() + 0x30, "RISCV\0\0\0", 8) == 0;
}

}  // namespace

KernelFormat detect_kernel_format(std::span<const uint8_t> head) {
  if (has_image_magic(head)) return KernelFormat::LinuxImage;
  if (head.size() >= 4 && std::memcmp(head.data(),
                                      "\x7f"
                                      "ELF",
                                      4) == 0)
    return KernelFormat::Elf;
  if (head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b) return KernelFormat::Gzip;
  if (head.size() >= 8 && head[0] == 'M' && head[1] == 'Z' && std::memcmp(head.data() + 4, "zimg", 4) == 0)
    return KernelFormat::EfiZboot;
  return KernelFormat::Unknown;
}

LinuxImageHeader parse_linux_image_header(std::span<const uint8_t> head, const std::string& path) {
  if (head.size() < kLinuxImageHeaderSize)
    fail("{}: too short for a RISC-V Linux Image ({} bytes, the header alone is {})", path, head.size(),
         kLinuxImageHeaderSize);
  if (!has_image_magic(head))
    fail("{}: not a RISC-V Linux Image (no \"RSC\\x05\" magic at offset 0x38)", path);
  LinuxImageHeader h;
  h.text_offset = le(head, 0x08, 8);
  h.image_size = le(head, 0x10, 8);
  h.flags = le(head, 0x18, 8);
  h.version = uint32_t(le(head, 0x20, 4));
  if (h.flags & 1) fail("{}: a big-endian RISC-V Image; Strata runs little-endian guests", path);
  return h;
}

}  // namespace strata
