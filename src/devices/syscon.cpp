#include "devices/syscon.h"

#include "util/error.h"

namespace strata {
namespace {
constexpr uint32_t kStateVersion = 1;
}  // namespace

void Syscon::write(uint64_t offset, unsigned size, uint64_t value) {
  // Like QEMU's sifive_test: 16- and 32-bit writes to offset 0; the code is the upper half.
  if (offset != 0 || (size != 4 && size != 2)) return;
  const uint32_t word = uint32_t(value) & (size == 4 ? 0xffffffffu : 0xffffu);
  Outcome next;
  switch (word & 0xffff) {
    case kPass:
      next.request = Request::PowerOff;
      break;
    case kFail:
      next.request = Request::Fail;
      next.code = word >> 16;
      break;
    case kReset:
      next.request = Request::Reboot;
      break;
    default:
      return;
  }
  outcome_ = next;
  if (callback_) callback_(outcome_);
}

DeviceState Syscon::save() const {
  StateWriter w;
  w.u8(uint8_t(outcome_.request));
  w.u32(outcome_.code);
  return w.finish("syscon", kStateVersion);
}

void Syscon::restore(const DeviceState& state) {
  StateReader r(state, "syscon", kStateVersion);
  const uint8_t request = r.u8();
  const uint32_t code = r.u32();
  r.expect_end();
  if (request > uint8_t(Request::Reboot)) fail("syscon state holds an unknown request {}", request);
  outcome_ = Outcome{Request(request), code};
}

}  // namespace strata
