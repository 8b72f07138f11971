// The board end to end: tiny hand-assembled S-mode payloads, packaged as RISC-V Images,
// booted with the built-in SBI through the real vCPU threads. They print through the SBI
// console (legacy putchar and DBCN), start a second hart with HSM, sleep on timers, and end
// with SRST or the syscon; the board's exit status and console output are checked.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <future>
#include <thread>

#include "board_test_support.h"
#include "machine/board.h"
#include "machine/board_fdt.h"
#include "machine/boot_loader.h"
#include "mem/code_pages.h"

namespace strata::testing {
namespace {

constexpr uint16_t kTime = 0xc01, kSie = 0x104, kSip = 0x144, kStimecmp = 0x14d;
constexpr int64_t kEidHsm = 0x48534D, kEidTime = 0x54494D45;

struct BootedBoard {
  static BoardConfig config(unsigned harts, CharBackend* console) {
    BoardConfig c;
    c.harts = harts;
    c.ram_size = 16 << 20;
    c.console = console;
    return c;
  }
  explicit BootedBoard(const Program& program, unsigned harts = 1) : board(config(harts, &console)) {
    TempFile image(make_image(program.code));
    BootFiles files;
    files.kernel = image.path();
    layout = load_boot_images(board.ram(), files, [this](uint64_t s, uint64_t e) {
      return build_board_fdt(board.fdt_config("", s, e));
    });
    board.prepare_boot(layout);
  }
  // Runs with a watchdog: a payload that never stops fails the test instead of hanging it.
  int run(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::promise<void> done;
    std::thread watchdog([&, f = done.get_future()] {
      if (f.wait_for(limit) == std::future_status::timeout)
        board.request_stop(99, "watchdog: the payload ran too long");
    });
    const int status = board.run();
    done.set_value();
    watchdog.join();
    return status;
  }

  CaptureBackend console;
  Board board;
  BootLayout layout;
};

// [j main][fail: print 'F', SRST system failure] ... : `fail` is the label checks branch to.
struct Payload : Program {
  size_t fail = 0;
  size_t to_main = 0;
  Payload() {
    to_main = jump_placeholder();
    fail = here();
    putchar('F');
    srst(code, 0, 1);
  }
  void main_starts_here() { patch_jump(to_main, here()); }
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

TEST(BoardBoot, SModePayloadGetsHartIdAndDtbPrintsAndShutsDown) {
  Payload p;
  p.main_starts_here();
  p.bne(kA0, kZero, p.fail);  // a0 = hartid 0
  p.emit(encode(Op::Lw, {.rd = kT0, .rs1 = kA1, .imm = 0}));
  p.li(kT1, int32_t(0xedfe0dd0));  // a1 points at the DTB: magic 0xd00dfeed, big-endian
  p.bne(kT0, kT1, p.fail);
  p.putchar('o');
  p.putchar('k');
  dbcn_write_byte(p.code, '!');
  srst(p.code, 0, 0);
  p.j(p.fail);  // SRST does not return

  BootedBoard b(p);
  EXPECT_EQ(b.layout.kernel_entry, 0x80200000u);
  EXPECT_EQ(b.run(), kGuestDone);
  EXPECT_EQ(b.console.output(), "ok!");
}

TEST(BoardBoot, SystemFailureResetEndsWithFailureStatus) {
  Payload p;
  p.main_starts_here();
  p.j(p.fail);
  BootedBoard b(p);
  EXPECT_EQ(b.run(), kGuestFailed);
  EXPECT_EQ(b.console.output(), "F");
}

TEST(BoardBoot, RebootEndsStrataWithStatusZero) {
  Payload p;
  p.main_starts_here();
  srst(p.code, 1, 0);  // cold reboot
  p.j(p.fail);
  BootedBoard b(p);
  EXPECT_EQ(b.run(), kGuestDone);
}

TEST(BoardBoot, SysconPoweroffAndFailFromSMode) {
  for (const auto& [value, status] :
       {std::pair{0x5555, kGuestDone}, {0x7777, kGuestDone}, {0x33333, kGuestFailed}}) {
    Payload p;
    p.main_starts_here();
    p.li(kT0, 0x100000);
    p.li(kT1, value);
    p.emit(encode(Op::Sw, {.rs1 = kT0, .rs2 = kT1, .imm = 0}));
    const size_t spin = p.here();
    p.j(spin);
    BootedBoard b(p);
    EXPECT_EQ(b.run(), status) << std::hex << value;
  }
}

TEST(BoardBoot, SecondHartStartsThroughHsmWithItsArguments) {
  Payload p;
  // Hart 1 enters here with a0 = 1, a1 = opaque, and sees hart 0 STARTED.
  const size_t secondary = p.here();
  p.li(kT0, 1);
  p.bne(kA0, kT0, p.fail);
  p.li(kT0, 0x1234);
  p.bne(kA1, kT0, p.fail);
  sbi_call(p.code, kEidHsm, 2, 0);  // hart_get_status(0)
  p.bne(kA0, kZero, p.fail);
  p.bne(kA1, kZero, p.fail);  // STARTED
  p.putchar('2');
  srst(p.code, 0, 0);
  p.j(p.fail);

  p.main_starts_here();
  sbi_call(p.code, kEidHsm, 2, 1);  // hart_get_status(1): STOPPED
  p.li(kT0, 1);
  p.bne(kA1, kT0, p.fail);
  p.putchar('1');
  // hart_start(1, secondary, 0x1234)
  p.emit(encode(Op::Auipc, {.rd = kA1, .imm = 0}));
  p.emit(encode(Op::Addi, {.rd = kA1, .rs1 = kA1, .imm = p.to(secondary) + 4}));
  p.li(kA7, kEidHsm);
  p.li(kA6, 0);
  p.li(kA0, 1);
  p.li(kA2, 0x1234);
  p.ecall();
  p.bne(kA0, kZero, p.fail);
  const size_t idle = p.here();
  p.emit(encode(Op::Wfi, {}));
  p.j(idle);

  BootedBoard b(p, 2);
  EXPECT_EQ(b.run(), kGuestDone);
  EXPECT_EQ(b.console.output(), "12");
}

// Sleeps until `time` + 50 ms on stimecmp (or the SBI timer), in WFI, then shuts down.
Payload timer_payload(bool through_sbi) {
  Payload p;
  p.main_starts_here();
  p.li(kT0, 1 << 5);
  p.csrs(kSie, kT0);  // STIE: WFI wakes on STIP (sstatus.SIE stays 0: no trap)
  p.csrr(kA0, kTime);
  p.li(kT1, 500'000);  // 50 ms at 10 MHz
  p.emit(encode(Op::Add, {.rd = kA0, .rs1 = kA0, .rs2 = kT1}));
  if (through_sbi) {
    p.li(kA7, kEidTime);
    p.li(kA6, 0);
    p.ecall();
  } else {
    p.csrw(kStimecmp, kA0);
  }
  const size_t wait = p.here();
  p.emit(encode(Op::Wfi, {}));
  p.csrr(kT0, kSip);
  p.emit(encode(Op::Andi, {.rd = kT0, .rs1 = kT0, .imm = 1 << 5}));
  p.beq(kT0, kZero, wait);
  p.csrr(kT1, kTime);  // and time has really passed
  p.emit(encode(Op::Bltu, {.rs1 = kT1, .rs2 = kA0, .imm = p.to(p.fail)}));
  p.putchar('T');
  srst(p.code, 0, 0);
  return p;
}

TEST(BoardBoot, TimerWakesWfiAndSleepingCostsNoCpu) {
  for (bool through_sbi : {false, true}) {
    BootedBoard b(timer_payload(through_sbi));
    const auto start = std::chrono::steady_clock::now();
    const double cpu_before = cpu_seconds();
    EXPECT_EQ(b.run(), kGuestDone);
    const double cpu = cpu_seconds() - cpu_before;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(b.console.output(), "T") << "through SBI: " << through_sbi;
    EXPECT_GE(wall, 0.045);
    EXPECT_LT(cpu, 0.5 * wall) << "the idle hart spun instead of sleeping";
  }
}

// A hart that sleeps long gives its decoded code back: the WFI ends the first page, so after
// the wake-up only the second page is decoded again.
TEST(BoardBoot, LongSleepReleasesDecodedCode) {
  Payload p;
  p.main_starts_here();
  p.li(kT0, 1 << 5);
  p.csrs(kSie, kT0);
  p.csrr(kA0, kTime);
  p.li(kT1, 6'000'000);  // 600 ms: well over Vcpu::kReleaseCodeAfterNs, even on a busy host
  p.emit(encode(Op::Add, {.rd = kA0, .rs1 = kA0, .rs2 = kT1}));
  p.csrw(kStimecmp, kA0);
  // The image starts 64 bytes (16 words) into the page: pad so the WFI is its last word.
  while ((16 + p.code.size()) % 1024 != 1023) p.emit(encode(Op::Addi, {}));
  p.emit(encode(Op::Wfi, {}));
  srst(p.code, 0, 0);  // on the next page

  BootedBoard b(p);
  EXPECT_EQ(b.run(), kGuestDone);
  EXPECT_FALSE(b.board.vcpu(0).hart().code_pages->held(0x80200000));
  EXPECT_TRUE(b.board.vcpu(0).hart().code_pages->held(0x80201000));
}

TEST(BoardBoot, RequestStopEndsBusyAndSleepingHarts) {
  Payload p;
  // Hart 1 sleeps with no timer at all; hart 0 spins.
  const size_t sleeper = p.here();
  p.emit(encode(Op::Wfi, {}));
  p.j(sleeper);
  p.main_starts_here();
  p.emit(encode(Op::Auipc, {.rd = kA1, .imm = 0}));
  p.emit(encode(Op::Addi, {.rd = kA1, .rs1 = kA1, .imm = p.to(sleeper) + 4}));
  p.li(kA7, kEidHsm);
  p.li(kA6, 0);
  p.li(kA0, 1);
  p.ecall();
  const size_t spin = p.here();
  p.j(spin);

  BootedBoard b(p, 2);
  std::thread stopper([&] {
    // Once hart 1 runs (and soon sleeps), with hart 0 spinning: stop both.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (b.board.hart_state(1) != sbi::HartState::Started && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    b.board.request_stop(7);
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(b.run(), 7);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(b.board.hart_state(1), sbi::HartState::Started);
}

// An hvc0-style guest polls the SBI console: once it does, typed input goes there.
TEST(BoardBoot, SbiConsoleReadGetsTypedInput) {
  Payload p;
  p.main_starts_here();
  sbi_call(p.code, 0x02, 0, 0);  // legacy getchar: -1, nothing typed yet
  p.li(kT0, -1);
  p.bne(kA0, kT0, p.fail);
  p.putchar('R');
  const size_t poll = p.here();
  sbi_call(p.code, 0x02, 0, 0);
  p.li(kT0, -1);
  p.beq(kA0, kT0, poll);
  p.emit(encode(Op::Addi, {.rd = kS0, .rs1 = kA0, .imm = 0}));
  p.li(kA7, 0x01);  // echo it back
  p.emit(encode(Op::Addi, {.rd = kA0, .rs1 = kS0, .imm = 0}));
  p.ecall();
  srst(p.code, 0, 0);

  BootedBoard b(p);
  std::thread typist([&] {
    while (b.console.output().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    b.console.type('x');
  });
  EXPECT_EQ(b.run(), kGuestDone);
  typist.join();
  EXPECT_EQ(b.console.output(), "Rx");
}

TEST(BoardBoot, HartsStartInSModeWithFirmwareStateSet) {
  Payload p;
  p.main_starts_here();
  srst(p.code, 0, 0);
  BootedBoard b(p, 3);
  Hart& h0 = b.board.vcpu(0).hart();
  EXPECT_EQ(h0.priv, Priv::S);
  EXPECT_EQ(h0.pc, 0x80200000u);
  EXPECT_EQ(h0.x[kA0], 0u);
  EXPECT_EQ(h0.x[kA1], b.layout.dtb_start);
  EXPECT_EQ(h0.csr.satp, 0u);
  EXPECT_EQ(h0.csr.mcounteren & 7, 7u);
  EXPECT_NE(h0.csr.menvcfg & (1ull << 63), 0u);  // Sstc
  EXPECT_EQ(h0.csr.mideleg, (1u << 1) | (1u << 5) | (1u << 9));
  EXPECT_EQ(h0.csr.medeleg & (1u << 9), 0u);  // S ecalls reach the firmware
  EXPECT_EQ(b.board.hart_state(0), sbi::HartState::Started);
  EXPECT_EQ(b.board.hart_state(1), sbi::HartState::Stopped);
  EXPECT_EQ(b.board.hart_state(2), sbi::HartState::Stopped);
  EXPECT_EQ(b.run(), kGuestDone);
}

}  // namespace
}  // namespace strata::testing
