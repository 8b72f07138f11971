#pragma once
// A 16550A UART as on QEMU's virt board: eight byte-wide registers at offsets 0..7 of a
// 256-byte region (reg-shift 0). Wider accesses reach the register at their offset and use
// its low byte; offsets 8 and above read as zero.
//
//   0 RBR (read) / THR (write) / DLL (DLAB)    4 MCR (DTR, RTS, OUT1, OUT2, LOOP)
//   1 IER / DLM (DLAB)                         5 LSR (DR, OE, THRE, TEMT ...; read clears OE)
//   2 IIR (read) / FCR (write)                 6 MSR (read clears the delta bits)
//   3 LCR (bit 7: DLAB)                        7 SCR
//
// Transmission is instantaneous: a byte written to THR goes straight to the back end (or,
// in loopback, to the receiver), so THRE and TEMT always read as set and the THRE interrupt
// re-arms after every write. Reception: host input lands in a host-side buffer (the back end
// thread calls the input sink) and moves into the 16-byte receive FIFO (1 byte with FIFOs
// off) as the guest drains it, so host input never overruns. With FIFOs on, data below the
// trigger level reports a character timeout at once: there are no character times to wait.
// The interrupt output is level-triggered on an IrqLine (the PLIC).
#include <cstdint>
#include <deque>
#include <mutex>

#include "devices/char_backend.h"
#include "devices/irq.h"
#include "mem/mmio_device.h"

namespace strata {

class Uart16550 final : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x100;
  static constexpr size_t kFifoSize = 16;
  static constexpr size_t kInputLimit = 64 * 1024;  // host bytes waiting; more are dropped

  // Registers the input sink on `backend` (which may be null: output is dropped and no input
  // comes). Stop the back end before destroying the UART.
  Uart16550(CharBackend* backend, IrqLine irq);

  std::string_view name() const override { return "uart16550"; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;
  DeviceState save() const override;
  void restore(const DeviceState& state) override;

  // Host input (what the back end's input sink calls); any thread.
  void receive(uint8_t byte);
  size_t dropped_input() const;

 private:
  uint8_t read_register(unsigned reg);
  // Returns true (and sets `out`) when the write transmits a byte to the back end.
  bool write_register(unsigned reg, uint8_t value, uint8_t& out);
  uint8_t interrupt_id() const;  // IIR bits 0..3
  uint8_t modem_lines() const;   // MSR bits 4..7
  void set_modem_lines(uint8_t before);
  void loop_back(uint8_t byte);
  void refill();
  size_t fifo_capacity() const;
  size_t trigger_level() const;
  void update_irq(bool force = false);

  CharBackend* backend_;
  IrqLine irq_;
  mutable std::mutex mutex_;

  uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
  uint8_t dll_ = 0, dlm_ = 0;
  uint8_t lsr_errors_ = 0;     // OE/PE/FE/BI, cleared by reading LSR
  uint8_t msr_deltas_ = 0;     // DCTS/DDSR/TERI/DDCD, cleared by reading MSR
  uint8_t rbr_ = 0;            // the last byte read (what RBR shows when empty)
  bool thre_pending_ = false;  // THRE interrupt armed (cleared by IIR read or THR write)
  bool irq_level_ = false;
  std::deque<uint8_t> rx_fifo_;
  std::deque<uint8_t> host_input_;
  size_t dropped_ = 0;
};

}  // namespace strata
