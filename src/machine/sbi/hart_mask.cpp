#include "machine/sbi/hart_mask.h"

#include <algorithm>
#include <cstring>

#include "cpu/tlb.h"
#include "cpu/translator.h"

namespace strata::sbi {

int64_t decode_hart_mask(SbiPlatform& platform, uint64_t mask, uint64_t base, std::vector<uint64_t>& harts) {
  const uint64_t count = platform.hart_count();
  harts.clear();
  if (base == kAllHarts) {
    for (uint64_t id = 0; id < count; id++) harts.push_back(id);
    return kSuccess;
  }
  if (base >= count) return kErrInvalidParam;
  // Every named hart must exist: base + bit < count, checked without overflow.
  if (mask && uint64_t(63 - __builtin_clzll(mask)) >= count - base) return kErrInvalidParam;
  for (uint64_t m = mask; m; m &= m - 1) harts.push_back(base + __builtin_ctzll(m));
  return kSuccess;
}

bool read_guest_virtual(Hart& hart, uint64_t va, void* out, uint64_t len, GuestFault& fault) {
  auto* dst = static_cast<uint8_t*>(out);
  while (len) {
    // One piece per page: a translation covers one page only.
    const uint64_t in_page = kPageSize - (va & ~kPageMask);
    const unsigned piece = unsigned(std::min<uint64_t>({len, in_page, 8}));
    const Translation t = hart.translator->translate_bytes(hart, va, Access::Read, piece);
    if (!t.ok || !t.host) {  // a device is no place for a hart mask: an access fault
      fault = {t.ok ? cause::kLoadAccess : t.cause, va};
      return false;
    }
    std::memcpy(dst, t.host, piece);
    dst += piece;
    va += piece;
    len -= piece;
  }
  return true;
}

bool read_legacy_hart_mask(const Call& call, uint64_t pointer, std::vector<uint64_t>& harts,
                           GuestFault& fault) {
  const uint64_t count = call.platform.hart_count();
  harts.clear();
  if (pointer == 0) {
    for (uint64_t id = 0; id < count; id++) harts.push_back(id);
    return true;
  }
  for (uint64_t word = 0; word * 64 < count; word++) {
    uint64_t bits = 0;
    if (!read_guest_virtual(call.hart, pointer + word * 8, &bits, 8, fault)) return false;
    for (; bits; bits &= bits - 1) {
      const uint64_t id = word * 64 + __builtin_ctzll(bits);
      if (id < count) harts.push_back(id);
    }
  }
  return true;
}

}  // namespace strata::sbi
