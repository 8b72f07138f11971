// The SBI calling convention: a7 = extension, a6 = function, a0..a5 = arguments; the
// answer goes to a0 (error) and a1 (value), every other register is preserved. The legacy
// extensions answer in a0 alone.
#include "machine/sbi/sbi_firmware.h"

#include "machine/sbi/sbi_call.h"

namespace strata {
namespace sbi {
namespace {

struct Extension {
  uint64_t eid;
  Handler handler;
};

constexpr Extension kExtensions[] = {
    {eid::kBase, base_call}, {eid::kTime, time_call}, {eid::kIpi, ipi_call},   {eid::kRfence, rfence_call},
    {eid::kHsm, hsm_call},   {eid::kSrst, srst_call}, {eid::kDbcn, dbcn_call},
};

}  // namespace

Handler find_extension(uint64_t eid) {
  for (const Extension& e : kExtensions)
    if (e.eid == eid) return e.handler;
  return nullptr;
}

bool extension_present(uint64_t eid) { return eid <= eid::kLegacyShutdown || find_extension(eid) != nullptr; }

}  // namespace sbi

bool SbiFirmware::ecall(Hart& hart) {
  const sbi::Call call{hart, platform_, hart.x[17], hart.x[16]};
  if (call.eid <= sbi::eid::kLegacyLast) {
    if (const std::optional<int64_t> a0 = sbi::legacy_call(call)) hart.x[10] = uint64_t(*a0);
    return true;
  }
  const sbi::Handler handler = sbi::find_extension(call.eid);
  const sbi::Ret ret = handler ? handler(call) : sbi::Ret::err(sbi::kErrNotSupported);
  if (ret.returns) {
    hart.x[10] = uint64_t(ret.error);
    hart.x[11] = ret.value;
  }
  return true;
}

}  // namespace strata
