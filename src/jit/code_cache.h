#pragma once
// The JIT's code region: one fixed mapping, filled by bump allocation and emptied all at once.
//
// Translated blocks are never freed one by one: when the region is full the owner flushes it
// (reset()) and retranslates what runs next. That keeps allocation a pointer bump, needs no
// free lists, and makes "is this host address JIT code, and of which block" a binary search,
// because blocks are laid out in the order they were emitted.
//
// Code is emitted with xbyak straight into the free tail (no copy). xbyak reports overflow and
// misuse by throwing Xbyak::Error; emit() runs the caller's body under a catch in code_cache.cpp
// so no exception reaches the engine, which instead sees Emitted::cache_full and can flush and
// retry.
//
// Not thread-safe: one owner emits, flushes and looks up (other threads may execute code, but
// the owner must make sure none is inside the region when it calls reset()).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace Xbyak {
class CodeGenerator;
}

namespace strata::jit {

// Host code [start, start + size) that was emitted with `tag` (e.g. the guest pc of a block).
struct CodeRange {
  uintptr_t start = 0;
  size_t size = 0;
  uint64_t tag = 0;
};

// The outcome of CodeCache::emit.
struct Emitted {
  const uint8_t* code = nullptr;  // entry point (start of the emitted bytes); null on failure
  size_t size = 0;
  bool cache_full = false;  // the tail was too small: reset() and emit again
  std::string error;        // why `code` is null (empty on success)

  explicit operator bool() const { return code != nullptr; }
};

// Emits one unit of code with `gen`, whose buffer is the cache's free tail. Returning false
// abandons the unit (nothing is committed, e.g. the translator met something it cannot do).
using EmitBody = std::function<bool(Xbyak::CodeGenerator& gen)>;

class CodeCache {
 public:
  static constexpr size_t kDefaultCapacity = size_t(64) << 20;
  static constexpr size_t kMinCapacity = size_t(64) << 10;  // tests fill it; the CLI asks for 256K
  // Any two addresses in the region stay within a rel32 jump of each other (block chaining
  // patches direct jumps between blocks), with room to spare.
  static constexpr size_t kMaxCapacity = size_t(1) << 30;
  static constexpr size_t kAlignment = 16;  // block entries start on a fetch-friendly boundary

  // Maps a region of `capacity` bytes, clamped to [kMinCapacity, kMaxCapacity] and rounded up
  // to whole pages. Returns null and sets *error (when given) if the mapping fails.
  static std::unique_ptr<CodeCache> create(size_t capacity = kDefaultCapacity, std::string* error = nullptr);

  ~CodeCache();
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  // Runs `body` on a generator over the free tail and commits what it emitted. With a tag the
  // range is recorded for find(). On failure nothing is committed and the tail is unchanged
  // (bytes written there are garbage that the next emit overwrites).
  Emitted emit(const EmitBody& body, std::optional<uint64_t> tag = std::nullopt);

  // Whether `need` more bytes (after aligning the next start) do not fit.
  bool full(size_t need) const;

  // Flushes everything: the region is empty again and every pointer into it is stale. Ranges
  // recorded for find() are dropped. Counts one flush.
  void reset();
  // reset(), and the region's pages go back to the host (an idle VM's footprint).
  void give_back();

  size_t used() const { return used_; }
  size_t capacity() const { return capacity_; }
  uint64_t flushes() const { return flushes_; }
  const uint8_t* base() const { return base_; }

  // Whether `host_pc` lies inside the region (used or not).
  bool contains(uintptr_t host_pc) const;

  // The recorded range containing `host_pc`, e.g. to map a faulting host pc back to its block.
  std::optional<CodeRange> find(uintptr_t host_pc) const;

  // Whether a rel32 call/jmp from anywhere in the region reaches `target`. The region is placed
  // near the executable when the kernel allows, so helpers are usually reachable and the
  // engine can emit `call rel32` instead of `mov rax, imm64; call rax`.
  bool reachable_rel32(const void* target) const;

 private:
  CodeCache(uint8_t* base, size_t capacity) : base_(base), capacity_(capacity) {}

  size_t aligned_used() const;

  uint8_t* base_;
  size_t capacity_;
  size_t used_ = 0;
  uint64_t flushes_ = 0;
  std::vector<CodeRange> ranges_;  // sorted by start: allocation only moves forward
};

}  // namespace strata::jit
