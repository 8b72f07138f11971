#include "cpu/mmu/system_mmu.h"

#include "cpu/hart.h"
#include "mem/bus.h"

namespace strata {

namespace {
uint64_t access_fault(Access a) {
  return a == Access::Exec ? cause::kInsnAccess : a == Access::Read ? cause::kLoadAccess : cause::kStoreAccess;
}
}  // namespace

Translation SystemMmu::physical(Hart& h, uint64_t pa, Access access, Priv priv) {
  Translation t;
  t.pa = pa;
  if (uint8_t* host = bus_.ram_ptr(pa, 1)) {
    t.ok = true;
    t.host = host;
    t.cacheable = true;
    return t;
  }
  // Not RAM: a device region (the bus decides at access time) or nothing at all.
  for (const MmioRegion& r : bus_.regions())
    if (pa >= r.base && pa - r.base < r.size) {
      t.ok = true;
      return t;
    }
  t.cause = access_fault(access);
  return t;
}

Translation SystemMmu::translate(Hart& h, uint64_t va, Access access) {
  const Priv priv = access == Access::Exec ? h.priv : h.data_priv();
  // Paged translation is added with the Sv39/48/57 walker; until then only Bare/M-mode.
  return physical(h, va, access, priv);
}

void SystemMmu::fence(Hart&, bool, uint64_t, bool, uint64_t) {}

}  // namespace strata
