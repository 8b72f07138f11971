#include "mem/device_state.h"

#include "util/error.h"

namespace strata {

StateReader::StateReader(const DeviceState& state, const std::string& kind, uint32_t version)
    : data_(state.data) {
  if (state.kind != kind) fail("device state is for '{}', expected '{}'", state.kind, kind);
  if (state.version != version)
    fail("{} state version {} is not supported (this build reads version {})", kind, state.version, version);
}

uint64_t StateReader::get(int n) {
  if (pos_ + n > data_.size()) fail("device state truncated at byte {}", pos_);
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v |= uint64_t(data_[pos_ + i]) << (8 * i);
  pos_ += n;
  return v;
}

std::vector<uint8_t> StateReader::blob() {
  uint64_t n = u64();
  if (n > data_.size() - pos_) fail("device state blob of {} bytes overruns the state", n);
  std::vector<uint8_t> out(data_.begin() + pos_, data_.begin() + pos_ + n);
  pos_ += n;
  return out;
}

void StateReader::expect_end() const {
  if (pos_ != data_.size()) fail("device state has {} unexpected trailing bytes", data_.size() - pos_);
}

}  // namespace strata
