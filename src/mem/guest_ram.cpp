#include "mem/guest_ram.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace strata {

GuestRam::GuestRam(uint64_t base, uint64_t size) : base_(base), size_(size) {
  if (size == 0 || size % 4096 != 0) fail("guest RAM size {:#x} is not a non-zero multiple of 4 KiB", size);
  if (base + size < base) fail("guest RAM at {:#x} of size {:#x} wraps around", base, size);
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fail("cannot reserve {} MiB of guest RAM: {}", size >> 20, std::strerror(errno));
  host_ = static_cast<uint8_t*>(p);
}

GuestRam::~GuestRam() { munmap(host_, size_); }

}  // namespace strata
