#include "devices/clint.h"

#include "cpu/priv.h"
#include "devices/host_clock.h"
#include "util/error.h"

namespace strata {

namespace {
constexpr uint32_t kStateVersion = 1;
constexpr uint64_t kMenvcfgSTCE = 1ull << 63;

// The 32-bit half of a 64-bit register that a 4-byte access at `offset` reaches.
uint64_t read_part(uint64_t reg, uint64_t offset, unsigned size) {
  if (size == 8) return reg;
  return (offset & 4) ? reg >> 32 : reg & 0xffffffffu;
}
uint64_t write_part(uint64_t reg, uint64_t offset, unsigned size, uint64_t value) {
  if (size == 8) return value;
  const unsigned shift = (offset & 4) ? 32 : 0;
  return (reg & ~(0xffffffffull << shift)) | ((value & 0xffffffffu) << shift);
}
}  // namespace

Clint::Clint(const Clock& source, unsigned num_harts)
    : guest_clock_(source),
      num_harts_(num_harts),
      harts_(num_harts, nullptr),
      timers_(new std::atomic<uint64_t>[num_harts]) {
  if (num_harts == 0 || num_harts > kMaxHarts)
    fail("the CLINT serves 1 to {} harts, not {}", kMaxHarts, num_harts);
  for (unsigned i = 0; i < num_harts_; i++) timers_[i] = kNoDeadline;
}

void Clint::attach(unsigned index, Hart& hart) {
  if (index >= num_harts_) fail("CLINT: hart {} attached to a CLINT of {} harts", index, num_harts_);
  harts_[index] = &hart;
  update_timer(index, mtime());
}

void Clint::set_mtime(uint64_t value) {
  guest_clock_.offset.store(value - guest_clock_.source_.now(), std::memory_order_relaxed);
  update_timers();
  // A sleeping hart computed its wake-up from the old mtime.
  for (Hart* h : harts_)
    if (h) h->kick();
}

void Clint::update_timers() {
  const uint64_t now = mtime();
  for (unsigned i = 0; i < num_harts_; i++) update_timer(i, now);
}

void Clint::update_timer(unsigned index, uint64_t now) {
  Hart* h = harts_[index];
  if (!h) return;
  const bool due = now >= timers_[index].load(std::memory_order_relaxed);
  const bool pending = h->csr.mip.load(std::memory_order_relaxed) & (1ull << irq::kMTI);
  if (due != pending) h->set_pending(irq::kMTI, due);
}

uint64_t Clint::next_deadline(unsigned index) const {
  if (index >= num_harts_) return kNoDeadline;
  uint64_t deadline = timers_[index].load(std::memory_order_relaxed);
  const Hart* h = harts_[index];
  if (h && (h->csr.menvcfg & kMenvcfgSTCE) && h->csr.stimecmp < deadline) deadline = h->csr.stimecmp;
  return deadline;
}

uint64_t Clint::ns_until_deadline(unsigned index) const {
  const uint64_t deadline = next_deadline(index);
  if (deadline == kNoDeadline) return UINT64_MAX;
  const uint64_t now = mtime();
  return deadline <= now ? 0 : ticks_to_ns(deadline - now);
}

void Clint::set_msip(unsigned index, bool level) {
  if (Hart* h = harts_[index]) h->set_pending(irq::kMSI, level);
}

bool Clint::msip(unsigned index) const {
  const Hart* h = harts_[index];
  return h && (h->csr.mip.load() & (1ull << irq::kMSI));
}

void Clint::set_mtimecmp(unsigned index, uint64_t value) {
  timers_[index].store(value, std::memory_order_relaxed);
  update_timer(index, mtime());
  // The hart may be asleep until the old deadline: let it recompute.
  if (Hart* h = harts_[index]) h->kick();
}

uint64_t Clint::read(uint64_t offset, unsigned size) {
  if ((size != 4 && size != 8) || offset % size != 0) return 0;
  if (offset < kMtimecmpBase) {
    const uint64_t index = offset / 4;
    return size == 4 && index < num_harts_ && msip(unsigned(index)) ? 1 : 0;
  }
  if (offset < kMtime) {
    const uint64_t index = (offset - kMtimecmpBase) / 8;
    return index < num_harts_ ? read_part(timers_[index].load(), offset, size) : 0;
  }
  if (offset < kMtime + 8) return read_part(mtime(), offset, size);
  return 0;
}

void Clint::write(uint64_t offset, unsigned size, uint64_t value) {
  if ((size != 4 && size != 8) || offset % size != 0) return;
  if (offset < kMtimecmpBase) {
    const uint64_t index = offset / 4;
    if (size == 4 && index < num_harts_) set_msip(unsigned(index), value & 1);
    return;
  }
  if (offset < kMtime) {
    const uint64_t index = (offset - kMtimecmpBase) / 8;
    if (index < num_harts_)
      set_mtimecmp(unsigned(index), write_part(timers_[index].load(), offset, size, value));
    return;
  }
  if (offset < kMtime + 8) set_mtime(write_part(mtime(), offset, size, value));
}

DeviceState Clint::save() const {
  StateWriter w;
  w.u32(num_harts_);
  w.u64(mtime());
  for (unsigned i = 0; i < num_harts_; i++) {
    w.u64(timers_[i].load());
    w.u8(msip(i));
  }
  return w.finish("clint", kStateVersion);
}

void Clint::restore(const DeviceState& state) {
  StateReader r(state, "clint", kStateVersion);
  const uint32_t n = r.u32();
  if (n != num_harts_) fail("CLINT state is for {} harts, this machine has {}", n, num_harts_);
  const uint64_t mtime_value = r.u64();
  std::vector<uint64_t> cmp(n);
  std::vector<bool> sip(n);
  for (unsigned i = 0; i < n; i++) {
    cmp[i] = r.u64();
    sip[i] = r.u8() & 1;
  }
  r.expect_end();
  // Only now that the whole state is known good does the device change.
  for (unsigned i = 0; i < n; i++) {
    timers_[i] = cmp[i];
    set_msip(i, sip[i]);
  }
  set_mtime(mtime_value);
}

}  // namespace strata
