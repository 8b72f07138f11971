#include "jit/code_cache.h"

#include <sys/mman.h>
#include <unistd.h>
#include <xbyak/xbyak.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

namespace strata::jit {
namespace {

constexpr uint8_t kInt3 = 0xCC;

size_t align_up(size_t value, size_t alignment) { return (value + alignment - 1) / alignment * alignment; }

// A spot below the executable's text, so that the whole region is within ±2 GiB of the helper
// functions the generated code calls. Only a hint: the kernel picks another address when that
// one is taken, and the JIT then falls back to absolute calls (see reachable_rel32).
void* placement_hint(size_t capacity) {
  const auto text = reinterpret_cast<uintptr_t>(&placement_hint);
  const uintptr_t gap = (uintptr_t(64) << 20) + capacity;
  if (text < gap + (uintptr_t(1) << 32)) return nullptr;  // text is low (non-PIE): no room below
  const uintptr_t huge_page = uintptr_t(2) << 20;
  return reinterpret_cast<void*>((text - gap) & ~(huge_page - 1));
}

}  // namespace

std::unique_ptr<CodeCache> CodeCache::create(size_t capacity, std::string* error) {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  capacity = align_up(std::clamp(capacity, kMinCapacity, kMaxCapacity), page);
  // Writable and executable at once, on purpose: W^X would need an mprotect (and a TLB
  // shootdown on every thread) around each block and each chain patch, or a double mapping of
  // a memfd. The region is anonymous and private to this process; the simplicity is worth it.
  void* base = mmap(placement_hint(capacity), capacity, PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    if (error) *error = std::string("cannot map the JIT code cache: ") + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<CodeCache>(new CodeCache(static_cast<uint8_t*>(base), capacity));
}

CodeCache::~CodeCache() { munmap(base_, capacity_); }

size_t CodeCache::aligned_used() const { return std::min(align_up(used_, kAlignment), capacity_); }

bool CodeCache::full(size_t need) const { return need > capacity_ - aligned_used(); }

Emitted CodeCache::emit(const EmitBody& body, std::optional<uint64_t> tag) {
  Emitted out;
  const size_t start = aligned_used();
  const size_t room = capacity_ - start;
  if (room == 0) {
    out.cache_full = true;
    out.error = "code cache full";
    return out;
  }
  uint8_t* tail = base_ + start;
  size_t size = 0;
  try {
    // xbyak's user-buffer mode neither allocates nor changes protections: the bytes land
    // directly where they will run, and running past `room` throws ERR_CODE_IS_TOO_BIG.
    Xbyak::CodeGenerator gen(room, tail);
    if (!body(gen)) {
      out.error = "emission abandoned";
      return out;
    }
    if (gen.hasUndefinedLabel()) {
      out.error = "emitted code jumps to a label that was never defined";
      return out;
    }
    size = gen.getSize();
  } catch (const Xbyak::Error& e) {
    out.cache_full = int(e) == Xbyak::ERR_CODE_IS_TOO_BIG;
    out.error = std::string("xbyak: ") + e.what();
    return out;
  } catch (const std::exception& e) {
    out.error = std::string("while emitting code: ") + e.what();
    return out;
  } catch (...) {
    out.error = "while emitting code: unknown exception";
    return out;
  }
  if (size == 0) {
    out.error = "nothing was emitted";
    return out;
  }
  used_ = start + size;
  // Trap rather than slide into the next block if a bug ever jumps past the end of this one.
  const size_t padded = std::min(align_up(used_, kAlignment), capacity_);
  std::memset(base_ + used_, kInt3, padded - used_);
  if (tag) ranges_.push_back(CodeRange{reinterpret_cast<uintptr_t>(tail), size, *tag});
  out.code = tail;
  out.size = size;
  return out;
}

void CodeCache::reset() {
  // x86 keeps instruction fetch coherent with stores, so rewriting the region needs no cache
  // maintenance; the pages stay committed because they will be refilled soon.
  used_ = 0;
  ranges_.clear();
  flushes_++;
}

void CodeCache::give_back() {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  const size_t touched = (used_ + page - 1) / page * page;
  reset();
  if (touched) madvise(base_, std::min(touched, capacity_), MADV_DONTNEED);
}

bool CodeCache::contains(uintptr_t host_pc) const {
  const auto base = reinterpret_cast<uintptr_t>(base_);
  return host_pc >= base && host_pc - base < capacity_;
}

std::optional<CodeRange> CodeCache::find(uintptr_t host_pc) const {
  // The last range starting at or before host_pc is the only one that can contain it.
  auto after = std::upper_bound(ranges_.begin(), ranges_.end(), host_pc,
                                [](uintptr_t pc, const CodeRange& r) { return pc < r.start; });
  if (after == ranges_.begin()) return std::nullopt;
  const CodeRange& range = *(after - 1);
  if (host_pc - range.start >= range.size) return std::nullopt;
  return range;
}

bool CodeCache::reachable_rel32(const void* target) const {
  // The farthest sources are the two ends of the region; a rel32 is relative to the end of the
  // instruction, which only brings the ends closer, so checking the ends is conservative.
  const auto t = int64_t(reinterpret_cast<uintptr_t>(target));
  const auto lo = int64_t(reinterpret_cast<uintptr_t>(base_));
  const int64_t hi = lo + int64_t(capacity_);
  const int64_t limit = INT32_MAX;
  return t - lo <= limit && t - lo >= -limit && t - hi <= limit && t - hi >= -limit;
}

}  // namespace strata::jit
