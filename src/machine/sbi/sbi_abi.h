#pragma once
// The numbers of the RISC-V SBI specification v2.0 that the built-in firmware speaks:
// extension and function IDs, error codes, HSM states, suspend and reset types. Nothing
// here has behaviour; the extensions (ext_*.cpp) give it.
#include <cstdint>
#include <optional>

namespace strata::sbi {

// SBI v2.0: major in bits 30:24, minor in bits 23:0.
constexpr uint64_t kSpecVersion = (2ull << 24) | 0;
// Implementation ID: not in the spec's table (0..11 are BBL, OpenSBI, Xvisor, KVM, RustSBI,
// Diosix, Coffer, Xen, PolarFire HSS, coreboot, oreboot, bhyve). "STRA" in ASCII, so it reads
// as itself in a hex dump and stays far from the small numbers the spec hands out.
constexpr uint64_t kImplId = 0x53545241;
// Implementation version: major in bits 31:16, minor in bits 15:0 (OpenSBI's encoding).
constexpr uint64_t kImplVersion = (0ull << 16) | 1;

// Error codes (sbiret.error).
constexpr int64_t kSuccess = 0, kErrFailed = -1, kErrNotSupported = -2, kErrInvalidParam = -3,
                  kErrDenied = -4, kErrInvalidAddress = -5, kErrAlreadyAvailable = -6,
                  kErrAlreadyStarted = -7, kErrAlreadyStopped = -8, kErrNoShmem = -9;

// Extension IDs.
namespace eid {
constexpr uint64_t kLegacySetTimer = 0x00, kLegacyPutchar = 0x01, kLegacyGetchar = 0x02,
                   kLegacyClearIpi = 0x03, kLegacySendIpi = 0x04, kLegacyRemoteFenceI = 0x05,
                   kLegacyRemoteSfenceVma = 0x06, kLegacyRemoteSfenceVmaAsid = 0x07, kLegacyShutdown = 0x08,
                   kLegacyLast = 0x0f;  // 0x09..0x0f are reserved legacy IDs
constexpr uint64_t kBase = 0x10, kTime = 0x54494D45 /* TIME */, kIpi = 0x735049 /* sPI */,
                   kRfence = 0x52464E43 /* RFNC */, kHsm = 0x48534D /* HSM */, kSrst = 0x53525354 /* SRST */,
                   kDbcn = 0x4442434E /* DBCN */;
}  // namespace eid

// Function IDs, per extension.
namespace fid {
constexpr uint64_t kGetSpecVersion = 0, kGetImplId = 1, kGetImplVersion = 2, kProbeExtension = 3,
                   kGetMvendorid = 4, kGetMarchid = 5, kGetMimpid = 6;
constexpr uint64_t kSetTimer = 0;
constexpr uint64_t kSendIpi = 0;
constexpr uint64_t kRemoteFenceI = 0, kRemoteSfenceVma = 1, kRemoteSfenceVmaAsid = 2,
                   kRemoteHfenceGvmaVmid = 3, kRemoteHfenceGvma = 4, kRemoteHfenceVvmaAsid = 5,
                   kRemoteHfenceVvma = 6;
constexpr uint64_t kHartStart = 0, kHartStop = 1, kHartGetStatus = 2, kHartSuspend = 3;
constexpr uint64_t kSystemReset = 0;
constexpr uint64_t kConsoleWrite = 0, kConsoleRead = 1, kConsoleWriteByte = 2;
}  // namespace fid

// HSM hart states, as hart_get_status returns them.
enum class HartState : int64_t {
  Started = 0,
  Stopped = 1,
  StartPending = 2,
  StopPending = 3,
  Suspended = 4,
  SuspendPending = 5,
  ResumePending = 6,
};

// hart_suspend types (32 bits; the rest of the range is reserved or platform specific).
constexpr uint32_t kSuspendDefaultRetentive = 0x00000000, kSuspendDefaultNonRetentive = 0x80000000;

// system_reset types and reasons (32 bits each).
enum class ResetType : uint32_t { Shutdown = 0, ColdReboot = 1, WarmReboot = 2 };
enum class ResetReason : uint32_t { None = 0, SystemFailure = 1 };

// The hart mask value of hart_mask_base that means "every hart, ignore hart_mask".
constexpr uint64_t kAllHarts = ~0ull;

// The address range of a remote sfence.vma, normalised: `all` covers every address (the
// spec's start = size = 0, or size = 2^XLEN - 1); otherwise [start, start + size), which the
// firmware has checked does not wrap. `asid` is absent for a fence of every address space.
struct FenceRange {
  bool all = true;
  uint64_t start = 0;
  uint64_t size = 0;
  std::optional<uint64_t> asid;
};

}  // namespace strata::sbi
