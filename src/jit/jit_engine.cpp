// The dispatcher: finds (or translates) the block at hart.pc, runs it, counts what it ran.
// Blocks are keyed by guest virtual pc within their physical page: the fetch goes through
// the soft TLB (and the MMU on a miss) at every block entry, so satp, sfence.vma and
// privilege changes need no flush of their own. Which physical pages hold blocks is
// registered in the hart's shared CodePages; a page written since its blocks were made (by
// any hart or device) or entered after a fence.i is compared with the image its blocks were
// made from (a CodeImage), and the blocks made from bytes that changed are dropped.
#include "jit/jit_engine.h"

#include <xbyak/xbyak.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>

#include "cpu/code_image.h"
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
  uint32_t begin = 0, end = 0;  // the bytes of its page it was made from
  unsigned insns = 0;
  BlockFn code = nullptr;
  const uint8_t* chain_entry = nullptr;
  Page* page = nullptr;
};

// A direct jump from a block to a block of the same page: straight to the target's chain
// entry while the target exists, else (rel32 0) on to its own exit to the dispatcher. So a
// dropped block is unlinked exactly; its code stays in the cache until the next flush.
struct ChainSite {
  uint8_t* rel32 = nullptr;
  uint64_t target = 0;  // guest pc
  uint64_t owner = 0;   // guest pc of the block the jump is in
  bool linked = false;
};

struct Page {
  uint64_t pbase = 0;
  CodeImage image;                             // the bytes the blocks were made from
  std::unordered_map<uint64_t, Block> blocks;  // by guest pc
  uint32_t lo = 4096, hi = 0;                  // the blocks' bytes lie within [lo, hi)
  std::vector<ChainSite> sites;
  std::array<uint8_t, 2048> heat{};  // dispatcher visits of untranslated starts, by halfword
};

// Instructions one dispatch may run through chained blocks: the bound on how long requests
// from other threads (remote fences, code written elsewhere) wait. Hot loops come back to the
// dispatcher this often, so it is not small (a vCPU's slice is 50,000).
constexpr uint64_t kChainLimit = 32768;

// A block is translated the kHot-th time the dispatcher finds its start untranslated; until
// then the interpreter runs kInterpretedRun instructions from there. Each pc is counted on
// its own (a shared table of counts made most boot code look hot at once). Measured on both
// kernels, longer runs and higher thresholds translate less but leave too much warm code to
// the interpreter on Debian's kernel, whose boot runs 40 times as many instructions.
constexpr uint8_t kHot = 3;
constexpr uint64_t kInterpretedRun = 64;

constexpr size_t kFastSlots = 4096;
constexpr size_t kMaxPages = 4096;

// A 4-byte instruction in the last two bytes of the page: blocks leave it to the interpreter.
bool straddles(const Page& page, uint64_t pc) {
  return (pc & ~kPageMask) == kPageSize - 2 && (page.image.bytes()[kPageSize - 2] & 3) == 3;
}

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
  bool drop_blocks(Page& page, uint32_t begin, uint32_t end);
  void link(ChainSite& site, const uint8_t* entry);
  void release_pages();
  void flush_all();
  Exit delegate(Hart& h, uint64_t n);
  Op op_of(uint32_t raw);

  JitOptions options_;
  std::unique_ptr<Engine> interp_;
  std::unique_ptr<CodeCache> cache_;
  std::unique_ptr<PerfMap> perf_map_;
  HartLayout layout_;
  bool layout_known_ = false;
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
  std::array<Block*, kFastSlots> fast_{};
  JumpCache jumps_;  // read by generated code: its address must not change
  void forget_fast() {
    fast_.fill(nullptr);
    jumps_.clear();
  }
  CodePages* tracker_ = nullptr;
  std::vector<ByteRange> changed_;  // keep_in_sync's scratch
  std::vector<uint64_t> dropped_;   // drop_blocks' scratch
  uint64_t fences_ = 0;
  bool in_block_ = false;
  bool reset_pending_ = false;  // the cache is reset once no block is running
  bool cache_failed_ = false;
  bool lone_ = false;  // set by lookup: the pc holds an instruction to interpret on its own
  Stats stats_;
  struct OpMemo {
    uint32_t raw = 0;
    Op op = Op::Illegal;
    bool valid = false;
  };
  std::array<OpMemo, 1024> op_memo_{};
  FaultSites fault_sites_;             // flat loads of the code in the cache
  RegisterPlanner planner_;            // which guest registers the code keeps in host registers
  std::array<uint64_t, 2> lookups_{};  // jump-cache hits and misses, counted by the code
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
      const uint64_t n = std::min(left, lone_ ? 1 : kInterpretedRun);
      const Exit e = delegate(h, n);
      if (e.reason != ExitReason::BudgetSpent) return e;
      stats_.instructions_interpreted += n;
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

// The operation of an instruction word, for the fallback counts: the decoder searches a
// table, and the dispatcher hands runs to the interpreter often enough for that to show.
Op Jit::op_of(uint32_t raw) {
  if ((raw & 3) != 3) raw &= 0xffff;
  OpMemo& memo = op_memo_[(raw * 0x9e3779b1u) >> (32 - 10)];
  if (!memo.valid || memo.raw != raw) memo = {raw, decode(raw).op, true};
  return memo.op;
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
    stats_.fallback(op_of(raw));
  }
  return interp_->run(h, n);
}

Block* Jit::lookup(Hart& h) {
  lone_ = false;
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
    if (!fast->page->image.stale(fences_)) {
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
  else if (straddles(page, pc))
    lone_ = true;  // no block holds it; the next instruction may start one
  else if (uint8_t& heat = page.heat[(pc & ~kPageMask) >> 1]; heat + 1 >= kHot)  // worth translating
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
  page->image.take(host, &tracker_->hold(pbase), fences_);
  h.stop_fast_writes(pbase);
  return *pages_.emplace(pbase, std::move(page)).first->second;
}

void Jit::keep_in_sync(Page& page) {
  if (!page.image.stale(fences_)) return;
  page.image.sync(fences_, changed_);
  for (const ByteRange& r : changed_) drop_blocks(page, r.begin, r.end);
}

// Drops the blocks made from a byte of [begin, end) of the page; true when there were any.
// Nothing may reach them afterwards: the fast path and jump cache forget them, and jumps
// chained to them from the blocks that stay go back to the dispatcher.
bool Jit::drop_blocks(Page& page, uint32_t begin, uint32_t end) {
  if (begin >= page.hi || end <= page.lo) return false;
  dropped_.clear();
  for (const auto& [pc, b] : page.blocks)
    if (b.begin < end && b.end > begin) dropped_.push_back(pc);
  if (dropped_.empty()) return false;
  std::sort(dropped_.begin(), dropped_.end());
  const auto gone = [&](uint64_t pc) { return std::binary_search(dropped_.begin(), dropped_.end(), pc); };
  std::erase_if(page.sites, [&](ChainSite& site) {
    if (gone(site.owner)) return true;
    if (site.linked && gone(site.target)) link(site, nullptr);
    return false;
  });
  for (const uint64_t pc : dropped_) {
    auto it = page.blocks.find(pc);
    if (Block*& fast = fast_[(pc >> 1) % kFastSlots]; fast == &it->second) fast = nullptr;
    jumps_.forget(pc, it->second.chain_entry);
    page.blocks.erase(it);
  }
  if (page.blocks.empty()) {
    page.lo = 4096;
    page.hi = 0;
  }
  stats_.exit(ExitKind::CodeInvalidated);
  stats_.blocks_invalidated += dropped_.size();
  return true;
}

void Jit::link(ChainSite& site, const uint8_t* entry) {
  const auto rel = entry ? int32_t(entry - (site.rel32 + 4)) : 0;
  std::memcpy(site.rel32, &rel, 4);
  site.linked = entry != nullptr;
  if (entry) stats_.chain_hits++;
}

Block* Jit::translate(Hart& h, Page& page, uint64_t pc, uint64_t vbase) {
  // From the image, not memory: whatever differs from it is dropped at the next check.
  const GuestBlock gb = build_block(page.image.bytes(), vbase, pc);
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
  // Every jump within the page is emitted unlinked and linked below: a jump emitted straight
  // to a block would have no way out once that block is dropped.
  const ChainLookup chain_to = [](uint64_t) -> const uint8_t* { return nullptr; };
  // Flat loads would not trap on a misaligned address: with trap_misaligned every access
  // goes through the TLB path, whose tag test sends misaligned ones to the semantic layer.
  const FlatView flat = h.config.trap_misaligned ? FlatView{} : h.translator->flat_view();
  EmittedBlock emitted;
  const auto body = [&](Xbyak::CodeGenerator& gen) {
    emitted = BlockEmitter(gen, layout_, gb, chain_to, jumps_, planner_.map(), flat,
                           options_.count_lookups ? lookups_.data() : nullptr)
                  .emit();
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
            uint32_t(pc - vbase),
            uint32_t(gb.end_pc - vbase),
            unsigned(gb.insns.size()),
            reinterpret_cast<BlockFn>(const_cast<uint8_t*>(out.code)),
            emitted.chain_entry,
            &page};
  // Jumps that waited for this block now go straight to it; its own go to the blocks that
  // exist (itself among them, for a loop).
  const size_t waiting = page.sites.size();
  for (size_t i = 0; i < waiting; i++)
    if (ChainSite& site = page.sites[i]; !site.linked && site.target == pc) link(site, b.chain_entry);
  for (const PatchSite& s : emitted.patch_sites) {
    ChainSite& site = page.sites.emplace_back(ChainSite{s.rel32, s.target_pc, pc, false});
    if (auto it = page.blocks.find(s.target_pc); it != page.blocks.end()) link(site, it->second.chain_entry);
  }
  page.lo = std::min(page.lo, b.begin);
  page.hi = std::max(page.hi, b.end);
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

// A store into a page of code: the blocks made from the bytes it changed are dropped now (the
// rest of the page is compared with memory at its next entry). A page without blocks is
// forgotten altogether: a page freed by the guest and reused for data must not keep every
// store to it on the slow path. The code of a running block stays in the cache until the
// block returns.
bool Jit::code_written(Hart& h, uint64_t pa, unsigned size) {
  bool dropped = interp_->code_written(h, pa, size);
  const uint64_t end = pa + size;
  for (uint64_t pbase = pa & kPageMask; pbase < end; pbase += kPageSize) {
    auto it = pages_.find(pbase);
    if (it == pages_.end()) continue;
    Page& page = *it->second;
    if (page.blocks.empty()) {
      tracker_->release(pbase);
      pages_.erase(it);
      continue;
    }
    const auto from = uint32_t(std::max(pa, pbase) - pbase),
               to = uint32_t(std::min(end, pbase + kPageSize) - pbase);
    // Storing what was there changes no block: code patched in place often rewrites the
    // same bytes (and a loop that patches its own page would else retranslate each time).
    if (std::memcmp(page.image.bytes() + from, page.image.host() + from, to - from) == 0) continue;
    if (drop_blocks(page, from, to)) dropped = true;
  }
  return dropped;
}

std::string Jit::report() const {
  Stats s = stats_;
  s.indirect_hits = lookups_[0];
  s.indirect_misses = lookups_[1];
  return jit::report(s, cache_ ? cache_->used() : 0, cache_ ? cache_->capacity() : options_.cache_size);
}

}  // namespace

std::unique_ptr<Engine> make_jit(const JitOptions& options) { return std::make_unique<Jit>(options); }

std::string jit_report(Engine& engine) {
  if (auto* jit = dynamic_cast<Jit*>(&engine)) return jit->report();
  return {};
}

}  // namespace strata::jit
