// The dispatch loop. Code pages are decoded lazily, slot by slot, into DecodedPages keyed
// by (virtual page, physical page); the exec side of the soft TLB points straight at them,
// so a fetch that stays in a known page costs one tag compare.
#include "cpu/interp/interpreter.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "cpu/hart.h"
#include "cpu/interp/decode_slot.h"
#include "cpu/trap.h"
#include "mem/code_pages.h"

namespace strata {
namespace {

// Beyond this many decoded pages the cache is dropped and rebuilt from what runs next.
constexpr size_t kMaxDecodedPages = 2048;
// Instructions one chain of handlers may run before returning to the dispatcher loop: long
// enough that the loop costs nothing, short enough that a build without tail calls (-O0)
// stays within a small stack.
constexpr uint64_t kMaxChain = 64;

class Interpreter final : public Engine {
 public:
  ~Interpreter() override { release_all(); }
  Exit run(Hart& h, uint64_t budget) override;
  void flush_code(Hart& h) override;
  void sync_code(Hart& h) override;
  bool code_written(Hart& h, uint64_t pa, unsigned size) override;

 private:
  const Insn* fetch(Hart& h);
  DecodedPage* page_for(Hart& h, uint64_t vbase, uint64_t pbase, const uint8_t* host);
  void forget_tlb_code(Hart& h, const DecodedPage* page);
  void forget_all_tlb_code(Hart& h);
  void keep_in_sync(DecodedPage& page);
  void retire(std::unique_ptr<DecodedPage> page);
  void release_all();

  struct Key {
    uint64_t vbase, pbase;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return std::hash<uint64_t>()(k.vbase * 31 + k.pbase); }
  };
  std::unordered_map<Key, std::unique_ptr<DecodedPage>, KeyHash> pages_;
  std::unordered_multimap<uint64_t, Key> by_physical_;
  // Pages dropped while one of their slots may still be on the call stack; freed at the
  // next fetch, when no handler of theirs is running.
  std::vector<std::unique_ptr<DecodedPage>> graveyard_;
  // fence.i instructions seen; a page synced at an older count is checked before it runs.
  uint64_t fences_ = 0;
  // The tracker every page in pages_ is registered with (the hart's, when the first was).
  CodePages* tracker_ = nullptr;
  std::vector<ByteRange> changed_;  // keep_in_sync's scratch
};

Exit Interpreter::run(Hart& h, uint64_t budget) {
  h.begin_run();

  const Insn* i = nullptr;
  while (h.steps < budget) {
    if (!i) {
      if (h.exit_pending) break;
      if (h.irq_check.exchange(false)) take_interrupt(h);
      i = fetch(h);
      if (!i) {
        h.steps++;  // a fetch fault consumes budget, so a fault loop cannot spin forever
        continue;
      }
    }
    // A chain: handlers run one another until it is spent or one leaves to the dispatcher.
    // Each stored the count left at its start, so the last one's value tells how many ran.
    const uint32_t chain = uint32_t(std::min<uint64_t>(budget - h.steps, kMaxChain));
    h.chain_len = h.chain_left = chain;
    i = i->fn(h, i, chain);
    h.steps += chain - h.chain_left + 1;
    h.chain_len = h.chain_left = 0;
  }
  if (i) h.pc = pc_of(i);
  graveyard_.clear();
  return h.end_run();
}

const Insn* Interpreter::fetch(Hart& h) {
  graveyard_.clear();
  h.honour_requests();  // requests from other threads, at a dispatch point
  const uint64_t pc = h.pc;
  const uint64_t vbase = pc & kPageMask;
  TlbEntry& e = h.itlb->slot(pc);
  DecodedPage* page = e.tag_exec == vbase ? static_cast<DecodedPage*>(e.code) : nullptr;
  if (page) {
    keep_in_sync(*page);
  } else {
    const Translation t = h.translator->translate(h, pc, Access::Exec);
    if (!t.ok) {
      raise_exception(h, t.cause, pc, pc);
      return nullptr;
    }
    if (!t.host) {  // executing from a device
      raise_exception(h, cause::kInsnAccess, pc, pc);
      return nullptr;
    }
    const uint64_t pbase = t.pa & kPageMask;
    page = page_for(h, vbase, pbase, t.host - (t.pa - pbase));
    if (!t.cacheable) {
      // Still run from the decoded page, but translate again on the next fetch.
    } else {
      h.itlb->fill_exec(vbase, pbase, t.host - (t.pa - pbase), page);
    }
  }
  return &page->slots[(pc & ~kPageMask) >> 1];
}

DecodedPage* Interpreter::page_for(Hart& h, uint64_t vbase, uint64_t pbase, const uint8_t* host) {
  const Key key{vbase, pbase};
  if (auto it = pages_.find(key); it != pages_.end()) {
    keep_in_sync(*it->second);
    return it->second.get();
  }
  if (pages_.size() >= kMaxDecodedPages || (tracker_ && tracker_ != h.code_pages)) flush_code(h);
  tracker_ = h.code_pages;
  auto page = std::make_unique<DecodedPage>();
  page->vbase = vbase;
  page->pbase = pbase;
  page->host = host;
  // Registered before the image is taken, so a write in between is counted.
  page->image.take(host, &tracker_->hold(pbase), fences_);
  init_decoded_page(*page);
  DecodedPage* raw = page.get();
  const bool first_of_physical = by_physical_.count(pbase) == 0;
  pages_.emplace(key, std::move(page));
  by_physical_.emplace(pbase, key);
  if (first_of_physical) h.stop_fast_writes(pbase);
  return raw;
}

void Interpreter::forget_tlb_code(Hart& h, const DecodedPage* page) {
  for (Tlb& t : h.tlbs)
    for (TlbEntry& e : t.entries)
      if (e.code == page) {
        e.code = nullptr;
        e.tag_exec = kTlbInvalid;
      }
}

// Whether any decoded instruction of the page covers a byte of [offset, offset+size).
static bool overlaps_decoded(const DecodedPage& page, uint64_t offset, unsigned size) {
  const uint64_t first = offset >= 2 ? (offset - 2) / 2 : 0;  // a 4-byte instruction may start 2 before
  const uint64_t last = std::min<uint64_t>((offset + size - 1) / 2, kSlotsPerPage - 1);
  for (uint64_t s = first; s <= last; s++) {
    const Insn& slot = page.slots[s];
    if (slot_decoded(slot) && 2 * s + slot.len > offset) return true;
  }
  return false;
}

bool Interpreter::code_written(Hart& h, uint64_t pa, unsigned size) {
  const uint64_t pa_page = pa & kPageMask;
  auto [first, last] = by_physical_.equal_range(pa_page);
  bool dropped = false;
  for (auto it = first; it != last;) {
    auto page = pages_.find(it->second);
    if (!overlaps_decoded(*page->second, pa - pa_page, size)) {
      ++it;
      continue;
    }
    forget_tlb_code(h, page->second.get());
    retire(std::move(page->second));
    pages_.erase(page);
    it = by_physical_.erase(it);
    dropped = true;
  }
  return dropped;
}

void Interpreter::forget_all_tlb_code(Hart& h) {
  for (Tlb& t : h.tlbs)
    for (TlbEntry& e : t.entries) {
      e.code = nullptr;
      e.tag_exec = kTlbInvalid;
    }
}

// A page leaves the cache: the tracker stops counting it for this engine, and the page
// waits in the graveyard until none of its slots can be on the call stack.
void Interpreter::retire(std::unique_ptr<DecodedPage> page) {
  tracker_->release(page->pbase);
  graveyard_.push_back(std::move(page));
}

void Interpreter::release_all() {
  for (auto& [key, page] : pages_) tracker_->release(page->pbase);
  pages_.clear();
  by_physical_.clear();
}

void Interpreter::flush_code(Hart& h) {
  for (auto& [key, page] : pages_) retire(std::move(page));
  pages_.clear();
  by_physical_.clear();
  forget_all_tlb_code(h);
}

// Pages are kept: each is compared with memory when it next runs (every entry into a page
// passes fetch). A Linux boot patches code with a fence.i per site (ftrace, alternatives,
// jump labels) while running from pages that stay unchanged, which a full flush would
// decode again each time.
void Interpreter::sync_code(Hart&) { fences_++; }

// A page entered after a fence.i is compared with memory first.
// A page written since it was last checked is too, whoever wrote it.
void Interpreter::keep_in_sync(DecodedPage& page) {
  if (!page.image.stale(fences_)) [[likely]]
    return;
  page.image.sync(fences_, changed_);
  forget_decoded(page, changed_);
}

}  // namespace

std::unique_ptr<Engine> make_interpreter() { return std::make_unique<Interpreter>(); }

}  // namespace strata
