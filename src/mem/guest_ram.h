#pragma once
// Guest physical RAM: one anonymous host mapping (MAP_NORESERVE, so untouched pages cost
// nothing). Every guest-controlled address goes through contains()/slice().
#include <cstdint>
#include <optional>
#include <span>

namespace strata {

class GuestRam {
 public:
  GuestRam(uint64_t base, uint64_t size);
  ~GuestRam();
  GuestRam(const GuestRam&) = delete;
  GuestRam& operator=(const GuestRam&) = delete;

  uint64_t base() const { return base_; }
  uint64_t size() const { return size_; }
  uint64_t end() const { return base_ + size_; }
  bool contains(uint64_t gpa, uint64_t len) const {
    return gpa >= base_ && len <= size_ && gpa - base_ <= size_ - len;
  }
  // Host view of [gpa, gpa+len), or nothing if any byte lies outside RAM.
  std::optional<std::span<uint8_t>> slice(uint64_t gpa, uint64_t len) {
    if (!contains(gpa, len)) return std::nullopt;
    return std::span<uint8_t>(host_ + (gpa - base_), len);
  }
  // Unchecked: only for addresses already validated by contains().
  uint8_t* host(uint64_t gpa) const { return host_ + (gpa - base_); }
  uint8_t* host_base() const { return host_; }

 private:
  uint64_t base_;
  uint64_t size_;
  uint8_t* host_;
};

}  // namespace strata
