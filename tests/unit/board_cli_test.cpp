// `strata run --kernel` as a user meets it: --dump-dtb writes a tree dtc reads back, and bad
// input (missing or foreign files, impossible sizes) is one line on stderr with status 2
// before anything runs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "board_test_support.h"
#include "machine/memory_map.h"

namespace strata::testing {
namespace {

struct Result {
  int status = -1;
  std::string output;
};

// Runs `strata ARGS` with stdin from /dev/null; stdout and stderr together. A run that
// should have ended but did not is stopped after 60 s (status 124) rather than hanging the
// test binary.
Result strata(const std::string& args) {
  const std::string cmd =
      "timeout 60 " + std::string(STRATA_BINARY_DIR) + "/strata " + args + " </dev/null 2>&1";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

size_t lines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(BoardCli, DumpDtbWritesATreeDtcReads) {
  TempFile dtb(std::vector<uint8_t>{}, ".dtb");
  const Result r =
      strata("run --dump-dtb " + dtb.path() + " --cpus 2 --memory 512M --append 'console=ttyS0 quiet'");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::vector<uint8_t> blob = read_file(dtb.path());
  ASSERT_GE(blob.size(), 4u);
  EXPECT_EQ(blob[0], 0xd0);
  if (std::system("command -v dtc >/dev/null 2>&1") != 0) GTEST_SKIP() << "dtc is not installed";
  TempFile dts(std::vector<uint8_t>{}, ".dts");
  ASSERT_EQ(std::system(("dtc -q -I dtb -O dts -o " + dts.path() + " " + dtb.path()).c_str()), 0);
  const std::vector<uint8_t> text = read_file(dts.path());
  const std::string s(text.begin(), text.end());
  EXPECT_NE(s.find("cpu@1 {"), std::string::npos);
  EXPECT_EQ(s.find("cpu@2 {"), std::string::npos);
  EXPECT_NE(s.find("reg = <0x00 0x80000000 0x00 0x20000000>"), std::string::npos) << s;
  EXPECT_NE(s.find("bootargs = \"console=ttyS0 quiet\""), std::string::npos);
  EXPECT_NE(s.find("virtio,mmio"), std::string::npos);  // the rng is always there
}

TEST(BoardCli, BadInputIsOneLineAndStatusTwo) {
  TempFile junk(std::vector<uint8_t>(128, 0x42));
  TempFile image(make_image({0x13}));
  const std::string cases[] = {
      "run --kernel /nonexistent/Image",
      "run --kernel " + junk.path(),
      "run --kernel " + image.path() + " --initrd /nonexistent/initrd",
      "run --kernel " + image.path() + " --memory 1M",
      "run --kernel " + image.path() + " --cpus " + std::to_string(virt::kMaxHarts + 1),
      "run --kernel " + image.path() + " --cpus 0",
      "run --kernel " + image.path() + " --drive /nonexistent/disk.img",
      "run --kernel " + image.path() + " --net bogus",
      "run --kernel " + image.path() + " --bios /nonexistent/fw.bin",
      "run --kernel " + image.path() + " --console bogus:x",
  };
  for (const std::string& args : cases) {
    const Result r = strata(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.output;
    EXPECT_EQ(lines(r.output), 1u) << args << "\n" << r.output;
    EXPECT_EQ(r.output.rfind("strata: ", 0), 0u) << r.output;
  }
}

TEST(BoardCli, KernelPayloadRunsToPoweroff) {
  Program p;
  p.putchar('h');
  p.putchar('i');
  srst(p.code, 0, 0);
  TempFile image(make_image(p.code));
  const Result r = strata("run --kernel " + image.path() + " --console stdio");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "hi");
}

TEST(BoardCli, BareStillWorksAndWantsItsProgram) {
  const Result r = strata("run --bare");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--bare needs a PROGRAM.elf"), std::string::npos) << r.output;
  const Result both = strata("run --bare /nonexistent.elf --kernel /nonexistent/Image");
  EXPECT_NE(both.status, 0);
  EXPECT_NE(both.output.find("--kernel and --dump-dtb are for Linux guests"), std::string::npos)
      << both.output;
  const Result k = strata("run");
  EXPECT_NE(k.status, 0);
  EXPECT_NE(k.output.find("--kernel"), std::string::npos) << k.output;
}

}  // namespace
}  // namespace strata::testing
