#include "cpu/hart.h"

#include <algorithm>
#include <chrono>

#include "cpu/engine_kind.h"
#include "cpu/trap.h"
#include "mem/bus.h"
#include "mem/code_pages.h"

namespace strata {

namespace {
// misa: RV64 (MXL=2) with I, M, A, F, D, C, S, U.
constexpr uint64_t kMisa = (2ull << 62) | (1 << ('I' - 'A')) | (1 << ('M' - 'A')) | (1 << ('A' - 'A')) |
                           (1 << ('F' - 'A')) | (1 << ('D' - 'A')) | (1 << ('C' - 'A')) | (1 << ('S' - 'A')) |
                           (1 << ('U' - 'A'));
}  // namespace

Hart::Hart(const HartConfig& cfg, Bus* bus_, Translator* translator_, const Clock* clock_)
    : config(cfg), bus(bus_), translator(translator_), clock(clock_), engine_(make_engine(cfg.engine)) {
  if (bus) {
    code_pages = &bus->code_pages();
  } else {
    own_code_pages_ = std::make_unique<CodePages>();
    code_pages = own_code_pages_.get();
  }
  reset();
}

Hart::~Hart() = default;

void Hart::reset() {
  x.fill(0);
  f.fill(0);
  pc = config.reset_pc;
  csr.mstatus = (2ull << 32) | (2ull << 34);  // UXL = SXL = 64
  csr.misa = kMisa;
  csr.medeleg = csr.mideleg = csr.mie = 0;
  csr.mip = 0;
  csr.seip_software = false;
  csr.mtvec = csr.stvec = csr.mepc = csr.sepc = 0;
  csr.mcause = csr.scause = csr.mtval = csr.stval = 0;
  csr.satp = 0;
  csr.mhartid = config.hart_id;
  csr.fflags = csr.frm = 0;
  csr.stimecmp = ~0ull;
  csr.pmpcfg.fill(0);
  csr.pmpaddr.fill(0);
  reserved = false;
  exit_pending = false;
  irq_check = true;
  priv = Priv::M;
  flush_tlbs();
  engine_->flush_code(*this);
  update_contexts();
}

Priv Hart::data_priv() const {
  if (priv == Priv::M && (csr.mstatus & mstatus::kMPRV))
    return Priv((csr.mstatus & mstatus::kMPP) >> mstatus::kMPPShift);
  return priv;
}

void Hart::update_contexts() {
  itlb = &tlbs[unsigned(priv)];
  dtlb = &tlbs[unsigned(data_priv())];
  // With MPRV set, M-mode data accesses translate like the MPP mode but are checked with
  // M-mode's own rules in places (PMP): keep them in a context of their own.
  if (priv == Priv::M && (csr.mstatus & mstatus::kMPRV)) dtlb = &tlbs[2];
  if (translator) translator->context_changed(*this);
}

void Hart::flush_tlbs() {
  for (Tlb& t : tlbs) t.flush();
}

void Hart::stop_fast_writes(uint64_t pa_page) {
  for (Tlb& t : tlbs)
    for (TlbEntry& e : t.entries)
      if (e.pa_page == pa_page) e.tag_write = kTlbInvalid;
}

void Hart::flush_tlb_page(uint64_t va) {
  for (Tlb& t : tlbs) t.flush_page(va);
}

// Whether another thread asked for this, taking the request. A plain load first: the
// exchange is a locked instruction, too dear for every fetch when nothing was asked.
static bool take(std::atomic<bool>& request) {
  return request.load(std::memory_order_relaxed) && request.exchange(false);
}

void Hart::begin_run() {
  exit_pending = false;
  steps = 0;
  not_retired = 0;
  honour_requests();
  update_timer_interrupts(*this);
}

void Hart::commit_steps() {
  csr.minstret += steps - not_retired;
  csr.mcycle += steps;
  steps = not_retired = 0;
}

Exit Hart::end_run() {
  commit_steps();
  if (!exit_pending) return {ExitReason::BudgetSpent};
  exit_pending = false;
  return pending_exit;
}

void Hart::set_code_pages(CodePages* pages) {
  engine_->flush_code(*this);  // what it holds is registered with the old tracker
  code_pages = pages;
  code_epoch_seen_ = 0;
}

bool Hart::code_written(uint64_t pa, unsigned size) {
  return code_pages->written(pa, size) && engine_->code_written(*this, pa, size);
}

void Hart::honour_requests() {
  if (const uint64_t epoch = code_pages->epoch(); epoch != code_epoch_seen_) [[unlikely]] {
    code_epoch_seen_ = epoch;
    for (Tlb& t : tlbs)
      for (TlbEntry& e : t.entries)
        if (e.tag_write != kTlbInvalid && code_pages->held(e.pa_page)) e.tag_write = kTlbInvalid;
  }
  if (take(tlb_flush_request)) flush_tlbs();
  if (take(code_flush_request)) engine_->flush_code(*this);
  if (take(code_sync_request)) engine_->sync_code(*this);
}

void Hart::set_pending(unsigned bit, bool level) {
  const uint64_t mask = 1ull << bit;
  const uint64_t old = level ? csr.mip.fetch_or(mask) : csr.mip.fetch_and(~mask);
  if (bool(old & mask) != level) {
    irq_check = true;
    kick();
  }
}

void Hart::kick() {
  std::lock_guard lock(wake_mutex_);
  kicked_ = true;
  wake_.notify_all();
}

bool Hart::wait_for_interrupt(uint64_t timeout_ns) {
  // Clamped so that "never" (UINT64_MAX) stays a valid steady_clock deadline.
  const auto timeout = std::chrono::nanoseconds(std::min<uint64_t>(timeout_ns, uint64_t(1) << 62));
  std::unique_lock lock(wake_mutex_);
  const bool woken = wake_.wait_for(lock, timeout, [this] { return interrupt_waiting(*this) || kicked_; });
  kicked_ = false;
  return woken;
}

}  // namespace strata
