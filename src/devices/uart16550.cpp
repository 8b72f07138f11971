#include "devices/uart16550.h"

#include "util/error.h"

namespace strata {

namespace {
constexpr uint32_t kStateVersion = 1;

enum Reg : unsigned { kData = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };

constexpr uint8_t kIerRxData = 1, kIerThre = 2, kIerLineStatus = 4, kIerModemStatus = 8;
constexpr uint8_t kIirNone = 0x01, kIirLineStatus = 0x06, kIirRxData = 0x04, kIirTimeout = 0x0c,
                  kIirThre = 0x02, kIirModemStatus = 0x00, kIirFifosOn = 0xc0;
constexpr uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02, kFcrStoredBits = 0xc9;  // enable, DMA mode, trigger
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kMcrDtr = 0x01, kMcrRts = 0x02, kMcrOut1 = 0x04, kMcrOut2 = 0x08, kMcrLoop = 0x10,
                  kMcrBits = 0x1f;
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrErrors = 0x1e, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40, kMsrDcd = 0x80;
constexpr uint8_t kMsrDcts = 0x01, kMsrDdsr = 0x02, kMsrTeri = 0x04, kMsrDdcd = 0x08;
}  // namespace

Uart16550::Uart16550(CharBackend* backend, IrqLine irq) : backend_(backend), irq_(irq) {
  if (backend_) backend_->set_input_sink([this](uint8_t byte) { receive(byte); });
}

size_t Uart16550::fifo_capacity() const { return (fcr_ & kFcrEnable) ? kFifoSize : 1; }

size_t Uart16550::trigger_level() const {
  static constexpr size_t kLevels[] = {1, 4, 8, 14};
  return kLevels[fcr_ >> 6];
}

uint8_t Uart16550::modem_lines() const {
  if (!(mcr_ & kMcrLoop)) return kMsrCts | kMsrDsr | kMsrDcd;  // a host side always ready
  uint8_t lines = 0;
  if (mcr_ & kMcrRts) lines |= kMsrCts;
  if (mcr_ & kMcrDtr) lines |= kMsrDsr;
  if (mcr_ & kMcrOut1) lines |= kMsrRi;
  if (mcr_ & kMcrOut2) lines |= kMsrDcd;
  return lines;
}

// Records the delta bits for the modem lines that changed from `before`.
void Uart16550::set_modem_lines(uint8_t before) {
  const uint8_t after = modem_lines();
  const uint8_t changed = before ^ after;
  if (changed & kMsrCts) msr_deltas_ |= kMsrDcts;
  if (changed & kMsrDsr) msr_deltas_ |= kMsrDdsr;
  if (changed & kMsrDcd) msr_deltas_ |= kMsrDdcd;
  if ((before & kMsrRi) && !(after & kMsrRi)) msr_deltas_ |= kMsrTeri;  // trailing edge only
}

uint8_t Uart16550::interrupt_id() const {
  if ((ier_ & kIerLineStatus) && lsr_errors_) return kIirLineStatus;
  if ((ier_ & kIerRxData) && !rx_fifo_.empty()) {
    if (!(fcr_ & kFcrEnable) || rx_fifo_.size() >= trigger_level()) return kIirRxData;
    return kIirTimeout;
  }
  if ((ier_ & kIerThre) && thre_pending_) return kIirThre;
  if ((ier_ & kIerModemStatus) && msr_deltas_) return kIirModemStatus;
  return kIirNone;
}

void Uart16550::update_irq(bool force) {
  const bool level = interrupt_id() != kIirNone;
  if (level == irq_level_ && !force) return;
  irq_level_ = level;
  irq_.set(level);
}

// Moves host input into the receive FIFO while there is room (not in loopback, where the
// receiver listens to the transmitter only).
void Uart16550::refill() {
  if (mcr_ & kMcrLoop) return;
  while (!host_input_.empty() && rx_fifo_.size() < fifo_capacity()) {
    rx_fifo_.push_back(host_input_.front());
    host_input_.pop_front();
  }
}

void Uart16550::loop_back(uint8_t byte) {
  if (rx_fifo_.size() < fifo_capacity()) {
    rx_fifo_.push_back(byte);
    return;
  }
  lsr_errors_ |= kLsrOe;
  // Without FIFOs the new byte overwrites the holding register; with them it is lost.
  if (!(fcr_ & kFcrEnable)) rx_fifo_.back() = byte;
}

void Uart16550::receive(uint8_t byte) {
  std::lock_guard lock(mutex_);
  if (host_input_.size() >= kInputLimit) {
    dropped_++;
    return;
  }
  host_input_.push_back(byte);
  refill();
  update_irq();
}

size_t Uart16550::dropped_input() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

uint8_t Uart16550::read_register(unsigned reg) {
  switch (reg) {
    case kData:
      if (lcr_ & kLcrDlab) return dll_;
      if (!rx_fifo_.empty()) {
        rbr_ = rx_fifo_.front();
        rx_fifo_.pop_front();
        refill();
      }
      return rbr_;
    case kIer:
      return (lcr_ & kLcrDlab) ? dlm_ : ier_;
    case kIirFcr: {
      const uint8_t id = interrupt_id();
      if (id == kIirThre) thre_pending_ = false;  // reading IIR acknowledges THRE
      return id | ((fcr_ & kFcrEnable) ? kIirFifosOn : 0);
    }
    case kLcr:
      return lcr_;
    case kMcr:
      return mcr_;
    case kLsr: {
      const uint8_t v = (rx_fifo_.empty() ? 0 : kLsrDr) | lsr_errors_ | kLsrThre | kLsrTemt;
      lsr_errors_ = 0;
      return v;
    }
    case kMsr: {
      const uint8_t v = modem_lines() | msr_deltas_;
      msr_deltas_ = 0;
      return v;
    }
    default:
      return scr_;
  }
}

bool Uart16550::write_register(unsigned reg, uint8_t value, uint8_t& out) {
  switch (reg) {
    case kData:
      if (lcr_ & kLcrDlab) {
        dll_ = value;
        return false;
      }
      // The byte leaves at once, so THR is empty again: THRE re-arms.
      thre_pending_ = true;
      if (mcr_ & kMcrLoop) {
        loop_back(value);
        return false;
      }
      out = value;
      return true;
    case kIer:
      if (lcr_ & kLcrDlab) {
        dlm_ = value;
        return false;
      }
      // Enabling the THRE interrupt while THR is empty raises it (it always is empty here).
      if ((value & kIerThre) && !(ier_ & kIerThre)) thre_pending_ = true;
      if (!(value & kIerThre)) thre_pending_ = false;
      ier_ = value & 0x0f;
      return false;
    case kIirFcr: {
      const uint8_t old = fcr_;
      fcr_ = value & kFcrStoredBits;
      // Switching FIFOs on or off empties both; bit 1 empties the receiver (bit 2, the
      // transmitter, which is always empty).
      if (((old ^ fcr_) & kFcrEnable) || (value & kFcrClearRx)) rx_fifo_.clear();
      refill();
      return false;
    }
    case kLcr:
      lcr_ = value;
      return false;
    case kMcr: {
      const uint8_t before = modem_lines();
      mcr_ = value & kMcrBits;
      set_modem_lines(before);
      refill();  // leaving loopback reconnects the host input
      return false;
    }
    case kLsr:
    case kMsr:
      return false;  // read-only (factory test modes are not emulated)
    default:
      scr_ = value;
      return false;
  }
}

uint64_t Uart16550::read(uint64_t offset, unsigned size) {
  if (offset >= 8) return 0;
  std::lock_guard lock(mutex_);
  const uint8_t v = read_register(unsigned(offset));
  update_irq();
  return v;
}

void Uart16550::write(uint64_t offset, unsigned size, uint64_t value) {
  if (offset >= 8) return;
  uint8_t out = 0;
  bool transmit;
  {
    std::lock_guard lock(mutex_);
    transmit = write_register(unsigned(offset), uint8_t(value), out);
    update_irq();
  }
  // Outside our lock: a back end may feed input back (echo) from this thread. The bus's
  // region lock still orders the writes of several harts.
  if (transmit && backend_) backend_->write({&out, 1});
}

DeviceState Uart16550::save() const {
  std::lock_guard lock(mutex_);
  StateWriter w;
  for (uint8_t v : {ier_, lcr_, mcr_, scr_, fcr_, dll_, dlm_, lsr_errors_, msr_deltas_, rbr_}) w.u8(v);
  w.u8(thre_pending_);
  const std::vector<uint8_t> fifo(rx_fifo_.begin(), rx_fifo_.end());
  const std::vector<uint8_t> input(host_input_.begin(), host_input_.end());
  w.blob(fifo);
  w.blob(input);
  return w.finish("uart16550", kStateVersion);
}

void Uart16550::restore(const DeviceState& state) {
  StateReader r(state, "uart16550", kStateVersion);
  uint8_t regs[10];
  for (uint8_t& v : regs) v = r.u8();
  const bool thre = r.u8() & 1;
  const std::vector<uint8_t> fifo = r.blob();
  const std::vector<uint8_t> input = r.blob();
  r.expect_end();
  const uint8_t fcr = regs[4] & kFcrStoredBits;
  if (fifo.size() > ((fcr & kFcrEnable) ? kFifoSize : 1))
    fail("UART state holds {} bytes in its FIFO", fifo.size());
  if (input.size() > kInputLimit) fail("UART state holds {} bytes of pending input", input.size());

  std::lock_guard lock(mutex_);
  ier_ = regs[0] & 0x0f;
  lcr_ = regs[1];
  mcr_ = regs[2] & kMcrBits;
  scr_ = regs[3];
  fcr_ = fcr;
  dll_ = regs[5];
  dlm_ = regs[6];
  lsr_errors_ = regs[7] & kLsrErrors;
  msr_deltas_ = regs[8] & 0x0f;
  rbr_ = regs[9];
  thre_pending_ = thre;
  rx_fifo_.assign(fifo.begin(), fifo.end());
  host_input_.assign(input.begin(), input.end());
  update_irq(true);
}

}  // namespace strata
