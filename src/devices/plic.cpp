#include "devices/plic.h"

#include "cpu/priv.h"
#include "util/error.h"

namespace strata {

namespace {
constexpr uint32_t kStateVersion = 1;
constexpr unsigned kWords = (Plic::kSources + 31) / 32;  // 32-bit words of pending/enable bits
}  // namespace

Plic::Plic(unsigned num_harts) {
  if (num_harts == 0 || num_harts > kMaxHarts)
    fail("the PLIC serves 1 to {} harts, not {}", kMaxHarts, num_harts);
  contexts_.resize(2 * num_harts);
  harts_.assign(num_harts, nullptr);
}

void Plic::attach(unsigned index, Hart& hart) {
  std::lock_guard lock(mutex_);
  if (index >= harts_.size()) fail("PLIC: hart {} attached to a PLIC of {} harts", index, harts_.size());
  harts_[index] = &hart;
  update_outputs(true);
}

void Plic::set_irq(unsigned source, bool level) {
  if (source == 0 || source >= kSources) return;
  std::lock_guard lock(mutex_);
  level_[source] = level;
  // The gateway forwards a request only while the source is not in service, and never
  // retracts one it forwarded (a level dropping before the claim leaves it pending).
  if (level && !claimed_[source]) pending_[source] = true;
  update_outputs();
}

unsigned Plic::best_source(const Context& ctx) const {
  const Bits candidates = pending_ & ctx.enabled;
  if (candidates.none()) return 0;
  unsigned best = 0;
  uint32_t best_priority = ctx.threshold;  // must be strictly above the threshold
  for (unsigned s = 1; s < kSources; s++)
    if (candidates[s] && priority_[s] > best_priority) {
      best = s;
      best_priority = priority_[s];
    }
  return best;
}

unsigned Plic::claim(unsigned ctx) {
  const unsigned source = best_source(contexts_[ctx]);
  if (source) {
    pending_[source] = false;
    claimed_[source] = true;
    update_outputs();
  }
  return source;
}

void Plic::complete(unsigned ctx, uint32_t source) {
  // A completion for a source not enabled for this context is ignored (the spec's rule,
  // which Linux relies on by enabling a masked source around its completion).
  if (source == 0 || source >= kSources || !contexts_[ctx].enabled[source]) return;
  if (!claimed_[source]) return;
  claimed_[source] = false;
  if (level_[source]) pending_[source] = true;
  update_outputs();
}

void Plic::update_outputs(bool drive_all) {
  for (unsigned c = 0; c < contexts_.size(); c++) {
    Context& ctx = contexts_[c];
    const bool line = best_source(ctx) != 0;
    if (line == ctx.line && !drive_all) continue;
    ctx.line = line;
    if (Hart* h = harts_[c / 2]) h->set_pending(c % 2 == 0 ? irq::kMEI : irq::kSEI, line);
  }
}

uint32_t Plic::word_of(const Bits& bits, unsigned word) {
  uint32_t v = 0;
  for (unsigned i = 0; i < 32 && 32 * word + i < kSources; i++)
    if (bits[32 * word + i]) v |= 1u << i;
  return v;
}

uint64_t Plic::read(uint64_t offset, unsigned size) {
  if (size != 4 || offset % 4 != 0) return 0;
  std::lock_guard lock(mutex_);
  return read_locked(offset);
}

void Plic::write(uint64_t offset, unsigned size, uint64_t value) {
  if (size != 4 || offset % 4 != 0) return;
  std::lock_guard lock(mutex_);
  write_locked(offset, uint32_t(value));
}

uint32_t Plic::read_locked(uint64_t offset) {
  if (offset < kPendingBase) {
    const uint64_t source = (offset - kPriorityBase) / 4;
    return source < kSources ? priority_[source] : 0;
  }
  if (offset < kEnableBase) {
    const uint64_t word = (offset - kPendingBase) / 4;
    return word < kWords ? word_of(pending_, unsigned(word)) : 0;
  }
  if (offset < kContextBase) {
    const uint64_t ctx = (offset - kEnableBase) / kEnableStride;
    const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
    return ctx < contexts_.size() && word < kWords ? word_of(contexts_[ctx].enabled, unsigned(word)) : 0;
  }
  const uint64_t ctx = (offset - kContextBase) / kContextStride;
  if (ctx >= contexts_.size()) return 0;
  switch ((offset - kContextBase) % kContextStride) {
    case 0:
      return contexts_[ctx].threshold;
    case 4:
      return claim(unsigned(ctx));
    default:
      return 0;
  }
}

void Plic::write_locked(uint64_t offset, uint32_t value) {
  if (offset < kPendingBase) {
    const uint64_t source = (offset - kPriorityBase) / 4;
    if (source == 0 || source >= kSources) return;
    priority_[source] = value & kMaxPriority;  // WARL: 3 bits
    update_outputs();
    return;
  }
  if (offset < kEnableBase) return;  // pending bits are read-only
  if (offset < kContextBase) {
    const uint64_t ctx = (offset - kEnableBase) / kEnableStride;
    const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
    if (ctx >= contexts_.size() || word >= kWords) return;
    Bits& enabled = contexts_[ctx].enabled;
    for (unsigned i = 0; i < 32 && 32 * word + i < kSources; i++) enabled[32 * word + i] = (value >> i) & 1;
    enabled[0] = false;  // source 0 does not exist
    update_outputs();
    return;
  }
  const uint64_t ctx = (offset - kContextBase) / kContextStride;
  if (ctx >= contexts_.size()) return;
  switch ((offset - kContextBase) % kContextStride) {
    case 0:
      contexts_[ctx].threshold = value & kMaxPriority;
      update_outputs();
      break;
    case 4:
      complete(unsigned(ctx), value);
      break;
    default:
      break;
  }
}

DeviceState Plic::save() const {
  std::lock_guard lock(mutex_);
  StateWriter w;
  w.u32(kSources);
  w.u32(uint32_t(contexts_.size()));
  for (uint32_t p : priority_) w.u8(uint8_t(p));
  for (const Bits* bits : {&level_, &pending_, &claimed_})
    for (unsigned word = 0; word < kWords; word++) w.u32(word_of(*bits, word));
  for (const Context& ctx : contexts_) {
    for (unsigned word = 0; word < kWords; word++) w.u32(word_of(ctx.enabled, word));
    w.u8(uint8_t(ctx.threshold));
  }
  return w.finish("plic", kStateVersion);
}

void Plic::restore(const DeviceState& state) {
  StateReader r(state, "plic", kStateVersion);
  if (const uint32_t n = r.u32(); n != kSources) fail("PLIC state has {} sources, this PLIC {}", n, kSources);
  if (const uint32_t n = r.u32(); n != contexts_.size())
    fail("PLIC state has {} contexts, this machine {}", n, contexts_.size());
  auto read_bits = [&r] {
    Bits bits;
    for (unsigned word = 0; word < kWords; word++) {
      const uint32_t v = r.u32();
      for (unsigned i = 0; i < 32 && 32 * word + i < kSources; i++) bits[32 * word + i] = (v >> i) & 1;
    }
    bits[0] = false;
    return bits;
  };
  std::array<uint32_t, kSources> priority{};
  for (uint32_t& p : priority) p = r.u8() & kMaxPriority;
  priority[0] = 0;
  const Bits level = read_bits(), pending = read_bits(), claimed = read_bits();
  std::vector<Context> contexts(contexts_.size());
  for (Context& ctx : contexts) {
    ctx.enabled = read_bits();
    ctx.threshold = r.u8() & kMaxPriority;
  }
  r.expect_end();

  std::lock_guard lock(mutex_);
  priority_ = priority;
  level_ = level;
  pending_ = pending;
  claimed_ = claimed;
  for (unsigned c = 0; c < contexts_.size(); c++) {
    contexts_[c].enabled = contexts[c].enabled;
    contexts_[c].threshold = contexts[c].threshold;
  }
  update_outputs(true);
}

}  // namespace strata
