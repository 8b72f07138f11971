#include "machine/sbi/remote_ops.h"

#include <vector>

#include "cpu/tlb.h"
#include "cpu/translator.h"

namespace strata::sbi {
namespace {

// Beyond this many pages a ranged fence of the caller empties everything instead.
constexpr uint64_t kMaxPagesFencedOneByOne = 64;

bool can_take_ipi(HartState s) {
  return s != HartState::Stopped && s != HartState::StartPending && s != HartState::StopPending;
}

// The targets other than the caller that are not STOPPED (a start flushes everything).
std::vector<uint64_t> remote_targets(const Call& call, std::span<const uint64_t> harts,
                                     bool& includes_caller) {
  const uint64_t self = call.hart.csr.mhartid;
  std::vector<uint64_t> remote;
  includes_caller = false;
  for (uint64_t id : harts) {
    if (id == self)
      includes_caller = true;
    else if (call.platform.hart_state(id) != HartState::Stopped)
      remote.push_back(id);
  }
  return remote;
}

// sfence.vma on the caller, as the instruction would do it for each page of the range.
void local_sfence(Hart& h, const FenceRange& range) {
  const bool has_asid = range.asid.has_value();
  const uint64_t asid = range.asid.value_or(0);
  if (!range.all && range.size == 0) return;  // an empty range
  const uint64_t first = range.start & kPageMask;
  const uint64_t last = (range.start + range.size - 1) & kPageMask;  // no wrap: fence_range checked
  if (range.all || (last - first) / kPageSize >= kMaxPagesFencedOneByOne) {
    h.translator->fence(h, false, 0, has_asid, asid);
    h.flush_tlbs();
    return;
  }
  for (uint64_t va = first;; va += kPageSize) {
    h.translator->fence(h, true, va, has_asid, asid);
    h.flush_tlb_page(va);
    if (va == last) break;
  }
}

}  // namespace

std::optional<FenceRange> fence_range(uint64_t start, uint64_t size, std::optional<uint64_t> asid) {
  if ((start == 0 && size == 0) || size == ~0ull) return FenceRange{.all = true, .asid = asid};
  if (size != 0 && size - 1 > ~start) return std::nullopt;  // start + size > 2^64
  return FenceRange{.all = false, .start = start, .size = size, .asid = asid};
}

void send_ipis(const Call& call, std::span<const uint64_t> harts) {
  for (uint64_t id : harts)
    if (can_take_ipi(call.platform.hart_state(id))) call.platform.send_ipi(id);
}

void fence_i(const Call& call, std::span<const uint64_t> harts) {
  bool self = false;
  const std::vector<uint64_t> remote = remote_targets(call, harts, self);
  if (!remote.empty()) call.platform.remote_fence_i(remote);
  // The ecall leaves to the dispatcher, so the current decoded page may go.
  if (self) call.hart.engine()->sync_code(call.hart);
}

void sfence_vma(const Call& call, std::span<const uint64_t> harts, const FenceRange& range) {
  bool self = false;
  const std::vector<uint64_t> remote = remote_targets(call, harts, self);
  if (!remote.empty()) call.platform.remote_sfence_vma(remote, range);
  if (self) local_sfence(call.hart, range);
}

}  // namespace strata::sbi
