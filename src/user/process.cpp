#include "user/process.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "cpu/trap.h"
#include "jit/jit_engine.h"
#include "user/guest_thread.h"

namespace strata::user {

uint64_t UserClock::now() const {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * kFrequency + uint64_t(ts.tv_nsec) / (1'000'000'000 / kFrequency);
}

// The report goes to a copy of the stderr Strata started with: programs such as xz close
// their stderr before they exit, to see whether writing it failed.
Process::Process(UserOptions opts) : options(std::move(opts)) {
  if (options.jit_stats) report_fd_ = fcntl(2, F_DUPFD_CLOEXEC, 100);
}

Process::~Process() {
  if (report_fd_ >= 0) close(report_fd_);
}

void Process::mappings_changed(GuestThread& self, bool code) {
  self.hart->flush_tlbs();
  if (code) self.hart->engine()->flush_code(*self.hart);
  std::lock_guard lock(threads_mutex);
  for (GuestThread* t : threads) {
    if (t == &self) continue;
    t->hart->tlb_flush_request = true;
    if (code) t->hart->code_flush_request = true;
  }
}

void Process::flush_code_everywhere(GuestThread& self) {
  self.hart->engine()->flush_code(*self.hart);
  std::lock_guard lock(threads_mutex);
  for (GuestThread* t : threads)
    if (t != &self) t->hart->code_flush_request = true;
}

void Process::sync_code_everywhere(GuestThread& self) {
  self.hart->engine()->sync_code(*self.hart);
  std::lock_guard lock(threads_mutex);
  for (GuestThread* t : threads)
    if (t != &self) t->hart->code_sync_request = true;
}

bool Process::first_unknown(uint64_t number) {
  std::lock_guard lock(warned_mutex_);
  const size_t i = number % warned_.size();
  if (warned_[i]) return false;
  warned_[i] = true;
  return true;
}

void init_user_hart(Hart& hart) {
  set_priv(hart, Priv::U);
  hart.csr.mstatus |= 1ull << mstatus::kFSShift;  // FS = Initial: F and D usable
  hart.csr.mcounteren = hart.csr.scounteren = 7;  // rdcycle, rdtime, rdinstret
  hart.update_contexts();
}

void Process::print_jit_stats(GuestThread& self) {
  if (!options.jit_stats) return;
  const std::string report = jit::jit_report(*self.hart->engine());
  [[maybe_unused]] ssize_t n = write(report_fd_ >= 0 ? report_fd_ : 2, report.data(), report.size());
}

}  // namespace strata::user
