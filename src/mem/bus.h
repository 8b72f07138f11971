#pragma once
// The physical address space of a machine: RAM plus MMIO regions. map() refuses a region
// that overlaps one already present. All accesses are bounds-checked; an access that hits
// nothing reports failure (the hart turns that into an access fault).
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mem/code_pages.h"
#include "mem/guest_ram.h"
#include "mem/mmio_device.h"

namespace strata {

struct MmioRegion {
  uint64_t base;
  uint64_t size;
  MmioDevice* device;
  std::unique_ptr<std::mutex> lock;  // devices are reached from several hart threads
};

class Bus {
 public:
  // RAM regions and MMIO regions share one overlap check.
  void add_ram(GuestRam& ram);
  void map(uint64_t base, uint64_t size, MmioDevice& device);

  // Host pointer for [pa, pa+len) if it lies wholly inside one RAM region, else nullptr.
  uint8_t* ram_ptr(uint64_t pa, uint64_t len) const {
    for (GuestRam* r : rams_)
      if (r->contains(pa, len)) return r->host(pa);
    return nullptr;
  }
  GuestRam* ram_at(uint64_t pa) const {
    for (GuestRam* r : rams_)
      if (r->contains(pa, 1)) return r;
    return nullptr;
  }
  const std::vector<GuestRam*>& rams() const { return rams_; }
  const std::vector<MmioRegion>& regions() const { return regions_; }
  // The pages of this machine's RAM that hold code an engine derived (every hart's).
  // Reachable from a const Bus: devices that only read the memory map still report DMA.
  CodePages& code_pages() const { return code_pages_; }

  // Size is 1, 2, 4 or 8; the access must lie inside one region. False: nothing there.
  bool read(uint64_t pa, unsigned size, uint64_t& value);
  bool write(uint64_t pa, unsigned size, uint64_t value);

 private:
  void check_free(uint64_t base, uint64_t size, const std::string& what) const;
  MmioRegion* find_mmio(uint64_t pa, unsigned size);

  std::vector<GuestRam*> rams_;
  std::vector<MmioRegion> regions_;
  mutable CodePages code_pages_;
};

}  // namespace strata
