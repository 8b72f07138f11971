// The dispatcher: finds (or translates) the block at hart.pc, runs it, counts what it ran.
// Blocks are keyed by guest virtual pc within their physical page: the fetch goes through
// the soft TLB (and the MMU on a miss) at every block entry, so satp, sfence.vma and
// privilege changes need no flush of their own. Which physical pages hold blocks is
// registered in the hart's shared CodePages; a page written since its blocks were made (by
// any hart or device) or entered after a fence.i is compared with the image its blocks were
// made from, and its blocks are dropped when it changed.
#include "jit/jit_engine.h"

#include <xbyak/xbyak.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>

#include "cpu/hart.h"
#include "cpu/interp/interpreter.h"
#include "cpu/trap.h"
#include "isa/decoder.h"
#include "jit/block_builder.h"
#include "jit/code_cache.h"
#include "jit/emitter.h"
#include "jit/fault_sites.h"
#include "jit/jump_cache.h"
#include "jit/perf_map.h"
#include "jit/register_map.h"
#include "jit/stats.h"
#include "mem/code_pages.h"
#include "util/log.h"

namespace strata::jit {
namespace {

struct Page;

struct Block {
  uint64_t pc = 0;
  uint64_t pa = 0;
  unsigned insns = 0;
  BlockFn code = nullptr;
  const uint8_t* chain_entry = nullptr;
  Page* page = nullptr;
};

struct Page {
  uint64_t pbase = 0;
  const uint8_t* host = nullptr;
  const std::atomic<uint64_t>* writes = nullptr;
  uint64_t writes_seen = 0;
  uint64_t synced_at = 0;
  std::array<uint8_t, 4096> image{};
  std::unordered_map<uint64_t, Block> blocks;  // by guest pc
  uint32_t lo = 4096, hi = 0;                  // bytes the blocks were made from
  std::vector<PatchSite> unchained;            // jumps waiting for a block of this page
};

// Instructions one dispatch may run through chained blocks: the bound on how long requests
// from other threads (remote fences, code written elsewhere) wait.
constexpr uint64_t kChainLimit = 4096;

// A block is translated the kHot-th time the dispatcher finds its start untranslated; until
// then the interpreter runs kInterpretedRun instructions from there.
constexpr uint8_t kHot = 3;
constexpr uint64_t kInterpretedRun = 64;

constexpr size_t kFastSlots = 4096;
constexpr size_t kMaxPages = 4096;

class Jit final : public Engine {
 public:
  explicit Jit(const JitOptions& o) : options_(o), interp_(make_interpreter()) {}
  ~Jit() override { release_pages(); }

  Exit run(Hart& h, uint64_t budget) override;
  void flush_code(Hart& h) override;
  void sync_code(Hart& h) override;
  bool code_written(Hart& h, uint64_t pa, unsigned size) override;
  std::string report() const;

 private:
  Block* lookup(Hart& h);
  Block* translate(Hart& h, Page& page, uint64_t pc, uint64_t vbase);
  Page& page_for(Hart& h, uint64_t pbase, const uint8_t* host);
  void keep_in_sync(Page& page);
  void drop_blocks(Page& page);
  void release_pages();
  void flush_all();
  Exit delegate(Hart& h, uint64_t n);

  JitOptions options_;
  std::unique_ptr<Engine> interp_;
  std::unique_ptr<CodeCache> cache_;
  std::unique_ptr<PerfMap> perf_map_;
  HartLayout layout_;
  bool layout_known_ = false;
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
  std::array<Block*, kFastSlots> fast_{};
  JumpCache jumps_;                   // read by generated code: its address must not change
  std::array<uint8_t, 8192> heat_{};  // dispatcher visits of untranslated starts, by hash
  void forget_fast() {
    fast_.fill(nullptr);
    jumps_.clear();
  }
  CodePages* tracker_ = nullptr;
  uint64_t fences_ = 0;
  bool in_block_ = false;
  bool reset_pending_ = false;  // the cache is reset once no block is running
  bool cache_failed_ = false;
  Stats stats_;
  FaultSites fault_sites_;  // flat loads of the code in the cache
  RegisterPlanner planner_;  // which guest registers the code keeps in host registers
};

Exit Jit::run(Hart& h, uint64_t budget) {
  const ActiveFaultSites answering_faults(fault_sites_);
  h.begin_run();
  uint64_t committed = 0;  // instructions of this run already added to the counters
  const auto commit = [&] {
    committed += h.steps;
    h.commit_steps();
  };
  while (committed + h.steps < budget) {
    if (h.exit_pending) break;
    if (h.irq_check.load(std::memory_order_relaxed) && h.irq_check.exchange(false)) take_interrupt(h);
    h.honour_requests();
    if (reset_pending_) flush_all();
    Block* b = lookup(h);
    const uint64_t left = budget - committed - h.steps, limit = std::min(left, kChainLimit);
    if (!b || b->insns > limit) {
      commit();
      const uint64_t n = std::min(left, kInterpretedRun);
      const Exit e = delegate(h, n);
      if (e.reason != ExitReason::BudgetSpent) return e;
      committed += n;
      continue;
    }
    h.chain_len = h.chain_left = uint32_t(limit);
    const uint64_t not_retired = h.not_retired;
    in_block_ = true;
    b->code(&h);
    in_block_ = false;
    h.steps += h.chain_len - h.chain_left;
    h.chain_len = h.chain_left = 0;
    stats_.exit(h.not_retired != not_retired ? ExitKind::Trap : ExitKind::Leave);
  }
  return h.end_run();
}

// A few instructions by the reference engine: cold code (run once at boot, say, where
// translating would cost more than it saves), and what no block holds (a straddling
// instruction, a faulting fetch). It counts its own instructions and ran all `n` unless it
// returns another exit.
Exit Jit::delegate(Hart& h, uint64_t n) {
  const TlbEntry& e = h.itlb->slot(h.pc);
  if (e.tag_exec == (h.pc & kPageMask) && (h.pc & ~kPageMask) <= kPageSize - 4) {
    uint32_t raw;
    std::memcpy(&raw, reinterpret_cast<const void*>(h.pc + e.addend), 4);
    stats_.fallback(decode(raw).op);
  }
  return interp_->run(h, n);
}

Block* Jit::lookup(Hart& h) {
  const uint64_t pc = h.pc, vbase = pc & kPageMask;
  TlbEntry& e = h.itlb->slot(pc);
  uint64_t pbase;
  const uint8_t* host;
  if (e.tag_exec == vbase) {
    pbase = e.pa_page;
    host = reinterpret_cast<const uint8_t*>(vbase + e.addend);
  } else {
    const Translation t = h.translator->translate(h, pc, Access::Exec);
    if (!t.ok || !t.host || !t.cacheable) return nullptr;
    pbase = t.pa & kPageMask;
    host = t.host - (t.pa - pbase);
    h.itlb->fill_exec(vbase, pbase, host, nullptr);  // the JIT finds its blocks by pc, not here
  }
  const uint64_t pa = pbase | (pc & ~kPageMask);
  Block*& fast = fast_[(pc >> 1) % kFastSlots];
  if (fast && fast->pc == pc && fast->pa == pa) [[likely]] {
    Page& page = *fast->page;
    if (page.synced_at == fences_ && page.writes_seen == page.writes->load(std::memory_order_acquire)) {
      jumps_.put(pc, pbase, fast->chain_entry);
      return fast;
    }
  }
  Page& page = page_for(h, pbase, host);
  keep_in_sync(page);
  auto it = page.blocks.find(pc);
  Block* b = nullptr;
  if (it != page.blocks.end())
    b = &it->second;
  else if (uint8_t& heat = heat_[(pa >> 1) % heat_.size()]; heat + 1 >= kHot)  // worth translating
    b = translate(h, page, pc, vbase);
  else
    heat++;
  if (b) {
    fast_[(pc >> 1) % kFastSlots] = b;
    jumps_.put(pc, pbase, b->chain_entry);
  }
  return b;
}

Page& Jit::page_for(Hart& h, uint64_t pbase, const uint8_t* host) {
  if (auto it = pages_.find(pbase); it != pages_.end()) return *it->second;
  if (pages_.size() >= kMaxPages || (tracker_ && tracker_ != h.code_pages)) flush_code(h);
  if (reset_pending_ && !in_block_) flush_all();
  tracker_ = h.code_pages;
  auto page = std::make_unique<Page>();
  page->pbase = pbase;
  page->host = host;
  page->writes = &tracker_->hold(pbase);
  page->writes_seen = page->writes->load(std::memory_order_acquire);
  page->synced_at = fences_;
  std::memcpy(page->image.data(), host, 4096);
  h.stop_fast_writes(pbase);
  return *pages_.emplace(pbase, std::move(page)).first->second;
}

void Jit::keep_in_sync(Page& page) {
  const uint64_t writes = page.writes->load(std::memory_order_acquire);
  if (page.synced_at == fences_ && page.writes_seen == writes) return;
  if (std::memcmp(page.image.data(), page.host, 4096) != 0) drop_blocks(page);
  page.synced_at = fences_;
  page.writes_seen = writes;
}

void Jit::drop_blocks(Page& page) {
  if (!page.blocks.empty()) {
    forget_fast();
    stats_.exit(ExitKind::CodeInvalidated);
  }
  page.blocks.clear();
  page.unchained.clear();
  page.lo = 4096;
  page.hi = 0;
  std::memcpy(page.image.data(), page.host, 4096);
}

Block* Jit::translate(Hart& h, Page& page, uint64_t pc, uint64_t vbase) {
  const GuestBlock gb = build_block(page.host, vbase, pc);
  if (gb.insns.empty()) return nullptr;
  planner_.count(gb);
  if (planner_.rechoose(stats_.blocks_translated)) {
    flush_all();  // every block was made for the old register map
    return nullptr;
  }
  if (!layout_known_) {
    layout_ = HartLayout::of(h);
    layout_known_ = true;
  }
  if (!cache_) {
    if (cache_failed_) return nullptr;
    std::string error;
    cache_ = CodeCache::create(options_.cache_size, &error);
    if (!cache_) {
      warn("jit: cannot map the code cache ({}); interpreting instead", error);
      cache_failed_ = true;
      return nullptr;
    }
  }
  const ChainLookup chain_to = [&](uint64_t target) -> const uint8_t* {
    auto it = page.blocks.find(target);
    return it != page.blocks.end() ? it->second.chain_entry : nullptr;
  };
  // Flat loads would not trap on a misaligned address: with trap_misaligned every access
  // goes through the TLB path, whose tag test sends misaligned ones to the semantic layer.
  const FlatView flat = h.config.trap_misaligned ? FlatView{} : h.translator->flat_view();
  EmittedBlock emitted;
  const auto body = [&](Xbyak::CodeGenerator& gen) {
    emitted = BlockEmitter(gen, layout_, gb, chain_to, jumps_, planner_.map(), flat).emit();
    return true;
  };
  Emitted out = cache_->emit(body, pc);
  if (!out && out.cache_full && !in_block_) {
    flush_all();
    return nullptr;  // the dispatcher looks the page up again in the empty cache
  }
  if (!out) return nullptr;
  if (options_.perf_map) {
    if (!perf_map_) perf_map_ = std::make_unique<PerfMap>();
    perf_map_->add_block(out.code, out.size, pc);
  }
  for (const FlatAccessSite& site : emitted.fault_sites) fault_sites_.add(site.access, site.slow_path);
  stats_.blocks_translated++;
  stats_.instructions_translated += gb.insns.size();
  stats_.code_bytes += out.size;
  Block& b = page.blocks[pc];
  b = Block{pc,
            page.pbase | (pc & ~kPageMask),
            unsigned(gb.insns.size()),
            reinterpret_cast<BlockFn>(const_cast<uint8_t*>(out.code)),
            emitted.chain_entry,
            &page};
  // Jumps that waited for this block (its own among them, for a loop) now go straight to it.
  page.unchained.insert(page.unchained.end(), emitted.patch_sites.begin(), emitted.patch_sites.end());
  std::erase_if(page.unchained, [&](const PatchSite& site) {
    if (site.target_pc != pc) return false;
    const auto rel = int32_t(b.chain_entry - (site.rel32 + 4));
    std::memcpy(site.rel32, &rel, 4);
    stats_.chain_hits++;
    return true;
  });
  page.lo = std::min<uint32_t>(page.lo, uint32_t(pc - vbase));
  page.hi = std::max<uint32_t>(page.hi, uint32_t(gb.end_pc - vbase));
  return &b;
}

void Jit::release_pages() {
  for (auto& [pbase, page] : pages_) tracker_->release(pbase);
  pages_.clear();
  forget_fast();
}

// Everything goes; the code region itself is reset only when no block is running (a block
// may be in a semantic call that flushes, and returns into its own bytes).
void Jit::flush_all() {
  release_pages();
  if (in_block_) {
    reset_pending_ = true;
    return;
  }
  if (cache_ && cache_->used() > 0) {
    cache_->reset();
    stats_.cache_flushes++;
  }
  fault_sites_.clear();
  reset_pending_ = false;
}

// Also what a vCPU calls before a long sleep: the code region's pages go back to the host.
void Jit::flush_code(Hart& h) {
  if (cache_ && !in_block_ && cache_->used() > 0) {
    stats_.cache_flushes++;
    cache_->give_back();
  }
  flush_all();
  interp_->flush_code(h);
}

void Jit::sync_code(Hart& h) {
  fences_++;
  jumps_.clear();  // every block entry must pass the dispatcher's check against memory again
  interp_->sync_code(h);
}

// A store into a page with blocks made from the bytes it wrote: the page is forgotten
// altogether (a page freed by the guest and reused for data must not keep every store to it
// on the slow path). The code of a running block stays in the cache until the block returns.
bool Jit::code_written(Hart& h, uint64_t pa, unsigned size) {
  bool dropped = interp_->code_written(h, pa, size);
  if (auto it = pages_.find(pa & kPageMask); it != pages_.end()) {
    Page& page = *it->second;
    const uint64_t offset = pa & ~kPageMask;
    if (page.blocks.empty() || (offset < page.hi && offset + size > page.lo)) {
      if (!page.blocks.empty()) {
        stats_.exit(ExitKind::CodeInvalidated);
        dropped = true;
      }
      forget_fast();
      tracker_->release(it->first);
      pages_.erase(it);
    }
  }
  return dropped;
}

std::string Jit::report() const {
  return jit::report(stats_, cache_ ? cache_->used() : 0, cache_ ? cache_->capacity() : options_.cache_size);
}

}  // namespace

std::unique_ptr<Engine> make_jit(const JitOptions& options) { return std::make_unique<Jit>(options); }

std::string jit_report(Engine& engine) {
  if (auto* jit = dynamic_cast<Jit*>(&engine)) return jit->report();
  return {};
}

}  // namespace strata::jit
