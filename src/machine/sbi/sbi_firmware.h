#pragma once
// The built-in SBI v2.0 firmware: ecalls from S-mode are served in the host instead of by
// M-mode code in the guest, so a kernel starts directly in S-mode. Extensions: BASE, the
// legacy calls 0x00-0x08, TIME, IPI (sPI), RFENCE, HSM, SRST, DBCN, one file each
// (ext_*.cpp). Unknown extensions and functions return SBI_ERR_NOT_SUPPORTED.
//
// One instance serves every hart of a machine (set Hart::firmware on each); it keeps no
// state of its own, so harts call it concurrently. Everything the board does is behind
// SbiPlatform (sbi_platform.h).
#include "cpu/firmware.h"

namespace strata {

class SbiPlatform;

class SbiFirmware final : public Firmware {
 public:
  explicit SbiFirmware(SbiPlatform& platform) : platform_(platform) {}
  // Serves the call in a7 (extension), a6 (function), a0..a5 (arguments); always true.
  // The interpreter has already moved pc past the ecall.
  bool ecall(Hart& hart) override;

 private:
  SbiPlatform& platform_;
};

}  // namespace strata
