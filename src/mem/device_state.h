#pragma once
// The versioned, serialisable state every device saves and restores (snapshots and
// migration are built on it). A reader refuses truncated data instead of reading past it.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace strata {

struct DeviceState {
  std::string kind;      // e.g. "uart16550"
  uint32_t version = 0;  // bumped whenever the layout of `data` changes
  std::vector<uint8_t> data;
};

class StateWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void blob(std::span<const uint8_t> b) {
    u64(b.size());
    bytes_.insert(bytes_.end(), b.begin(), b.end());
  }
  DeviceState finish(std::string kind, uint32_t version) {
    return DeviceState{std::move(kind), version, std::move(bytes_)};
  }

 private:
  void put(uint64_t v, int n) {
    for (int i = 0; i < n; i++) bytes_.push_back(uint8_t(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

// Throws strata::Error when the state's kind or version is not the expected one, or when
// the data ends early.
class StateReader {
 public:
  StateReader(const DeviceState& state, const std::string& kind, uint32_t version);
  uint8_t u8() { return uint8_t(get(1)); }
  uint32_t u32() { return uint32_t(get(4)); }
  uint64_t u64() { return get(8); }
  std::vector<uint8_t> blob();
  void expect_end() const;

 private:
  uint64_t get(int n);
  const std::vector<uint8_t>& data_;
  size_t pos_ = 0;
};

}  // namespace strata
