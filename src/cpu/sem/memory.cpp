// The slow path of guest loads and stores: TLB misses, MMIO, misaligned accesses, faults,
// and stores into pages the engine has decoded code from.
#include "cpu/sem/memory.h"

#include <cstring>

#include "cpu/hart.h"
#include "cpu/trap.h"
#include "mem/bus.h"
#include "mem/code_pages.h"

namespace strata::sem {
namespace {

uint64_t access_fault(Access a) { return a == Access::Read ? cause::kLoadAccess : cause::kStoreAccess; }
uint64_t misaligned(Access a) { return a == Access::Read ? cause::kLoadMisaligned : cause::kStoreMisaligned; }

void fill_tlb(Hart& h, uint64_t va, const Translation& t, Access a) {
  TlbEntry& e = h.dtlb->slot(va);
  const uint64_t vbase = va & kPageMask, pbase = t.pa & kPageMask;
  const uintptr_t addend = uintptr_t(t.host - (t.pa - pbase)) - vbase;
  const bool same_page = e.pa_page == pbase && e.addend == addend &&
                         (e.tag_read == vbase || e.tag_write == vbase || e.tag_exec == vbase);
  if (!same_page) e = TlbEntry{};
  e.pa_page = pbase;
  e.addend = addend;
  if (a == Access::Read) e.tag_read = vbase;
  if (a == Access::Write && !h.code_pages->held(pbase)) e.tag_write = vbase;
}

// One access that lies within a single page. `value` is the data for writes, the result
// for reads. Returns false after raising an exception.
enum class Outcome { Done, Trapped, CodeWritten };

Outcome access_in_page(Hart& h, uint64_t epc, uint64_t va, unsigned size, Access a, uint64_t& value,
                       bool may_cache) {
  const Translation t = h.translator->translate_bytes(h, va, a, size);
  if (!t.ok) {
    raise_exception(h, t.cause, va, epc);
    return Outcome::Trapped;
  }
  if (t.host) {
    if (a == Access::Read) {
      value = 0;
      std::memcpy(&value, t.host, size);
    } else {
      std::memcpy(t.host, &value, size);
    }
    if (t.cacheable && may_cache) fill_tlb(h, va, t, a);
    if (a == Access::Write && h.code_written(t.pa, size)) return Outcome::CodeWritten;
    return Outcome::Done;
  }
  // A device: accesses must be naturally aligned and hit a mapped region.
  const bool ok = (va & (size - 1)) == 0 && h.bus &&
                  (a == Access::Read ? h.bus->read(t.pa, size, value) : h.bus->write(t.pa, size, value));
  if (!ok) {
    raise_exception(h, access_fault(a), va, epc);
    return Outcome::Trapped;
  }
  return Outcome::Done;
}

Flow access_slow(Hart& h, uint64_t epc, unsigned len, uint64_t va, unsigned size, Access a, uint64_t& value) {
  const bool aligned = (va & (size - 1)) == 0;
  if (!aligned && h.config.trap_misaligned) {
    raise_exception(h, misaligned(a), va, epc);
    return Flow::Trapped;
  }
  Outcome outcome;
  const uint64_t last = va + size - 1;
  if ((va & kPageMask) == (last & kPageMask)) {
    outcome = access_in_page(h, epc, va, size, a, value, aligned);
  } else {
    // Split at the page boundary. Both halves are translated before either is written, so
    // a fault on the second page leaves memory untouched.
    const unsigned first = unsigned(kPageSize - (va & ~kPageMask));
    const uint64_t second_va = va + first;
    for (uint64_t probe : {va, second_va}) {
      const unsigned part = probe == va ? first : size - first;
      const Translation t = h.translator->translate_bytes(h, probe, a, part);
      if (!t.ok) {
        raise_exception(h, t.cause, probe, epc);
        return Flow::Trapped;
      }
    }
    uint64_t low = value, high = value >> (8 * first);
    outcome = access_in_page(h, epc, va, first, a, low, false);
    if (outcome != Outcome::Trapped) {
      const Outcome second = access_in_page(h, epc, second_va, size - first, a, high, false);
      if (second != Outcome::Done) outcome = second;
    }
    if (a == Access::Read) value = (low & ((1ull << (8 * first)) - 1)) | (high << (8 * first));
  }
  if (outcome == Outcome::Trapped) return Flow::Trapped;
  if (outcome == Outcome::CodeWritten) {
    h.pc = epc + len;
    return Flow::LeaveBlock;
  }
  return Flow::Continue;
}

}  // namespace

Flow load_slow(Hart& h, uint64_t pc, unsigned len, uint64_t va, unsigned size, uint64_t& out) {
  return access_slow(h, pc, len, va, size, Access::Read, out);
}

Flow store_slow(Hart& h, uint64_t pc, unsigned len, uint64_t va, unsigned size, uint64_t value) {
  return access_slow(h, pc, len, va, size, Access::Write, value);
}

AtomicTarget atomic_target_slow(Hart& h, uint64_t epc, uint64_t va, unsigned size) {
  if (va & (size - 1)) {
    raise_exception(h, cause::kStoreMisaligned, va, epc);
    return {};
  }
  const Translation t = h.translator->translate_bytes(h, va, Access::Write, size);
  if (!t.ok) {
    raise_exception(h, t.cause, va, epc);
    return {};
  }
  if (!t.host) {  // no atomics on devices
    raise_exception(h, cause::kStoreAccess, va, epc);
    return {};
  }
  if (t.cacheable) fill_tlb(h, va, t, Access::Write);
  const bool code = h.code_written(t.pa, size);
  return {t.host, code};
}

}  // namespace strata::sem
