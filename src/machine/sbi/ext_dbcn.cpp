// Debug console extension (EID "DBCN"): byte strings between the console and guest
// physical memory. The range comes from the guest: it must lie wholly in RAM.
#include <algorithm>
#include <span>

#include "cpu/tlb.h"
#include "machine/sbi/sbi_call.h"
#include "mem/bus.h"

namespace strata::sbi {
namespace {

// At most this much per call: the calls may do partial transfers, and a guest asking for
// gigabytes must not hold its hart (or the console) for long.
constexpr uint64_t kMaxBytesPerCall = 4096;

// The guest RAM of [lo | hi << 64, + len), or nothing when any byte of it is not RAM.
uint8_t* guest_range(const Call& call, uint64_t len) {
  const uint64_t lo = call.arg(1), hi = call.arg(2);
  if (hi != 0 || !call.hart.bus) return nullptr;  // beyond 2^64: not RAM
  return call.hart.bus->ram_ptr(lo, len);
}

Ret console_write(const Call& call) {
  const uint64_t len = call.arg(0);
  if (len == 0) return Ret::ok(0);
  const uint8_t* bytes = guest_range(call, len);
  if (!bytes) return Ret::err(kErrInvalidParam);
  const uint64_t n = std::min(len, kMaxBytesPerCall);
  call.platform.console_write(std::span<const uint8_t>(bytes, n));
  return Ret::ok(n);
}

Ret console_read(const Call& call) {
  const uint64_t len = call.arg(0);
  if (len == 0) return Ret::ok(0);
  uint8_t* out = guest_range(call, len);
  if (!out) return Ret::err(kErrInvalidParam);
  const uint64_t limit = std::min(len, kMaxBytesPerCall);
  uint64_t n = 0;
  for (int byte; n < limit && (byte = call.platform.console_read()) >= 0; n++) out[n] = uint8_t(byte);
  // The caller may have decoded code in those pages (other harts see the write through
  // their own fence.i, as for a device's DMA).
  const uint64_t pa = call.arg(1);
  for (uint64_t done = 0; done < n;) {
    const uint64_t piece = std::min(n - done, kPageSize - ((pa + done) & ~kPageMask));
    call.hart.code_written(pa + done, unsigned(piece));
    done += piece;
  }
  return Ret::ok(n);
}

}  // namespace

Ret dbcn_call(const Call& call) {
  switch (call.fid) {
    case fid::kConsoleWrite:
      return console_write(call);
    case fid::kConsoleRead:
      return console_read(call);
    case fid::kConsoleWriteByte: {
      const uint8_t byte = uint8_t(call.arg(0));
      call.platform.console_write(std::span<const uint8_t>(&byte, 1));
      return Ret::ok();
    }
  }
  return Ret::err(kErrNotSupported);
}

}  // namespace strata::sbi
