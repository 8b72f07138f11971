#pragma once
// The guest's virtual address space in user-mode emulation: one flat reservation of host
// address space where guest address `va` lives at host `base() + va`. The host protections
// mirror the guest's (exec-only pages stay host-readable so the engine can decode them), so
// a syscall may hand a range-checked host pointer straight to the kernel, which then fails
// with EFAULT on unmapped guest pages exactly as it would natively.
//
// A VMA list (start -> Vma) is the source of truth for mmap placement and /proc/self/maps;
// a flat per-page permission table mirrors it for translate() without locking.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "cpu/translator.h"

namespace strata::user {

// Guest protection bits, as in PROT_*.
constexpr uint8_t kProtRead = 1, kProtWrite = 2, kProtExec = 4;
// In the per-page table only: the page is mapped (PROT_NONE pages fault with SEGV_ACCERR).
constexpr uint8_t kMapped = 0x80;

struct Vma {
  uint64_t end = 0;  // exclusive
  uint8_t prot = 0;
  bool shared = false;
  uint64_t offset = 0;  // file offset of `start`
  uint64_t dev = 0, inode = 0;
  std::string name;  // file path, "[heap]", "[stack]", or empty for anonymous
};

class AddressSpace final : public Translator {
 public:
  // Sv39's user half: guests expect pointers below 2^38.
  static constexpr uint64_t kSize = 1ull << 38;
  static constexpr uint64_t kPage = 4096;
  static constexpr uint64_t kStackTop = kSize - kPage;
  static constexpr uint64_t kPieBase = 0x2aaaaab000;  // like Linux: 2/3 of the space

  AddressSpace();
  ~AddressSpace() override;
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  uint8_t* base() const { return base_; }

  // --- Translator --------------------------------------------------------------------
  Translation translate(Hart& hart, uint64_t va, Access access) override;
  void fence(Hart&, bool, uint64_t, bool, uint64_t) override {}
  // Host loads fault where guest loads do only while no page is execute-only (those stay
  // host-readable for the decoder): the first one ends the flat view for good, and marks
  // the mapping change as one that drops translated code.
  FlatView flat_view() const override {
    if (exec_only_seen_.load(std::memory_order_relaxed)) return {};
    return {base_, kSize};
  }

  // --- Checked access (for Strata's own copies of guest data) -------------------------
  // True when every byte of [va, va+len) is mapped with `prot` (a subset of R/W/X).
  bool accessible(uint64_t va, uint64_t len, uint8_t prot) const;
  // Host pointer for a range handed to the kernel: null for guest null, else base+va if the
  // range lies inside the region; `ok` false when it does not (the caller returns EFAULT).
  void* host_range(uint64_t va, uint64_t len, bool& ok) const;
  bool read(uint64_t va, void* out, uint64_t len) const;
  bool write(uint64_t va, const void* in, uint64_t len);
  // A NUL-terminated string of at most `max` bytes. False on a fault or no terminator.
  bool read_string(uint64_t va, std::string& out, uint64_t max = 4096) const;
  // The guest protection of the page holding va, with kMapped set for any mapping (so a
  // PROT_NONE page is not 0, which means unmapped).
  uint8_t prot_at(uint64_t va) const { return page_prot(va); }
  // True when va lies inside the region at all.
  static bool in_region(uint64_t va, uint64_t len) { return va <= kSize && len <= kSize - va; }

  // --- Mappings (all return a guest address or -errno) ---------------------------------
  // `flags` are Linux MAP_* flags, fd < 0 for anonymous. `name` labels the VMA.
  int64_t map(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset,
              const std::string& name = {});
  int64_t unmap(uint64_t addr, uint64_t len);
  int64_t protect(uint64_t addr, uint64_t len, int prot);
  int64_t remap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags, uint64_t new_addr);
  // brk(2): returns the new (or unchanged) break.
  uint64_t brk(uint64_t request);
  void set_brk_start(uint64_t start);
  uint64_t brk_start() const { return brk_start_; }

  // Whether the last mapping change removed or changed executable pages (decoded code must go).
  bool take_code_changed() {
    const bool c = code_changed_;
    code_changed_ = false;
    return c;
  }

  // Whether the flat view ended since the last call (every thread's translations must go).
  bool take_flat_view_lost() { return flat_view_lost_.exchange(false); }

  // Held across a host fork so the child never inherits a lock taken by another thread.
  void lock_for_fork() { mutex_.lock(); }
  void unlock_after_fork() { mutex_.unlock(); }

  // /proc/self/maps text for the guest's mappings.
  std::string maps_text() const;
  uint64_t mmap_top() const { return mmap_top_; }
  void set_mmap_top(uint64_t top) { mmap_top_ = top; }

 private:
  uint8_t page_prot(uint64_t va) const;
  void set_prot_table(uint64_t start, uint64_t end, uint8_t prot);  // mapped with prot
  void clear_prot_table(uint64_t start, uint64_t end);               // unmapped
  void fill_prot_table(uint64_t start, uint64_t end, uint8_t value);
  // Releases [start, end) back to the PROT_NONE reservation (host memory is freed).
  void reserve(uint64_t start, uint64_t end);
  // Removes [start, end) from the VMA list, splitting VMAs at the edges.
  void carve(uint64_t start, uint64_t end);
  bool range_free(uint64_t start, uint64_t end) const;
  // Highest free range of `len` bytes ending at or below `top`; 0 if none.
  uint64_t find_free(uint64_t len, uint64_t top) const;
  int64_t map_locked(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset,
                     const std::string& name);

  uint8_t* base_ = nullptr;
  uint8_t* prot_table_ = nullptr;  // one byte per guest page, zero = unmapped
  mutable std::mutex mutex_;
  std::map<uint64_t, Vma> vmas_;
  uint64_t brk_start_ = 0, brk_ = 0;
  uint64_t mmap_top_ = kStackTop - (256ull << 20);
  bool code_changed_ = false;
  std::atomic<bool> exec_only_seen_{false};
  std::atomic<bool> flat_view_lost_{false};
};

// Host protection for guest protection bits.
int host_prot(uint8_t prot);

}  // namespace strata::user
