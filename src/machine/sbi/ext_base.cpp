// Base extension (EID 0x10): versions, implementation, probing, machine IDs.
#include "cpu/csr/csr.h"
#include "machine/sbi/sbi_call.h"

namespace strata::sbi {
namespace {

// The machine ID CSRs as M-mode reads them (S-mode may not).
uint64_t machine_csr(Hart& hart, uint16_t number) {
  uint64_t value = 0;
  if (const Csr* csr = csr_table().find(number)) csr->read(hart, value);
  return value;
}

}  // namespace

Ret base_call(const Call& call) {
  switch (call.fid) {
    case fid::kGetSpecVersion:
      return Ret::ok(kSpecVersion);
    case fid::kGetImplId:
      return Ret::ok(kImplId);
    case fid::kGetImplVersion:
      return Ret::ok(kImplVersion);
    case fid::kProbeExtension:
      return Ret::ok(extension_present(call.arg(0)) ? 1 : 0);
    case fid::kGetMvendorid:
      return Ret::ok(machine_csr(call.hart, 0xf11));
    case fid::kGetMarchid:
      return Ret::ok(machine_csr(call.hart, 0xf12));
    case fid::kGetMimpid:
      return Ret::ok(machine_csr(call.hart, 0xf13));
  }
  return Ret::err(kErrNotSupported);
}

}  // namespace strata::sbi
