#pragma once
// Guest loads and stores for semantic functions and engines: a soft-TLB hit is a few
// instructions; anything else (miss, MMIO, misaligned, fault, a store into a page that
// holds code) goes to the slow path in memory.cpp, which is told the guest pc and length of
// the accessing instruction so it can raise a precise trap or leave after a code write.
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "cpu/hart.h"
#include "cpu/sem/flow.h"

namespace strata::sem {

// Continue: done. Trapped: a trap was raised (pc is the trap vector). LeaveBlock: the
// store changed a page holding code; it is done and pc is the next instruction.
Flow load_slow(Hart& h, uint64_t pc, unsigned len, uint64_t va, unsigned size, uint64_t& out);
Flow store_slow(Hart& h, uint64_t pc, unsigned len, uint64_t va, unsigned size, uint64_t value);

// Where an atomic read-modify-write operates: a host pointer into RAM (null after a trap
// was raised), and whether code was written (then the caller completes the operation and
// leaves to its dispatcher).
struct AtomicTarget {
  uint8_t* host = nullptr;
  bool code_written = false;
};
AtomicTarget atomic_target_slow(Hart& h, uint64_t pc, uint64_t va, unsigned size);

// The soft-TLB hits: the host address of an access of `size` bytes, or null. Misaligned
// addresses never hit: the tag keeps the low address bits an access of this size must have
// clear.
inline uint8_t* tlb_read(const Hart& h, uint64_t va, unsigned size) {
  const TlbEntry& e = h.dtlb->slot(va);
  if (e.tag_read == (va & (kPageMask | (size - 1)))) [[likely]]
    return reinterpret_cast<uint8_t*>(va + e.addend);
  return nullptr;
}
inline uint8_t* tlb_write(const Hart& h, uint64_t va, unsigned size) {
  const TlbEntry& e = h.dtlb->slot(va);
  if (e.tag_write == (va & (kPageMask | (size - 1)))) [[likely]]
    return reinterpret_cast<uint8_t*>(va + e.addend);
  return nullptr;
}

inline AtomicTarget atomic_target(Hart& h, uint64_t pc, uint64_t va, unsigned size) {
  if (uint8_t* p = tlb_write(h, va, size)) [[likely]]
    return {p, false};
  return atomic_target_slow(h, pc, va, size);
}

template <typename T>
[[gnu::always_inline]] inline Flow load(Hart& h, uint64_t pc, unsigned len, uint64_t va, T& out) {
  if (const uint8_t* p = tlb_read(h, va, sizeof(T))) [[likely]] {
    std::memcpy(&out, p, sizeof(T));
    return Flow::Continue;
  }
  uint64_t v;
  const Flow flow = load_slow(h, pc, len, va, sizeof(T), v);
  out = T(v);
  return flow;
}

template <typename T>
[[gnu::always_inline]] inline Flow store(Hart& h, uint64_t pc, unsigned len, uint64_t va, T value) {
  if (uint8_t* p = tlb_write(h, va, sizeof(T))) [[likely]] {
    std::memcpy(p, &value, sizeof(T));
    return Flow::Continue;
  }
  return store_slow(h, pc, len, va, sizeof(T), uint64_t(value));
}

}  // namespace strata::sem
