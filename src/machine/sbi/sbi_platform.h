#pragma once
// What the built-in SBI firmware (sbi_firmware.h) needs from the board it runs on. The board
// implements this; the firmware does everything the spec defines in terms of it: argument
// checks and exact error codes, hart masks, reading guest memory, the calling hart's own
// fences and register set-up, and making the calling hart's run() return when a call does
// not return to the guest (hart stop, suspend, system reset).
//
// Threads: every call below is made on the thread of the hart that made the SBI call (the
// "caller"); calls naming other harts must be safe against those harts' own threads.
#include <cstdint>
#include <span>

#include "machine/sbi/sbi_abi.h"

namespace strata {

class Hart;

class SbiPlatform {
 public:
  virtual ~SbiPlatform() = default;

  // --- Harts ---------------------------------------------------------------------------
  // Hart ids are 0 .. hart_count() - 1, and hart(id).csr.mhartid == id.
  virtual uint64_t hart_count() const = 0;
  virtual Hart& hart(uint64_t hartid) = 0;

  // --- Hart state management (HSM) ----------------------------------------------------
  // The state hart_get_status reports. The firmware also uses it to skip harts that cannot
  // take an IPI (STOPPED, START_PENDING, STOP_PENDING) and fences to STOPPED harts.
  virtual sbi::HartState hart_state(uint64_t hartid) const = 0;

  // Starts a STOPPED hart. The firmware has checked `hartid` and that `start_addr` is
  // RAM; the platform moves the hart out of STOPPED atomically (a second concurrent start
  // must get kErrAlreadyAvailable), sets it up with
  //   enter_supervisor(hart, start_addr, hartid, opaque)   (machine/sbi/hart_entry.h)
  // on its own thread or while that thread is parked, and wakes it.
  // Returns kSuccess, kErrAlreadyAvailable when the hart is not STOPPED, or kErrFailed.
  virtual int64_t hart_start(uint64_t hartid, uint64_t start_addr, uint64_t opaque) = 0;

  // The caller stops (sbi_hart_stop). On kSuccess the firmware makes the caller's run()
  // return with ExitReason::WaitForInterrupt; the board must then see the hart STOPPED and
  // park its thread until hart_start, instead of waiting for an interrupt. kErrFailed
  // refuses (the call then returns that error to the guest).
  virtual int64_t hart_stop(Hart& caller) = 0;

  // The caller suspends (sbi_hart_suspend); the firmware has checked the type and the
  // resume address. On kSuccess the firmware sets up the registers the hart resumes with
  // (retentive: the ecall returns SBI_SUCCESS; non-retentive: enter_supervisor at
  // resume_addr) and makes run() return with ExitReason::WaitForInterrupt. The board
  // reports SUSPENDED until an interrupt is pending and enabled in mie (the condition of
  // Hart::wait_for_interrupt), then STARTED, and runs the hart on. Returns kSuccess, or
  // kErrNotSupported / kErrFailed to refuse (the ecall then returns that error).
  virtual int64_t hart_suspend(Hart& caller, bool retentive) = 0;

  // --- Timer ---------------------------------------------------------------------------
  // sbi_set_timer: the caller's next timer event at `deadline` (ticks of the `time` CSR).
  // The firmware has already cleared the caller's STIP (the spec says set_timer clears the
  // pending timer interrupt); the board raises STIP (Hart::set_pending(irq::kSTI, true))
  // once the clock reaches the deadline, at once if it already has. ~0 means never.
  virtual void set_timer(Hart& caller, uint64_t deadline) = 0;

  // --- IPIs and remote fences ----------------------------------------------------------
  // Raises SSIP on the hart (Hart::set_pending(irq::kSSI, true)) and wakes it if it waits
  // in WFI or suspend. The caller itself may be the target.
  virtual void send_ipi(uint64_t hartid) = 0;

  // Remote fence.i / sfence.vma on `hartids`: never the caller (the firmware fences the
  // caller itself) and never a STOPPED hart (hart start flushes everything). When the call
  // returns, no target may use a decoded instruction (fence.i) or a translation (sfence)
  // older than the call: either it has flushed, or it is parked and flushes before it runs
  // again. Flushing more than asked is allowed (Hart::code_sync_request /
  // Hart::tlb_flush_request plus SystemMmu::request_flush empty everything). The platform
  // must never wait for a hart that is parked (suspended, in WFI), which could deadlock.
  virtual void remote_fence_i(std::span<const uint64_t> hartids) = 0;
  virtual void remote_sfence_vma(std::span<const uint64_t> hartids, const sbi::FenceRange& range) = 0;

  // --- Console (CharBackend behind it) -----------------------------------------------
  // Guest output; must not block the hart for long.
  virtual void console_write(std::span<const uint8_t> bytes) = 0;
  // One byte of guest input, or -1 when none is waiting. Never blocks.
  virtual int console_read() = 0;

  // --- System reset --------------------------------------------------------------------
  // Shutdown, cold or warm reboot of the whole machine, from the caller's thread. The
  // platform stops the other harts; on kSuccess the firmware makes the caller's run()
  // return with ExitReason::Shutdown (detail 0, or 1 for ResetReason::SystemFailure) or
  // ExitReason::Reset (detail = the ResetType). Returns kSuccess, or kErrNotSupported for
  // a type the board cannot do (the call then returns that error to the guest).
  virtual int64_t system_reset(sbi::ResetType type, sbi::ResetReason reason) = 0;
};

}  // namespace strata
