// run_bare end to end on tiny hand-encoded programs: exit statuses (pass, FAIL: test n,
// syscon, instruction limit, a WFI nothing can wake, bad input) and the --trace format.
#include "machine/bare_runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "bare_elf_builder.h"

namespace strata {
namespace {

using testing::ElfBuilder;
constexpr uint64_t kRam = 0x80000000;
constexpr uint64_t kToHost = kRam + 0x1000;

// The instructions the programs use, encoded by hand.
constexpr uint32_t kAuipcT0_1 = 0x00001297;  // auipc t0, 0x1     (t0 = tohost)
constexpr uint32_t kSdT1_T0 = 0x0062b023;    // sd t1, 0(t0)
constexpr uint32_t kSwT1_T0 = 0x0062a023;    // sw t1, 0(t0)
constexpr uint32_t kJSelf = 0x0000006f;      // j .
constexpr uint32_t kWfi = 0x10500073;
constexpr uint32_t li_t1(int v) { return (uint32_t(v) << 20) | (6u << 7) | 0x13; }  // addi t1, x0, v

class BareRunnerTest : public ::testing::Test {
 protected:
  ~BareRunnerTest() override {
    for (const auto& p : files_) std::filesystem::remove(p);
  }

  // Writes a program of `words` at the base of RAM (with tohost/fromhost symbols when
  // `htif`) and returns its path.
  std::string program(const std::vector<uint32_t>& words, bool htif = true) {
    ElfBuilder b;
    b.code(kRam, words);
    if (htif) {
      b.segment(kToHost, std::vector<uint8_t>(0x80, 0));
      b.symbol("tohost", kToHost).symbol("fromhost", kToHost + 0x40);
    }
    const auto bytes = b.build();
    const std::string path =
        (std::filesystem::temp_directory_path() /
         ("strata-bare-" + std::to_string(getpid()) + "-" + std::to_string(files_.size()) + ".elf"))
            .string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    files_.push_back(path);
    return path;
  }

  int run(const std::string& path, uint64_t max_instructions = 0, bool trace = false,
          uint64_t memory = 1 << 20) {
    BareOptions o;
    o.program = path;
    o.memory_bytes = memory;
    o.max_instructions = max_instructions;
    o.trace = trace;
    ::testing::internal::CaptureStderr();
    const int status = run_bare(o);
    stderr_ = ::testing::internal::GetCapturedStderr();
    return status;
  }

  std::vector<std::string> files_;
  std::string stderr_;
};

TEST_F(BareRunnerTest, PassThroughTohost) {
  EXPECT_EQ(run(program({kAuipcT0_1, li_t1(1), kSdT1_T0, kJSelf})), kBarePass);
  EXPECT_EQ(stderr_, "");
}

TEST_F(BareRunnerTest, FailReportsTheTestNumber) {
  EXPECT_EQ(run(program({kAuipcT0_1, li_t1((5 << 1) | 1), kSdT1_T0, kJSelf})), kBareFail);
  EXPECT_EQ(stderr_, "FAIL: test 5\n");
}

TEST_F(BareRunnerTest, SysconPowerOffWithoutHtif) {
  const uint32_t lui_t0_syscon = 0x001002b7;  // lui t0, 0x100  (0x100000)
  const uint32_t lui_t1_5 = 0x00005337;       // lui t1, 0x5
  const uint32_t addi_t1_555 = 0x55530313;    // addi t1, t1, 0x555
  EXPECT_EQ(run(program({lui_t0_syscon, lui_t1_5, addi_t1_555, kSwT1_T0, kJSelf}, false)), kBarePass);
}

TEST_F(BareRunnerTest, InstructionLimit) {
  EXPECT_EQ(run(program({kJSelf}), 1000), kBareInstructionLimit);
  EXPECT_NE(stderr_.find("stopped after 1000 instructions (--max-instructions) at pc 0x80000000"),
            std::string::npos)
      << stderr_;
}

TEST_F(BareRunnerTest, WfiThatNothingCanWakeEnds) {
  EXPECT_EQ(run(program({kWfi, kJSelf})), kBareFail);
  EXPECT_NE(stderr_.find("wfi at 0x80000000 waits for an interrupt that nothing can raise"),
            std::string::npos)
      << stderr_;
}

TEST_F(BareRunnerTest, BadInputIsStatusTwoWithOneLine) {
  EXPECT_EQ(run("/nonexistent/prog.elf"), kBareBadInput);
  EXPECT_EQ(stderr_, "strata: /nonexistent/prog.elf: No such file or directory\n");
  const std::string big = program({kAuipcT0_1, kJSelf});
  EXPECT_EQ(run(big, 0, false, 4096), kBareBadInput);  // tohost lies past 4 KiB of RAM
  EXPECT_NE(stderr_.find("lies outside RAM 0x80000000-0x80001000"), std::string::npos) << stderr_;
  EXPECT_EQ(run(big, 0, false, 1000), kBareBadInput);  // not a multiple of 4 KiB
  EXPECT_EQ(std::count(stderr_.begin(), stderr_.end(), '\n'), 1) << stderr_;
}

TEST_F(BareRunnerTest, TohostOutsideRamIsBadInput) {
  ElfBuilder b;
  b.code(kRam, {kJSelf});
  b.symbol("tohost", 0x1000);
  const auto bytes = b.build();
  const std::string path = program({kJSelf});  // a file name to overwrite
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  EXPECT_EQ(run(path), kBareBadInput);
  EXPECT_EQ(stderr_, "strata: " + path + ": tohost at 0x1000 is not in RAM\n");
}

TEST_F(BareRunnerTest, TraceShowsEachInstruction) {
  // The third instruction passes: a program that ends on its last allowed instruction passes.
  EXPECT_EQ(run(program({kAuipcT0_1, li_t1(1), kSdT1_T0, kJSelf}), 3, true), kBarePass);
  EXPECT_EQ(stderr_,
            "M 0x0000000080000000 (0x00001297) auipc t0,0x1\n"
            "M 0x0000000080000004 (0x00100313) li t1,1\n"
            "M 0x0000000080000008 (0x0062b023) sd t1,0(t0)\n");
}

}  // namespace
}  // namespace strata
