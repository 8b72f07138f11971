// 16550A UART: registers and reset values, DLAB, FIFOs and trigger levels, IIR priorities,
// THRE and receive interrupts, loopback and modem lines, input buffering from another
// thread, hostile accesses, save/restore, and the interrupt reaching a hart via the PLIC.
#include "devices/uart16550.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>

#include "cpu/priv.h"
#include "device_harts.h"
#include "devices/char/memory.h"
#include "devices/plic.h"
#include "util/error.h"

namespace strata::testing {
namespace {

enum : uint64_t {
  RBR = 0,
  THR = 0,
  DLL = 0,
  IER = 1,
  DLM = 1,
  IIR = 2,
  FCR = 2,
  LCR = 3,
  MCR = 4,
  LSR = 5,
  MSR = 6,
  SCR = 7
};

class RecordingSink : public IrqSink {
 public:
  void set_irq(unsigned source, bool level) override {
    std::lock_guard lock(mutex);
    levels[source] = level;
    calls++;
  }
  bool level(unsigned source) {
    std::lock_guard lock(mutex);
    return levels[source];
  }
  std::mutex mutex;
  std::map<unsigned, bool> levels;
  unsigned calls = 0;
};

constexpr unsigned kIrq = 10;

class UartTest : public ::testing::Test {
 protected:
  UartTest() : uart(&backend, IrqLine{&sink, kIrq}) {}
  uint8_t rd(uint64_t reg) { return uint8_t(uart.read(reg, 1)); }
  void wr(uint64_t reg, uint8_t v) { uart.write(reg, 1, v); }
  bool irq() { return sink.level(kIrq); }
  std::string read_all() {
    std::string s;
    while (rd(LSR) & 0x01) s += char(rd(RBR));
    return s;
  }

  MemoryCharBackend backend;
  RecordingSink sink;
  Uart16550 uart;
};

TEST_F(UartTest, ResetValues) {
  EXPECT_EQ(rd(IER), 0x00);
  EXPECT_EQ(rd(IIR), 0x01);
  EXPECT_EQ(rd(LCR), 0x00);
  EXPECT_EQ(rd(MCR), 0x00);
  EXPECT_EQ(rd(LSR), 0x60);  // THRE | TEMT
  EXPECT_EQ(rd(MSR), 0xb0);  // DCD | DSR | CTS
  EXPECT_EQ(rd(SCR), 0x00);
  EXPECT_EQ(rd(RBR), 0x00);
  EXPECT_FALSE(irq());
}

TEST_F(UartTest, TransmitGoesToTheBackend) {
  for (char c : std::string("hello\n")) wr(THR, uint8_t(c));
  EXPECT_EQ(backend.output(), "hello\n");
  EXPECT_EQ(rd(LSR) & 0x60, 0x60);
}

TEST_F(UartTest, DivisorLatchesUnderDlab) {
  wr(LCR, 0x83);
  wr(DLL, 0x0c);
  wr(DLM, 0x01);
  EXPECT_EQ(rd(DLL), 0x0c);
  EXPECT_EQ(rd(DLM), 0x01);
  EXPECT_EQ(backend.output(), "");  // DLL writes do not transmit
  wr(LCR, 0x03);
  EXPECT_EQ(rd(LCR), 0x03);
  EXPECT_EQ(rd(IER), 0x00);  // IER, not DLM
  wr(IER, 0xff);
  EXPECT_EQ(rd(IER), 0x0f);  // four interrupt enables
  wr(LCR, 0x80);
  EXPECT_EQ(rd(DLM), 0x01);
  wr(SCR, 0x5a);
  EXPECT_EQ(rd(SCR), 0x5a);
}

TEST_F(UartTest, FifoHoldsSixteenAndTheRestWaitsInTheHostBuffer) {
  wr(FCR, 0x01);
  EXPECT_EQ(rd(IIR) & 0xc0, 0xc0);
  const std::string input = "abcdefghijklmnopqrstuvwxyz";
  backend.send(input);
  EXPECT_EQ(rd(LSR) & 0x03, 0x01);  // DR, no overrun
  EXPECT_EQ(read_all(), input);
  EXPECT_EQ(rd(LSR) & 0x01, 0);
  EXPECT_EQ(rd(RBR), 'z');  // an empty RBR shows the last byte
  EXPECT_EQ(uart.dropped_input(), 0u);
}

TEST_F(UartTest, WithoutFifosOneByteAtATime) {
  backend.send("xyz");
  EXPECT_EQ(rd(IIR) & 0xc0, 0);
  EXPECT_EQ(read_all(), "xyz");
}

TEST_F(UartTest, ReceiveInterruptFollowsTheTriggerLevel) {
  wr(FCR, 0x41);  // FIFOs on, trigger at 4
  wr(IER, 0x01);
  EXPECT_FALSE(irq());
  backend.send("a");
  EXPECT_TRUE(irq());
  EXPECT_EQ(rd(IIR), 0xcc);  // below the trigger: character timeout
  backend.send("bcd");
  EXPECT_EQ(rd(IIR), 0xc4);  // received data available
  EXPECT_EQ(rd(RBR), 'a');
  EXPECT_EQ(rd(IIR), 0xcc);
  EXPECT_EQ(read_all(), "bcd");
  EXPECT_EQ(rd(IIR), 0xc1);
  EXPECT_FALSE(irq());
  wr(FCR, 0xc1);  // trigger at 14
  backend.send(std::string(14, 'q'));
  EXPECT_EQ(rd(IIR), 0xc4);
  rd(RBR);
  EXPECT_EQ(rd(IIR), 0xcc);
}

TEST_F(UartTest, ThreInterruptArmsOnEnableAndAfterEachWrite) {
  wr(IER, 0x02);
  EXPECT_TRUE(irq());
  EXPECT_EQ(rd(IIR), 0x02);
  EXPECT_EQ(rd(IIR), 0x01);  // reading IIR acknowledged it
  EXPECT_FALSE(irq());
  wr(THR, 'x');
  EXPECT_TRUE(irq());
  wr(IER, 0x00);
  EXPECT_FALSE(irq());
  EXPECT_EQ(rd(IIR), 0x01);
  wr(IER, 0x02);
  EXPECT_EQ(rd(IIR), 0x02);
  // Writing THR also acknowledges, then the instant transmission re-arms it.
  wr(THR, 'y');
  EXPECT_EQ(rd(IIR), 0x02);
}

TEST_F(UartTest, IirReportsTheHighestPrioritySource) {
  // Loopback without FIFOs: the second byte overruns; entering loopback changes the lines.
  wr(MCR, 0x10);
  wr(THR, 'A');
  wr(THR, 'B');
  wr(IER, 0x0f);
  EXPECT_EQ(rd(IIR), 0x06);         // receiver line status
  EXPECT_EQ(rd(LSR) & 0x03, 0x03);  // DR | OE, and the read clears OE
  EXPECT_EQ(rd(LSR) & 0x02, 0);
  EXPECT_EQ(rd(IIR), 0x04);         // received data
  EXPECT_EQ(rd(RBR), 'B');          // without FIFOs the overrun byte replaced the held one
  EXPECT_EQ(rd(IIR), 0x02);         // THRE (and this read acknowledges it)
  EXPECT_EQ(rd(IIR), 0x00);         // modem status
  EXPECT_EQ(rd(MSR) & 0x0b, 0x0b);  // CTS, DSR and DCD all dropped when loopback began
  EXPECT_EQ(rd(IIR), 0x01);
  EXPECT_FALSE(irq());
  EXPECT_EQ(backend.output(), "");  // nothing left the UART
}

TEST_F(UartTest, LoopbackMapsModemControlToModemStatus) {
  wr(MCR, 0x1f);
  EXPECT_EQ(rd(MCR), 0x1f);
  EXPECT_EQ(rd(MSR) & 0xf0, 0xf0);
  wr(MCR, 0x1b);  // OUT1 (RI) falls: trailing edge
  EXPECT_EQ(rd(MSR), 0x04 | 0xb0);
  wr(MCR, 0x1f);  // RI rises: no delta
  EXPECT_EQ(rd(MSR), 0xf0);
  wr(MCR, 0x1e);  // DTR -> DSR
  EXPECT_EQ(rd(MSR), 0x02 | 0xd0);
  wr(MCR, 0xff);
  EXPECT_EQ(rd(MCR), 0x1f);  // five bits only
}

TEST_F(UartTest, LoopbackDisconnectsHostInputUntilItEnds) {
  wr(FCR, 0x01);
  wr(MCR, 0x10);
  backend.send("host");
  EXPECT_EQ(rd(LSR) & 0x01, 0);
  wr(THR, 'L');
  EXPECT_EQ(read_all(), "L");
  wr(MCR, 0x00);
  EXPECT_EQ(read_all(), "host");
}

TEST_F(UartTest, FifoOverrunInLoopbackKeepsTheFifo) {
  wr(FCR, 0x01);
  wr(MCR, 0x10);
  for (int i = 0; i < 17; i++) wr(THR, uint8_t('a' + i));
  EXPECT_EQ(rd(LSR) & 0x03, 0x03);
  EXPECT_EQ(read_all(), "abcdefghijklmnop");
}

TEST_F(UartTest, FcrClearsTheReceiverAndRefillsFromTheHost) {
  wr(FCR, 0x01);
  backend.send("0123456789abcdefWXYZ");
  wr(FCR, 0x03);  // clear the receive FIFO: the 16 bytes in it are gone
  EXPECT_EQ(read_all(), "WXYZ");
  backend.send("12");
  wr(FCR, 0x00);  // FIFOs off: emptied
  EXPECT_EQ(read_all(), "");
}

TEST_F(UartTest, HostInputLimitDropsTheExcess) {
  backend.send(std::string(Uart16550::kInputLimit + 1 + 10, 'x'));  // one in RBR, the limit buffered
  EXPECT_EQ(uart.dropped_input(), 10u);
  EXPECT_EQ(read_all().size(), Uart16550::kInputLimit + 1);
}

TEST_F(UartTest, InputFromAnotherThreadArrivesInOrder) {
  wr(FCR, 0x01);
  wr(IER, 0x01);
  std::string sent;
  for (int i = 0; i < 20000; i++) sent += char('a' + i % 26);
  std::thread host([&] { backend.send(sent); });
  std::string got;
  while (got.size() < sent.size()) got += read_all();
  host.join();
  EXPECT_EQ(got, sent);
  EXPECT_FALSE(irq());
}

// A back end that echoes every byte written as input must not deadlock the UART.
class EchoBackend : public CharBackend {
 public:
  void write(std::span<const uint8_t> bytes) override {
    for (uint8_t b : bytes) deliver(b);
  }
};

TEST(Uart16550Echo, BackendCanFeedInputFromWrite) {
  EchoBackend echo;
  Uart16550 uart(&echo, IrqLine{});
  uart.write(THR, 1, 'e');
  EXPECT_EQ(uart.read(LSR, 1) & 1, 1u);
  EXPECT_EQ(uart.read(RBR, 1), uint64_t('e'));
}

TEST_F(UartTest, HostileAccessesAreHarmless) {
  for (uint64_t off = 8; off < Uart16550::kSize + 16; off++)
    for (unsigned size : {1u, 2u, 4u, 8u}) {
      EXPECT_EQ(uart.read(off, size), 0u);
      uart.write(off, size, ~0ull);
    }
  EXPECT_EQ(backend.output(), "");
  // Wide accesses reach the register at their offset and use its low byte.
  uart.write(THR, 8, 0x4142434445464748);
  EXPECT_EQ(backend.output(), "H");
  uart.write(SCR, 4, 0x1234);
  EXPECT_EQ(uart.read(SCR, 4), 0x34u);
  EXPECT_EQ(uart.read(LSR, 8), 0x60u);
  // All registers, every value, every size: nothing breaks.
  for (unsigned size : {1u, 2u, 4u, 8u})
    for (uint64_t off = 0; off < 8; off++)
      for (unsigned v = 0; v < 256; v += 7) {
        uart.write(off, size, v);
        uart.read(off, size);
      }
  backend.send("still alive");
  wr(LCR, 0);
  wr(MCR, 0);
  wr(FCR, 0x07);
  EXPECT_NE(read_all(), "");
}

TEST_F(UartTest, SaveRestoreRoundTrip) {
  wr(LCR, 0x83);
  wr(DLL, 0x03);
  wr(DLM, 0x00);
  wr(LCR, 0x03);
  wr(FCR, 0x81);
  wr(IER, 0x05);
  wr(SCR, 0x99);
  wr(MCR, 0x0b);
  backend.send("0123456789abcdefghij");  // 16 in the FIFO, 4 waiting
  EXPECT_TRUE(irq());
  const DeviceState saved = uart.save();
  EXPECT_EQ(saved.kind, "uart16550");

  MemoryCharBackend other_backend;
  RecordingSink other_sink;
  Uart16550 copy(&other_backend, IrqLine{&other_sink, 3});
  copy.restore(saved);
  EXPECT_EQ(copy.save().data, saved.data);
  EXPECT_TRUE(other_sink.level(3));  // the restored level is driven
  EXPECT_EQ(copy.read(SCR, 1), 0x99u);
  EXPECT_EQ(copy.read(MCR, 1), 0x0bu);
  EXPECT_EQ(copy.read(IIR, 1), 0xc4u);  // 16 >= trigger 8
  std::string got;
  while (copy.read(LSR, 1) & 1) got += char(copy.read(RBR, 1));
  EXPECT_EQ(got, "0123456789abcdefghij");
  copy.write(LCR, 1, 0x80);
  EXPECT_EQ(copy.read(DLL, 1), 0x03u);
}

TEST_F(UartTest, RestoreRefusesForeignOrDamagedState) {
  const DeviceState good = uart.save();
  DeviceState state = good;
  state.version = 7;
  EXPECT_THROW(uart.restore(state), Error);
  state = good;
  state.kind = "plic";
  EXPECT_THROW(uart.restore(state), Error);
  state = good;
  state.data.pop_back();
  EXPECT_THROW(uart.restore(state), Error);
  // A FIFO longer than the hardware's: refused.
  StateWriter w;
  for (int i = 0; i < 10; i++) w.u8(i == 4 ? 0x01 : 0);
  w.u8(0);
  w.blob(std::vector<uint8_t>(17, 'x'));
  w.blob({});
  EXPECT_THROW(uart.restore(w.finish("uart16550", 1)), Error);
}

// Input raises the UART's PLIC source, which becomes SEIP on hart 0.
TEST(Uart16550Plic, InputInterruptsTheHart) {
  ManualClock clock;
  DeviceHarts harts(1, &clock);
  Plic plic(1);
  plic.attach(0, harts[0]);
  MemoryCharBackend backend;
  Uart16550 uart(&backend, IrqLine{&plic, kIrq});
  plic.write(Plic::kPriorityBase + 4 * kIrq, 4, 1);
  plic.write(Plic::kEnableBase + Plic::kEnableStride * 1, 4, 1u << kIrq);
  uart.write(IER, 1, 0x01);
  EXPECT_FALSE(harts.pending(0, irq::kSEI));
  std::thread host([&] { backend.send("k"); });
  host.join();
  EXPECT_TRUE(harts.pending(0, irq::kSEI));
  const uint64_t claim = Plic::kContextBase + Plic::kContextStride * 1 + 4;
  EXPECT_EQ(plic.read(claim, 4), kIrq);
  EXPECT_EQ(uart.read(RBR, 1), uint64_t('k'));
  plic.write(claim, 4, kIrq);
  EXPECT_FALSE(harts.pending(0, irq::kSEI));
}

}  // namespace
}  // namespace strata::testing
