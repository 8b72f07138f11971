// Boot images: the RISC-V Image header (good, bad magic, truncated, big-endian), what other
// kernel formats are told, and where load_boot_images puts kernel, initrd, device tree and
// firmware, with a clear error before anything runs when they do not fit or do not exist.
#include <gtest/gtest.h>

#include <cstring>

#include "board_test_support.h"
#include "machine/boot_loader.h"
#include "machine/linux_image.h"
#include "mem/guest_ram.h"
#include "util/error.h"

namespace strata::testing {
namespace {

constexpr uint64_t kRam = 0x80000000;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

BootFiles files(const std::string& kernel, const std::string& initrd = "", const std::string& firmware = "") {
  BootFiles f;
  f.kernel = kernel;
  f.initrd = initrd;
  f.firmware = firmware;
  return f;
}

// A fake device tree of a fixed size; records the initrd range it was asked for.
struct FakeDtb {
  size_t size = 3000;
  uint64_t initrd_start = 0, initrd_end = 0;
  DtbBuilder builder() {
    return [this](uint64_t s, uint64_t e) {
      initrd_start = s;
      initrd_end = e;
      std::vector<uint8_t> blob(size, 0x5a);
      const uint8_t magic[4] = {0xd0, 0x0d, 0xfe, 0xed};
      std::memcpy(blob.data(), magic, 4);
      return blob;
    };
  }
};

TEST(LoaderImage, HeaderFields) {
  const std::vector<uint8_t> img = make_image({0x13, 0x13}, 0x200000, 0x123456);
  EXPECT_EQ(detect_kernel_format(img), KernelFormat::LinuxImage);
  const LinuxImageHeader h = parse_linux_image_header(img, "Image");
  EXPECT_EQ(h.text_offset, 0x200000u);
  EXPECT_EQ(h.image_size, 0x123456u);
  EXPECT_EQ(h.version, 2u);
  EXPECT_EQ(h.flags, 0u);
}

TEST(LoaderImage, EitherMagicIsEnough) {
  std::vector<uint8_t> img = make_image({0x13});
  std::memset(&img[0x30], 0, 8);  // only magic2
  EXPECT_EQ(detect_kernel_format(img), KernelFormat::LinuxImage);
  img = make_image({0x13});
  std::memset(&img[0x38], 0, 4);  // only the deprecated magic
  EXPECT_EQ(detect_kernel_format(img), KernelFormat::LinuxImage);
}

TEST(LoaderImage, BadMagicTruncatedAndBigEndianAreRefused) {
  std::vector<uint8_t> img = make_image({0x13});
  std::memset(&img[0x30], 0, 12);
  EXPECT_EQ(detect_kernel_format(img), KernelFormat::Unknown);
  EXPECT_NE(error_of([&] { parse_linux_image_header(img, "k"); }).find("not a RISC-V Linux Image"),
            std::string::npos);
  const std::vector<uint8_t> full = make_image({0x13});
  const std::vector<uint8_t> shortened(full.begin(), full.begin() + 40);
  EXPECT_NE(error_of([&] { parse_linux_image_header(shortened, "k"); }).find("too short"), std::string::npos);
  img = make_image({0x13});
  img[0x18] = 1;
  EXPECT_NE(error_of([&] { parse_linux_image_header(img, "k"); }).find("big-endian"), std::string::npos);
}

TEST(LoaderImage, OtherFormatsAreRecognised) {
  EXPECT_EQ(detect_kernel_format(std::vector<uint8_t>{0x1f, 0x8b, 8, 0}), KernelFormat::Gzip);
  EXPECT_EQ(detect_kernel_format(std::vector<uint8_t>{0x7f, 'E', 'L', 'F', 2, 1}), KernelFormat::Elf);
  EXPECT_EQ(detect_kernel_format(std::vector<uint8_t>{'M', 'Z', 0, 0, 'z', 'i', 'm', 'g'}),
            KernelFormat::EfiZboot);
  EXPECT_EQ(detect_kernel_format(std::vector<uint8_t>{1, 2, 3}), KernelFormat::Unknown);
}

TEST(LoaderImage, ImageInitrdAndDtbLandWhereTheyShould) {
  GuestRam ram(kRam, 16 << 20);
  TempFile kernel(make_image({0x11111111, 0x22222222}, 0x200000, 0x100000));
  std::vector<uint8_t> initrd_bytes(10000);
  for (size_t i = 0; i < initrd_bytes.size(); i++) initrd_bytes[i] = uint8_t(i * 7);
  TempFile initrd(initrd_bytes);
  FakeDtb dtb;
  const BootLayout l = load_boot_images(ram, files(kernel.path(), initrd.path(), ""), dtb.builder());

  EXPECT_EQ(l.kernel_entry, kRam + 0x200000);
  EXPECT_EQ(l.kernel_start, kRam + 0x200000);
  EXPECT_EQ(l.kernel_end, kRam + 0x300000);  // image_size, not the file size
  EXPECT_EQ(std::memcmp(ram.host(l.kernel_start), read_file(kernel.path()).data(), 72), 0);

  EXPECT_EQ(l.dtb_end - l.dtb_start, dtb.size);
  EXPECT_EQ(l.dtb_start % 4096, 0u);
  EXPECT_GE(ram.end() - l.dtb_end, kDtbSlack);  // room for firmware that grows the tree
  EXPECT_EQ(*ram.host(l.dtb_start), 0xd0);

  EXPECT_EQ(l.initrd_start % 4096, 0u);
  EXPECT_EQ(l.initrd_end - l.initrd_start, initrd_bytes.size());
  EXPECT_LE(l.initrd_end, l.dtb_start);
  EXPECT_GE(l.initrd_start, l.kernel_end);
  EXPECT_EQ(std::memcmp(ram.host(l.initrd_start), initrd_bytes.data(), initrd_bytes.size()), 0);
  // The tree was built for the initrd where it went.
  EXPECT_EQ(dtb.initrd_start, l.initrd_start);
  EXPECT_EQ(dtb.initrd_end, l.initrd_end);
  EXPECT_EQ(l.firmware_end, 0u);
}

TEST(LoaderImage, WithoutInitrdTheTreeSaysNone) {
  GuestRam ram(kRam, 16 << 20);
  TempFile kernel(make_image({0x13}));
  FakeDtb dtb;
  const BootLayout l = load_boot_images(ram, files(kernel.path(), "", ""), dtb.builder());
  EXPECT_EQ(l.initrd_start, 0u);
  EXPECT_EQ(l.initrd_end, 0u);
  EXPECT_EQ(dtb.initrd_start, dtb.initrd_end);
}

TEST(LoaderImage, KernelTooBigForRamIsAClearError) {
  GuestRam ram(kRam, 4 << 20);
  TempFile kernel(make_image({0x13}, 0x200000, 8 << 20));  // asks for 8 MiB above RAM + 2 MiB
  FakeDtb dtb;
  const std::string e = error_of([&] { load_boot_images(ram, files(kernel.path(), "", ""), dtb.builder()); });
  EXPECT_NE(e.find("needs 8.0 MiB"), std::string::npos) << e;
  EXPECT_NE(e.find("--memory"), std::string::npos) << e;
}

TEST(LoaderImage, InitrdThatDoesNotFitIsAClearError) {
  GuestRam ram(kRam, 4 << 20);
  TempFile kernel(make_image({0x13}, 0x200000, 1 << 20));
  TempFile initrd(std::vector<uint8_t>(2 << 20, 1));
  FakeDtb dtb;
  const std::string e =
      error_of([&] { load_boot_images(ram, files(kernel.path(), initrd.path(), ""), dtb.builder()); });
  EXPECT_NE(e.find("initrd"), std::string::npos) << e;
  EXPECT_NE(e.find("does not fit"), std::string::npos) << e;
}

TEST(LoaderImage, NoRoomForTheTreeIsAClearError) {
  GuestRam ram(kRam, 4 << 20);
  TempFile kernel(make_image({0x13}, 0x200000, (2 << 20) - 4096));
  FakeDtb dtb;
  const std::string e = error_of([&] { load_boot_images(ram, files(kernel.path(), "", ""), dtb.builder()); });
  EXPECT_NE(e.find("device tree"), std::string::npos) << e;
}

TEST(LoaderImage, MissingEmptyAndForeignFilesAreClearErrors) {
  GuestRam ram(kRam, 16 << 20);
  FakeDtb dtb;
  std::string e =
      error_of([&] { load_boot_images(ram, files("/nonexistent/Image", "", ""), dtb.builder()); });
  EXPECT_EQ(e, "kernel /nonexistent/Image: No such file or directory");
  TempFile empty(std::vector<uint8_t>{});
  e = error_of([&] { load_boot_images(ram, files(empty.path(), "", ""), dtb.builder()); });
  EXPECT_NE(e.find("empty"), std::string::npos) << e;
  TempFile gz(std::vector<uint8_t>{0x1f, 0x8b, 8, 0, 0, 0, 0, 0});
  e = error_of([&] { load_boot_images(ram, files(gz.path(), "", ""), dtb.builder()); });
  EXPECT_NE(e.find("gunzip"), std::string::npos) << e;
  TempFile junk(std::vector<uint8_t>(100, 0x42));
  e = error_of([&] { load_boot_images(ram, files(junk.path(), "", ""), dtb.builder()); });
  EXPECT_NE(e.find("neither a RISC-V Linux Image nor an ELF"), std::string::npos) << e;
  TempFile kernel(make_image({0x13}));
  e = error_of(
      [&] { load_boot_images(ram, files(kernel.path(), "/nonexistent/initrd", ""), dtb.builder()); });
  EXPECT_EQ(e, "initrd /nonexistent/initrd: No such file or directory");
  e = error_of([&] { load_boot_images(ram, files(kernel.path(), "", "/tmp"), dtb.builder()); });
  EXPECT_EQ(e, "--bios firmware /tmp: not a regular file");
}

TEST(LoaderImage, FirmwareGoesToTheBaseOfRamBelowTheKernel) {
  GuestRam ram(kRam, 16 << 20);
  TempFile fw(std::vector<uint8_t>(100'000, 0x33));
  TempFile kernel(make_image({0x13}));
  FakeDtb dtb;
  const BootLayout l = load_boot_images(ram, files(kernel.path(), "", fw.path()), dtb.builder());
  EXPECT_EQ(l.firmware_entry, kRam);
  EXPECT_EQ(l.firmware_start, kRam);
  EXPECT_EQ(l.firmware_end, kRam + 100'000);
  EXPECT_EQ(*ram.host(kRam + 99'999), 0x33);
  EXPECT_EQ(l.kernel_start, kRam + 0x200000);

  TempFile big(std::vector<uint8_t>((2 << 20) + 1, 0x33));
  const std::string e =
      error_of([&] { load_boot_images(ram, files(kernel.path(), "", big.path()), dtb.builder()); });
  EXPECT_NE(e.find("larger than"), std::string::npos) << e;
}

TEST(LoaderImage, ElfKernelAtPhysicalAddressesLoadsInPlace) {
  GuestRam ram(kRam, 16 << 20);
  TempFile kernel(make_elf({0xaabbccdd, 0x13}, 0x80400000, 0x80400000, 0x80400004, 0x10000));
  FakeDtb dtb;
  const BootLayout l = load_boot_images(ram, files(kernel.path(), "", ""), dtb.builder());
  EXPECT_EQ(l.kernel_entry, 0x80400004u);
  EXPECT_EQ(l.kernel_start, 0x80400000u);
  EXPECT_EQ(l.kernel_end, 0x80410000u);
  uint32_t word;
  std::memcpy(&word, ram.host(0x80400000), 4);
  EXPECT_EQ(word, 0xaabbccddu);
}

TEST(LoaderImage, VmlinuxLinkedHighMovesToRamPlusTwoMiB) {
  GuestRam ram(kRam, 16 << 20);
  const uint64_t link = 0xffffffff80000000;
  TempFile kernel(make_elf({0x01020304, 0x13}, link, link, link, 0x20000));
  FakeDtb dtb;
  const BootLayout l = load_boot_images(ram, files(kernel.path(), "", ""), dtb.builder());
  EXPECT_EQ(l.kernel_entry, kRam + 0x200000);
  EXPECT_EQ(l.kernel_start, kRam + 0x200000);
  EXPECT_EQ(l.kernel_end, kRam + 0x220000);
  uint32_t word;
  std::memcpy(&word, ram.host(kRam + 0x200000), 4);
  EXPECT_EQ(word, 0x01020304u);
}

// As a real vmlinux: virtual addresses high, physical ones from 0, the entry virtual.
TEST(LoaderImage, VmlinuxWithPhysicalAddressesFromZero) {
  GuestRam ram(kRam, 16 << 20);
  const uint64_t link = 0xffffffff80000000;
  TempFile kernel(make_elf({0x01020304, 0x05060708}, link, 0, link + 4, 0x20000));
  FakeDtb dtb;
  const BootLayout l = load_boot_images(ram, files(kernel.path()), dtb.builder());
  EXPECT_EQ(l.kernel_start, kRam + 0x200000);
  EXPECT_EQ(l.kernel_entry, kRam + 0x200004);
  EXPECT_EQ(l.kernel_end, kRam + 0x220000);
  uint32_t word;
  std::memcpy(&word, ram.host(kRam + 0x200004), 4);
  EXPECT_EQ(word, 0x05060708u);
}

TEST(LoaderImage, FormatSize) {
  EXPECT_EQ(format_size(512), "512 bytes");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(3 << 20), "3.0 MiB");
  EXPECT_EQ(format_size(2ull << 30), "2 GiB");
}

}  // namespace
}  // namespace strata::testing
