#pragma once
// Four real harts on one bus, each with its own MMU, running `ecall` from S-mode into the
// built-in SBI firmware, on a fake board that records what the firmware asks of it. Hart 0
// is the MmuFixture's hart, so its page-table helpers build address spaces for it.
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "machine/sbi/hart_entry.h"
#include "machine/sbi/sbi_firmware.h"
#include "machine/sbi/sbi_platform.h"
#include "mmu_fixture.h"

namespace strata::testing {

class FakeSbiPlatform : public SbiPlatform {
 public:
  // --- What the tests set up ---
  std::vector<Hart*> harts;
  std::vector<sbi::HartState> states;
  uint64_t count_override = 0;  // pretend to have this many harts (masks beyond the real ones)
  std::deque<uint8_t> console_in;
  int64_t stop_result = sbi::kSuccess, suspend_result = sbi::kSuccess, reset_result = sbi::kSuccess;
  const Clock* clock = nullptr;

  // --- What the firmware asked for ---
  std::string console_out;
  std::vector<uint64_t> ipis;
  std::vector<std::vector<uint64_t>> fence_i_calls;
  struct Sfence {
    std::vector<uint64_t> harts;
    sbi::FenceRange range;
  };
  std::vector<Sfence> sfence_calls;
  struct Start {
    uint64_t hartid, addr, opaque;
  };
  std::vector<Start> starts;
  std::vector<uint64_t> stops;
  struct Suspend {
    uint64_t hartid;
    bool retentive;
  };
  std::vector<Suspend> suspends;
  struct Timer {
    uint64_t hartid, deadline;
  };
  std::vector<Timer> timers;
  struct Reset {
    sbi::ResetType type;
    sbi::ResetReason reason;
  };
  std::vector<Reset> resets;

  uint64_t hart_count() const override { return count_override ? count_override : harts.size(); }
  Hart& hart(uint64_t hartid) override { return *harts.at(hartid); }
  sbi::HartState hart_state(uint64_t hartid) const override {
    return hartid < states.size() ? states[hartid] : sbi::HartState::Started;
  }
  int64_t hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque) override {
    if (states.at(hartid) != sbi::HartState::Stopped) return sbi::kErrAlreadyAvailable;
    starts.push_back({hartid, addr, opaque});
    enter_supervisor(*harts.at(hartid), addr, hartid, opaque);  // its thread is "parked"
    states[hartid] = sbi::HartState::Started;
    return sbi::kSuccess;
  }
  int64_t hart_stop(Hart& caller) override {
    stops.push_back(caller.csr.mhartid);
    if (stop_result == sbi::kSuccess) states.at(caller.csr.mhartid) = sbi::HartState::Stopped;
    return stop_result;
  }
  int64_t hart_suspend(Hart& caller, bool retentive) override {
    suspends.push_back({caller.csr.mhartid, retentive});
    if (suspend_result == sbi::kSuccess) states.at(caller.csr.mhartid) = sbi::HartState::Suspended;
    return suspend_result;
  }
  void set_timer(Hart& caller, uint64_t deadline) override {
    timers.push_back({caller.csr.mhartid, deadline});
    if (clock && clock->now() >= deadline) caller.set_pending(irq::kSTI, true);
  }
  void send_ipi(uint64_t hartid) override {
    ipis.push_back(hartid);
    if (hartid < harts.size()) harts[hartid]->set_pending(irq::kSSI, true);
  }
  void remote_fence_i(std::span<const uint64_t> ids) override {
    fence_i_calls.emplace_back(ids.begin(), ids.end());
  }
  void remote_sfence_vma(std::span<const uint64_t> ids, const sbi::FenceRange& range) override {
    sfence_calls.push_back({{ids.begin(), ids.end()}, range});
  }
  void console_write(std::span<const uint8_t> bytes) override {
    console_out.append(bytes.begin(), bytes.end());
  }
  int console_read() override {
    if (console_in.empty()) return -1;
    const uint8_t b = console_in.front();
    console_in.pop_front();
    return b;
  }
  int64_t system_reset(sbi::ResetType type, sbi::ResetReason reason) override {
    resets.push_back({type, reason});
    return reset_result;
  }
};

class SbiFixture : public MmuFixture {
 public:
  static constexpr unsigned kHarts = 4;
  static constexpr uint64_t kCode = kRamBase + 0x10000;  // hart i's ecall at kCode + 0x100 * i
  static constexpr uint64_t kStvec = kRamBase + 0x6000;
  static constexpr uint64_t kSentinel = 0x5a5a'0000'0000'0000;

  struct Result {
    Exit exit;
    uint64_t a0, a1;
    int64_t error() const { return int64_t(a0); }
  };

 protected:
  SbiFixture() : firmware_(platform_) {
    platform_.clock = &clock_;
    platform_.harts.push_back(hart_.get());
    for (unsigned i = 1; i < kHarts; i++) {
      mmus_.push_back(std::make_unique<SystemMmu>(bus_));
      HartConfig config;
      config.hart_id = i;
      config.reset_pc = kRamBase;
      others_.push_back(std::make_unique<Hart>(config, &bus_, mmus_.back().get(), &clock_));
      platform_.harts.push_back(others_.back().get());
    }
    for (unsigned i = 0; i < kHarts; i++) {
      Hart& h = hart_at(i);
      h.firmware = &firmware_;
      m_csr(h, csrnum::kPmpaddr0, ~0ull);
      m_csr(h, csrnum::kPmpcfg0, 0x1f);
      m_csr(h, csrnum::kStvec, kStvec);
      m_csr(h, csrnum::kMtvec, kTrapVector);
      write32(code_of(i), encode(Op::Ecall, {}));
      set_priv(h, Priv::S);
    }
    platform_.states.assign(kHarts, sbi::HartState::Started);
    // Harmless code at the trap vectors, in case a test goes there.
    for (uint64_t off = 0; off < 0x100; off += 4) {
      write32(kStvec + off, enc_i(Op::Addi, 0, 0, 0));
      write32(kTrapVector + off, enc_i(Op::Addi, 0, 0, 0));
    }
  }

  Hart& hart_at(unsigned i) { return *platform_.harts.at(i); }
  static uint64_t code_of(unsigned i) { return kCode + 0x100 * i; }

  // A CSR write as M-mode software makes it, on any hart.
  static void m_csr(Hart& h, uint16_t number, uint64_t value) {
    const Priv saved = h.priv;
    h.priv = Priv::M;
    ASSERT_TRUE(csr_write(h, number, value)) << "csr " << std::hex << number;
    h.priv = saved;
    h.update_contexts();
  }

  // Runs one `ecall` from S-mode on hart `index` with a7 = eid, a6 = fid, a0.. = args; the
  // other registers hold sentinels that call_preserved() checks.
  Result call_on(unsigned index, uint64_t eid, uint64_t fid, std::initializer_list<uint64_t> args = {}) {
    Hart& h = hart_at(index);
    for (unsigned r = 1; r < 32; r++) h.x[r] = kSentinel | r;
    unsigned n = 10;
    for (uint64_t a : args) h.x[n++] = a;
    h.x[17] = eid;
    h.x[16] = fid;
    h.pc = code_of(index);
    if (h.priv != Priv::S) set_priv(h, Priv::S);
    const Exit exit = h.run(1);
    return {exit, h.x[10], h.x[11]};
  }
  Result call(uint64_t eid, uint64_t fid, std::initializer_list<uint64_t> args = {}) {
    return call_on(0, eid, fid, args);
  }

  // Whether hart 0 runs an instruction written over its (already decoded) ecall behind its
  // back, as another hart or a device would: true once a fence.i reached it. The ecall is
  // put back afterwards.
  bool runs_code_written_behind_its_back() {
    Hart& h = hart_at(0);
    write32(code_of(0), enc_i(Op::Addi, 10, 0, 77));
    h.x[10] = 0;
    h.pc = code_of(0);
    h.run(1);
    const bool ran = h.x[10] == 77;
    write32(code_of(0), encode(Op::Ecall, {}));
    h.engine()->flush_code(h);
    return ran;
  }

  // Every register but a0/a1, a6/a7 and the argument registers `args_used` kept its sentinel.
  void expect_preserved(unsigned index, std::initializer_list<unsigned> args_used = {}) {
    Hart& h = hart_at(index);
    for (unsigned r = 1; r < 32; r++) {
      if (r == 10 || r == 11 || r == 16 || r == 17) continue;
      if (std::find(args_used.begin(), args_used.end(), r) != args_used.end()) continue;
      EXPECT_EQ(h.x[r], kSentinel | r) << "x" << r;
    }
  }
  // The call returned to the instruction after the ecall, still in S-mode.
  void expect_returned(unsigned index = 0) {
    EXPECT_EQ(hart_at(index).pc, code_of(index) + 4);
    EXPECT_EQ(hart_at(index).priv, Priv::S);
  }

  FakeSbiPlatform platform_;
  SbiFirmware firmware_;
  std::vector<std::unique_ptr<SystemMmu>> mmus_;
  std::vector<std::unique_ptr<Hart>> others_;
};

}  // namespace strata::testing
