#pragma once
// Guest loads and stores for handlers: a soft-TLB hit is a few instructions; anything else
// (miss, MMIO, misaligned, fault, a store into decoded code) goes to the slow path in
// cpu/memory_access.cpp. False means the handler must return nullptr: either a trap was
// taken (pc is the trap vector) or the store changed decoded code (pc is the next insn).
#include <cstdint>
#include <cstring>

#include "cpu/hart.h"

namespace strata {

bool load_slow(Hart& h, const Insn* i, uint64_t va, unsigned size, uint64_t& out);
bool store_slow(Hart& h, const Insn* i, uint64_t va, unsigned size, uint64_t value);

// Where an atomic read-modify-write operates: a host pointer into RAM (null after a trap
// was raised), and whether decoded code was dropped (then the handler completes the
// operation and leaves to the dispatcher).
struct AtomicTarget {
  uint8_t* host = nullptr;
  bool code_written = false;
};
AtomicTarget atomic_target_slow(Hart& h, const Insn* i, uint64_t va, unsigned size);

inline AtomicTarget atomic_target(Hart& h, const Insn* i, uint64_t va, unsigned size) {
  const TlbEntry& e = h.dtlb->slot(va);
  if (e.tag_write == (va & (kPageMask | (size - 1)))) [[likely]]
    return {reinterpret_cast<uint8_t*>(va + e.addend), false};
  return atomic_target_slow(h, i, va, size);
}

// Misaligned addresses never hit: the tag keeps the low address bits an access of this
// size must have clear.
template <typename T>
inline bool load(Hart& h, const Insn* i, uint64_t va, T& out) {
  const TlbEntry& e = h.dtlb->slot(va);
  if (e.tag_read == (va & (kPageMask | (sizeof(T) - 1)))) [[likely]] {
    std::memcpy(&out, reinterpret_cast<const void*>(va + e.addend), sizeof(T));
    return true;
  }
  uint64_t v;
  if (!load_slow(h, i, va, sizeof(T), v)) return false;
  out = T(v);
  return true;
}

template <typename T>
inline bool store(Hart& h, const Insn* i, uint64_t va, T value) {
  const TlbEntry& e = h.dtlb->slot(va);
  if (e.tag_write == (va & (kPageMask | (sizeof(T) - 1)))) [[likely]] {
    std::memcpy(reinterpret_cast<void*>(va + e.addend), &value, sizeof(T));
    return true;
  }
  return store_slow(h, i, va, sizeof(T), uint64_t(value));
}

}  // namespace strata
