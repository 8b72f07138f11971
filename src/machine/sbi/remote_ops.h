#pragma once
// IPIs and fences on a set of harts, shared by the legacy calls and by sPI/RFENCE. The
// caller's own fences are done here, precisely and at once; the other harts' go through
// the platform.
#include <optional>
#include <span>

#include "machine/sbi/sbi_call.h"

namespace strata::sbi {

// The spec's range rules: start = size = 0 or size = 2^XLEN - 1 mean every address; a
// range that wraps past the top of the address space is invalid (nullopt).
std::optional<FenceRange> fence_range(uint64_t start, uint64_t size, std::optional<uint64_t> asid);

// SSIP on every target that can take an interrupt (not STOPPED, START_PENDING or
// STOP_PENDING, like OpenSBI), the caller included.
void send_ipis(const Call& call, std::span<const uint64_t> harts);
void fence_i(const Call& call, std::span<const uint64_t> harts);
void sfence_vma(const Call& call, std::span<const uint64_t> harts, const FenceRange& range);

}  // namespace strata::sbi
