#include "mem/bus.h"

#include <cstring>

#include "util/error.h"

namespace strata {

void Bus::check_free(uint64_t base, uint64_t size, const std::string& what) const {
  if (size == 0 || base + size < base) fail("{}: empty or wrapping region at {:#x}", what, base);
  auto overlaps = [&](uint64_t b, uint64_t s) { return base < b + s && b < base + size; };
  for (const GuestRam* r : rams_)
    if (overlaps(r->base(), r->size()))
      fail("{} at {:#x}+{:#x} overlaps RAM at {:#x}", what, base, size, r->base());
  for (const MmioRegion& m : regions_)
    if (overlaps(m.base, m.size))
      fail("{} at {:#x}+{:#x} overlaps {} at {:#x}", what, base, size, m.device->name(), m.base);
}

void Bus::add_ram(GuestRam& ram) {
  check_free(ram.base(), ram.size(), "RAM");
  rams_.push_back(&ram);
}

void Bus::map(uint64_t base, uint64_t size, MmioDevice& device) {
  check_free(base, size, std::string(device.name()));
  regions_.push_back(MmioRegion{base, size, &device, std::make_unique<std::mutex>()});
}

MmioRegion* Bus::find_mmio(uint64_t pa, unsigned size) {
  for (MmioRegion& m : regions_)
    if (pa >= m.base && pa - m.base < m.size && size <= m.size - (pa - m.base)) return &m;
  return nullptr;
}

bool Bus::read(uint64_t pa, unsigned size, uint64_t& value) {
  if (uint8_t* p = ram_ptr(pa, size)) {
    value = 0;
    std::memcpy(&value, p, size);
    return true;
  }
  MmioRegion* m = find_mmio(pa, size);
  if (!m) return false;
  std::lock_guard guard(*m->lock);
  value = m->device->read(pa - m->base, size);
  return true;
}

bool Bus::write(uint64_t pa, unsigned size, uint64_t value) {
  if (uint8_t* p = ram_ptr(pa, size)) {
    std::memcpy(p, &value, size);
    return true;
  }
  MmioRegion* m = find_mmio(pa, size);
  if (!m) return false;
  std::lock_guard guard(*m->lock);
  m->device->write(pa - m->base, size, value);
  return true;
}

}  // namespace strata
