#include "jit/register_map.h"

#include <algorithm>

#include "isa/properties.h"
#include "jit/ops.h"

namespace strata::jit {

// The registers GCC's riscv64 code names most: a5, a4, a3, a0, a1, a2, s0, sp, ra.
RegisterPlanner::RegisterPlanner() : map_{15, 14, 13, 10, 11, 12, 8, 2, 1} {}

// Register operands of the instructions that run as host code (a semantic call reads the
// hart anyway). x0 and the sink are never mapped: x0 must read as zero, the sink is never read.
void RegisterPlanner::count(const GuestBlock& block) {
  for (const Decoded& d : block.insns) {
    if (!d.spec) continue;
    const OpKind kind = op_info(d.op).kind;
    const bool host_code = kind != OpKind::Semantic && kind != OpKind::None;
    const bool memory = d.spec->mem.kind == MemKind::Load || d.spec->mem.kind == MemKind::Store;
    if (!host_code && !memory) continue;
    if (reads_rs1(*d.spec)) uses_[d.rs1]++;
    if (reads_rs2(*d.spec)) uses_[d.rs2]++;
    if (writes_rd(*d.spec)) uses_[d.rd]++;
  }
  uses_[0] = uses_[32] = 0;
}

bool RegisterPlanner::rechoose(uint64_t translated) {
  if (translated < next_choice_) return false;
  next_choice_ = translated * 16;
  std::array<int, 33> order;
  for (int r = 0; r < 33; r++) order[r] = r;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return uses_[a] > uses_[b]; });
  RegisterMap next;
  next.fill(-1);
  for (unsigned i = 0; i < kCachedRegs; i++)
    if (uses_[order[i]] > 0) next[i] = order[i];
  // The most used take the callee-saved slots, which calls do not disturb. The same set in
  // another order is no change worth a retranslation.
  // Retranslating everything costs: only a map that covers clearly more uses is worth it.
  const auto covered = [&](const RegisterMap& m) {
    uint64_t sum = 0;
    for (int r : m)
      if (r >= 0) sum += uses_[r];
    return sum;
  };
  if (covered(next) * 4 < covered(map_) * 5) return false;
  RegisterMap a = next, b = map_;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a == b) return false;
  map_ = next;
  return true;
}

}  // namespace strata::jit
