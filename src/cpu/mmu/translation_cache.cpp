#include "cpu/mmu/translation_cache.h"

#include "cpu/mmu/pte.h"

namespace strata {
namespace {
constexpr unsigned kMaxLevels = 5;

bool same_space(const CachedLeaf& e, const AddressSpace& s) {
  return e.mode == s.mode && (e.global || (e.asid == s.asid && e.root == s.root));
}
}  // namespace

unsigned TranslationCache::set_of(uint64_t vpn, unsigned level) {
  // Levels hash apart so a 2 MiB and a 4 KiB page with the same number use different sets.
  return unsigned(((vpn + level * 0x9e3779b9ull) * 0x9e3779b97f4a7c15ull) >> 56) % kSets;
}

const CachedLeaf* TranslationCache::find(const AddressSpace& space, uint64_t va) const {
  for (unsigned level = 0; level < space.levels; level++) {
    const uint64_t vpn = va >> page_shift(level);
    for (const CachedLeaf& e : sets_[set_of(vpn, level)])
      if (e.mode && e.level == level && e.vpn == vpn && same_space(e, space)) return &e;
  }
  return nullptr;
}

void TranslationCache::insert(const CachedLeaf& leaf) {
  const unsigned index = set_of(leaf.vpn, leaf.level);
  auto& set = sets_[index];
  CachedLeaf* slot = nullptr;
  for (CachedLeaf& e : set) {
    const bool same = e.mode == leaf.mode && e.level == leaf.level && e.vpn == leaf.vpn &&
                      e.global == leaf.global &&
                      (leaf.global || (e.asid == leaf.asid && e.root == leaf.root));
    if (same) {
      slot = &e;
      break;
    }
    if (!slot && !e.mode) slot = &e;
  }
  if (!slot) {
    slot = &set[next_victim_[index]];
    next_victim_[index] = uint8_t((next_victim_[index] + 1) % kWays);
  }
  *slot = leaf;
}

void TranslationCache::flush_all() { sets_.fill({}); }

template <typename Pred>
void TranslationCache::remove_for_va(uint64_t va, Pred pred) {
  for (unsigned level = 0; level < kMaxLevels; level++) {
    const uint64_t vpn = va >> page_shift(level);
    for (CachedLeaf& e : sets_[set_of(vpn, level)])
      if (e.mode && e.level == level && e.vpn == vpn && pred(e)) e = CachedLeaf{};
  }
}

void TranslationCache::flush_va(uint64_t va) {
  remove_for_va(va, [](const CachedLeaf&) { return true; });
}

void TranslationCache::flush_va_asid(uint64_t va, uint16_t asid) {
  remove_for_va(va, [asid](const CachedLeaf& e) { return !e.global && e.asid == asid; });
}

void TranslationCache::flush_asid(uint16_t asid) {
  for (auto& set : sets_)
    for (CachedLeaf& e : set)
      if (e.mode && !e.global && e.asid == asid) e = CachedLeaf{};
}

unsigned TranslationCache::size() const {
  unsigned n = 0;
  for (const auto& set : sets_)
    for (const CachedLeaf& e : set) n += e.mode != 0;
  return n;
}

}  // namespace strata
