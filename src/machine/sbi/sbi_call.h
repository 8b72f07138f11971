#pragma once
// One SBI call as the extensions see it, and what they answer. Internal to machine/sbi.
#include <cstdint>
#include <optional>

#include "cpu/hart.h"
#include "machine/sbi/sbi_abi.h"
#include "machine/sbi/sbi_platform.h"

namespace strata::sbi {

struct Call {
  Hart& hart;
  SbiPlatform& platform;
  uint64_t eid;
  uint64_t fid;
  uint64_t arg(unsigned n) const { return hart.x[10 + n]; }  // a0..a5
};

// sbiret: a0 = error, a1 = value. A call that does not return to its caller (hart stop,
// non-retentive suspend, system reset, a fault redirected to the guest) has already set the
// hart up and answers `elsewhere()`, so the firmware leaves a0/a1 alone.
struct Ret {
  int64_t error = kSuccess;
  uint64_t value = 0;
  bool returns = true;

  static Ret ok(uint64_t value = 0) { return {kSuccess, value}; }
  static Ret err(int64_t error) { return {error, 0}; }
  static Ret elsewhere() { return {kSuccess, 0, false}; }
};

using Handler = Ret (*)(const Call& call);

// The extensions, one file each.
Ret base_call(const Call& call);
Ret time_call(const Call& call);
Ret ipi_call(const Call& call);
Ret rfence_call(const Call& call);
Ret hsm_call(const Call& call);
Ret srst_call(const Call& call);
Ret dbcn_call(const Call& call);
// The legacy extensions (EIDs 0x00-0x0f) return one value in a0 and preserve a1; nothing
// when the call does not return to its caller.
std::optional<int64_t> legacy_call(const Call& call);

// The handler of a v0.2+ extension, or null (sbi_firmware.cpp holds the table).
Handler find_extension(uint64_t eid);
// What sbi_probe_extension answers: 1 for every extension served, legacy ones included.
bool extension_present(uint64_t eid);

}  // namespace strata::sbi
