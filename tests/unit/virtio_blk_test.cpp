// virtio-blk against temporary raw images: read, write, flush, read-only, GET_ID,
// unsupported requests, capacity checks, malformed requests, image opening errors, reset
// with a request in flight, save/restore and the --drive option.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "devices/virtio/blk/device.h"
#include "devices/virtio/blk/drive_option.h"
#include "util/error.h"
#include "virtio_fake_driver.h"

namespace strata::testing {
namespace {

using namespace virtio;
using namespace virtio::blk;

constexpr uint64_t kAll = ~uint64_t(0);
constexpr uint64_t kSectors = 64;

// A temporary image whose sector s is filled with the byte (s * 7 + 1).
class TempImage {
 public:
  explicit TempImage(uint64_t bytes = kSectors * kSectorSize, std::string name = "strata-blk-XXXXXX") {
    std::string pattern = (std::filesystem::temp_directory_path() / name).string();
    const int fd = mkstemp(pattern.data());
    EXPECT_GE(fd, 0);
    path_ = pattern;
    std::vector<uint8_t> data(bytes);
    for (uint64_t i = 0; i < bytes; i++) data[i] = uint8_t((i / kSectorSize) * 7 + 1);
    EXPECT_EQ(::write(fd, data.data(), bytes), ssize_t(bytes));
    ::close(fd);
  }
  ~TempImage() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }
  std::vector<uint8_t> read(uint64_t offset, size_t n) const {
    std::vector<uint8_t> out(n);
    const int fd = ::open(path_.c_str(), O_RDONLY);
    EXPECT_EQ(pread(fd, out.data(), n, off_t(offset)), ssize_t(n));
    ::close(fd);
    return out;
  }

 private:
  std::string path_;
};

// Counts flushes of the real file backend it wraps.
class CountingBackend : public BlockBackend {
 public:
  explicit CountingBackend(std::unique_ptr<BlockBackend> inner) : inner_(std::move(inner)) {}
  uint64_t size() const override { return inner_->size(); }
  bool read_only() const override { return inner_->read_only(); }
  bool read(uint64_t o, std::span<const iovec> v) override { return inner_->read(o, v); }
  bool write(uint64_t o, std::span<const iovec> v) override { return inner_->write(o, v); }
  bool flush() override {
    flushes++;
    return inner_->flush();
  }
  std::string identity() const override { return inner_->identity(); }
  std::atomic<int> flushes = 0;

 private:
  std::unique_ptr<BlockBackend> inner_;
};

struct Header {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};

class VirtioBlkTest : public ::testing::Test {
 protected:
  explicit VirtioBlkTest(bool read_only = false) {
    auto counting = std::make_unique<CountingBackend>(RawFileBackend::open(image.path(), read_only));
    backend = counting.get();
    device = std::make_unique<BlockDevice>(std::move(counting), "test-serial");
    bench = std::make_unique<VirtioBench>(*device);
  }
  FakeVirtioDriver& driver() { return bench->driver; }

  uint64_t header(uint32_t type, uint64_t sector) {
    const uint64_t at = driver().alloc(16);
    Header h{type, 0, sector};
    driver().poke(at, &h, sizeof h);
    return at;
  }
  // Submits a request and waits for it; returns the status byte and the used length.
  std::pair<uint8_t, uint32_t> run(std::vector<Buf> bufs, uint64_t status_addr) {
    const uint16_t head = driver().add(0, bufs);
    driver().kick(0);
    auto used = driver().wait_used(0);
    if (!used) return {0xff, 0};
    EXPECT_EQ(used->id, head);
    return {driver().peek_value<uint8_t>(status_addr), used->len};
  }
  std::pair<uint8_t, uint32_t> simple(uint32_t type, uint64_t sector, uint64_t data, uint32_t len,
                                      bool data_writable) {
    const uint64_t status = driver().alloc(1);
    driver().poke_value<uint8_t>(status, 0xee);
    std::vector<Buf> bufs{{header(type, sector), 16, false}};
    if (len) bufs.push_back({data, len, data_writable});
    bufs.push_back({status, 1, true});
    return run(bufs, status);
  }

  TempImage image;
  CountingBackend* backend = nullptr;
  std::unique_ptr<BlockDevice> device;
  std::unique_ptr<VirtioBench> bench;
};

TEST_F(VirtioBlkTest, ConfigSpaceAndFeatures) {
  EXPECT_EQ(driver().reg(mmio::kDeviceId), kDeviceIdBlock);
  EXPECT_EQ(driver().config(0, 8), kSectors);
  EXPECT_EQ(driver().config(0, 4), kSectors);  // Linux reads 64-bit fields as two halves
  EXPECT_EQ(driver().config(4, 4), 0u);
  EXPECT_EQ(driver().config(8, 4), BlockDevice::kSizeMax);
  EXPECT_EQ(driver().config(12, 4), BlockDevice::kSegMax);
  const uint64_t f = driver().device_features();
  EXPECT_TRUE(f & feature_bit(kFeatureFlush));
  EXPECT_TRUE(f & feature_bit(kFeatureSegMax));
  EXPECT_TRUE(f & feature_bit(kFeatureSizeMax));
  EXPECT_FALSE(f & feature_bit(kFeatureRo));
}

TEST_F(VirtioBlkTest, ReadsSectors) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t data = driver().alloc(1024);
  auto [status, len] = simple(kTypeIn, 3, data, 1024, true);
  EXPECT_EQ(status, kStatusOk);
  EXPECT_EQ(len, 1025u);
  EXPECT_EQ(driver().peek_value<uint8_t>(data), 3 * 7 + 1);
  EXPECT_EQ(driver().peek_value<uint8_t>(data + 1023), 4 * 7 + 1);
}

TEST_F(VirtioBlkTest, WritesSectorsAcrossOddlySplitBuffers) {
  driver().bring_up(kAll, 1, 16);
  // Header split 5 + 11 bytes, data split 100 + 412 + 512 bytes, status alone.
  const uint64_t h = header(kTypeOut, 10);
  const uint64_t h2 = driver().alloc(16);
  driver().poke(h2, driver().host(h) + 5, 11);
  const uint64_t a = driver().alloc(100), b = driver().alloc(412), c = driver().alloc(512);
  std::memset(driver().host(a), 0xa1, 100);
  std::memset(driver().host(b), 0xb2, 412);
  std::memset(driver().host(c), 0xc3, 512);
  const uint64_t status = driver().alloc(1);
  auto [st, len] = run(
      {{h, 5, false}, {h2, 11, false}, {a, 100, false}, {b, 412, false}, {c, 512, false}, {status, 1, true}},
      status);
  EXPECT_EQ(st, kStatusOk);
  EXPECT_EQ(len, 1u);
  const auto written = image.read(10 * kSectorSize, 1024);
  EXPECT_EQ(written[0], 0xa1);
  EXPECT_EQ(written[99], 0xa1);
  EXPECT_EQ(written[100], 0xb2);
  EXPECT_EQ(written[511], 0xb2);
  EXPECT_EQ(written[512], 0xc3);
  EXPECT_EQ(written[1023], 0xc3);
  EXPECT_EQ(image.read(12 * kSectorSize, 1)[0], 12 * 7 + 1);  // the next sector is untouched
  EXPECT_EQ(backend->flushes, 0);                             // write-back: FLUSH was negotiated
}

TEST_F(VirtioBlkTest, FlushCallsTheBackend) {
  driver().bring_up(kAll, 1, 16);
  auto [status, len] = simple(kTypeFlush, 0, 0, 0, false);
  EXPECT_EQ(status, kStatusOk);
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(backend->flushes, 1);
}

TEST_F(VirtioBlkTest, WithoutFlushFeatureWritesAreWriteThrough) {
  driver().bring_up(kAll & ~feature_bit(kFeatureFlush), 1, 16);
  const uint64_t data = driver().alloc(512);
  EXPECT_EQ(simple(kTypeOut, 1, data, 512, false).first, kStatusOk);
  EXPECT_EQ(backend->flushes, 1);
}

TEST_F(VirtioBlkTest, GetIdAnswersTheSerial) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t id = driver().alloc(20);
  std::memset(driver().host(id), 0xff, 20);
  auto [status, len] = simple(kTypeGetId, 0, id, 20, true);
  EXPECT_EQ(status, kStatusOk);
  EXPECT_EQ(len, 21u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(driver().host(id))), "test-serial");
  EXPECT_EQ(driver().peek_value<uint8_t>(id + 19), 0);
}

TEST_F(VirtioBlkTest, UnsupportedTypesGetUnsupp) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t data = driver().alloc(16);
  for (uint32_t type : {2u, 11u, 13u, 14u, 0x80000000u})
    EXPECT_EQ(simple(type, 0, data, 16, false).first, kStatusUnsupported) << type;
}

TEST_F(VirtioBlkTest, OutOfRangeAndUnalignedRequestsGetIoErr) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t data = driver().alloc(2048);
  EXPECT_EQ(simple(kTypeIn, kSectors - 1, data, 512, true).first, kStatusOk);      // the last sector
  EXPECT_EQ(simple(kTypeIn, kSectors - 1, data, 1024, true).first, kStatusIoErr);  // one past it
  EXPECT_EQ(simple(kTypeIn, kSectors, data, 512, true).first, kStatusIoErr);
  EXPECT_EQ(simple(kTypeOut, ~uint64_t(0) >> 9, data, 512, false).first, kStatusIoErr);  // overflow
  EXPECT_EQ(simple(kTypeOut, ~uint64_t(0), data, 512, false).first, kStatusIoErr);
  EXPECT_EQ(simple(kTypeIn, 0, data, 100, true).first, kStatusIoErr);  // not whole sectors
  auto [status, len] = simple(kTypeIn, kSectors, data, 512, true);
  EXPECT_EQ(status, kStatusIoErr);
  EXPECT_EQ(len, 1u);  // nothing but the status was written
  EXPECT_FALSE(driver().needs_reset());
}

TEST_F(VirtioBlkTest, IndirectRequestsAndBatches) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t status = driver().alloc(8);
  const uint64_t data = driver().alloc(8 * 512);
  // Eight reads in one notification, every one through an indirect table.
  for (int i = 0; i < 8; i++)
    driver().add_indirect(0, {{header(kTypeIn, uint64_t(i)), 16, false},
                              {data + 512 * uint64_t(i), 512, true},
                              {status + uint64_t(i), 1, true}});
  driver().kick(0);
  int done = 0;
  while (done < 8) {
    auto used = driver().wait_used(0);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->len, 513u);
    done++;
  }
  for (int i = 0; i < 8; i++) {
    EXPECT_EQ(driver().peek_value<uint8_t>(status + uint64_t(i)), kStatusOk);
    EXPECT_EQ(driver().peek_value<uint8_t>(data + 512 * uint64_t(i) + 7), i * 7 + 1);
  }
}

TEST_F(VirtioBlkTest, MalformedRequestsNeedReset) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t h = header(kTypeIn, 0), status = driver().alloc(1);
  driver().add(0, {{h, 8, false}, {status, 1, true}});  // an 8-byte header
  driver().kick(0);
  const uint64_t raises = bench->irq.raises();
  for (int i = 0; i < 1000 && !driver().needs_reset(); i++)
    bench->irq.wait_raises_above(raises, std::chrono::milliseconds(20));
  EXPECT_TRUE(driver().needs_reset());
  EXPECT_TRUE(driver().reg(mmio::kInterruptStatus) & kInterruptConfigChange);

  // The driver resets and starts again; a request without a status byte breaks it too.
  driver().bring_up(kAll, 1, 16);
  driver().add(0, {{header(kTypeFlush, 0), 16, false}});
  driver().kick(0);
  for (int i = 0; i < 1000 && !driver().needs_reset(); i++)
    bench->irq.wait_raises_above(bench->irq.raises(), std::chrono::milliseconds(20));
  EXPECT_TRUE(driver().needs_reset());
}

// Random reads, writes, flushes and odd requests, with data split into random pieces,
// checked against a model of the disk; the image file matches the model at the end.
TEST_F(VirtioBlkTest, RandomRequestsMatchAModelDisk) {
  driver().bring_up(kAll, 1, 64);
  std::vector<uint8_t> model = image.read(0, kSectors * kSectorSize);
  std::mt19937_64 rng(12345);
  auto pick = [&](uint64_t n) { return rng() % n; };
  constexpr uint64_t kMaxSectors = 16;
  const uint64_t data = driver().alloc(kMaxSectors * kSectorSize);
  const uint64_t status = driver().alloc(1);
  for (int i = 0; i < 400; i++) {
    const uint64_t choice = pick(10);
    const uint32_t type = choice < 4 ? kTypeIn : choice < 8 ? kTypeOut : choice == 8 ? kTypeFlush : 3;
    const uint64_t sector = pick(kSectors + 4);
    const uint64_t sectors = 1 + pick(kMaxSectors);
    uint64_t len = sectors * kSectorSize;
    if (pick(10) == 0) len -= 1 + pick(kSectorSize - 1);  // not whole sectors
    const bool writable = type != kTypeOut;
    if (!writable)
      for (uint64_t j = 0; j < len; j++) driver().poke_value<uint8_t>(data + j, uint8_t(rng()));
    std::vector<Buf> bufs{{header(type, sector), 16, false}};
    for (uint64_t at = 0; at < len;) {  // the data in 1..4 random pieces
      const uint64_t piece = (pick(4) == 0 || len - at < 2) ? len - at : 1 + pick(len - at - 1);
      bufs.push_back({data + at, uint32_t(piece), writable});
      at += piece;
    }
    if (type == kTypeFlush) bufs.resize(1);
    bufs.push_back({status, 1, true});
    const auto [st, used_len] = run(bufs, status);
    const bool in_range = len % kSectorSize == 0 && sector + len / kSectorSize <= kSectors;
    if (type == 3) {
      EXPECT_EQ(st, kStatusUnsupported) << i;
    } else if (type == kTypeFlush) {
      EXPECT_EQ(st, kStatusOk) << i;
    } else if (!in_range) {
      EXPECT_EQ(st, kStatusIoErr) << i;
    } else {
      ASSERT_EQ(st, kStatusOk) << i;
      uint8_t* guest = driver().host(data);
      if (type == kTypeIn) {
        EXPECT_EQ(used_len, len + 1);
        ASSERT_EQ(std::memcmp(guest, model.data() + sector * kSectorSize, len), 0) << i;
      } else {
        std::memcpy(model.data() + sector * kSectorSize, guest, len);
      }
    }
  }
  EXPECT_FALSE(driver().needs_reset());
  EXPECT_EQ(image.read(0, model.size()), model);
}

class VirtioBlkReadOnlyTest : public VirtioBlkTest {
 protected:
  VirtioBlkReadOnlyTest() : VirtioBlkTest(true) {}
};

TEST_F(VirtioBlkReadOnlyTest, OffersRoAndRefusesWrites) {
  EXPECT_TRUE(driver().device_features() & feature_bit(kFeatureRo));
  driver().bring_up(kAll, 1, 16);
  const uint64_t data = driver().alloc(512);
  std::memset(driver().host(data), 0x55, 512);
  EXPECT_EQ(simple(kTypeOut, 0, data, 512, false).first, kStatusIoErr);
  EXPECT_EQ(image.read(0, 1)[0], 1);  // unchanged
  EXPECT_EQ(simple(kTypeIn, 2, data, 512, true).first, kStatusOk);
  EXPECT_EQ(driver().peek_value<uint8_t>(data), 2 * 7 + 1);
  EXPECT_EQ(simple(kTypeFlush, 0, 0, 0, false).first, kStatusOk);
}

// A backend that holds its first read until the test opens the gate.
class GatedBackend : public BlockBackend {
 public:
  uint64_t size() const override { return kSectors * kSectorSize; }
  bool read_only() const override { return false; }
  bool read(uint64_t, std::span<const iovec> v) override {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
    for (const iovec& i : v) std::memset(i.iov_base, 0x77, i.iov_len);
    return true;
  }
  bool write(uint64_t, std::span<const iovec>) override { return true; }
  bool flush() override { return true; }
  std::string identity() const override { return "gated"; }
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false, open = false;
};

TEST(VirtioBlkResetTest, ResetWaitsForTheRequestInFlight) {
  auto gated = std::make_unique<GatedBackend>();
  GatedBackend& gate = *gated;
  BlockDevice device(std::move(gated));
  VirtioBench bench(device);
  FakeVirtioDriver& driver = bench.driver;
  driver.bring_up(kAll, 1, 8);
  const uint64_t h = driver.alloc(16), data = driver.alloc(512), status = driver.alloc(1);
  Header hdr{kTypeIn, 0, 0};
  driver.poke(h, &hdr, sizeof hdr);
  driver.add(0, {{h, 16, false}, {data, 512, true}, {status, 1, true}});
  driver.add(0, {{h, 16, false}, {data, 512, true}, {status, 1, true}});
  driver.kick(0);
  {
    std::unique_lock lock(gate.mutex);
    gate.changed.wait(lock, [&] { return gate.entered; });
  }
  std::thread resetter([&] { driver.reset(); });  // a vCPU resetting mid-request
  {
    std::lock_guard lock(gate.mutex);
    gate.open = true;
  }
  gate.changed.notify_all();
  resetter.join();
  EXPECT_EQ(driver.status(), 0u);
  // The reset waited: the batch in flight finished before the queue went away.
  EXPECT_EQ(driver.used_idx(0), 2);
  EXPECT_EQ(driver.peek_value<uint8_t>(data), 0x77);
  // A fresh start works.
  driver.bring_up(kAll, 1, 8);
  driver.add(0, {{h, 16, false}, {data, 512, true}, {status, 1, true}});
  driver.kick(0);
  auto used = driver.wait_used(0);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->len, 513u);
}

TEST_F(VirtioBlkTest, SaveRestoreRoundTrip) {
  driver().bring_up(kAll, 1, 16);
  const uint64_t data = driver().alloc(512);
  EXPECT_EQ(simple(kTypeIn, 1, data, 512, true).first, kStatusOk);
  const DeviceState saved = bench->transport.save();
  const std::vector<uint8_t> memory(bench->ram.host_base(), bench->ram.host_base() + bench->ram.size());
  const FakeVirtioDriver::Bookkeeping rings = driver().bookkeeping();
  bench.reset();
  device.reset();  // releases the image's lock

  {  // Another disk shape is refused: read-only, or another capacity.
    BlockDevice read_only(RawFileBackend::open(image.path(), true));
    VirtioBench other(read_only);
    EXPECT_THROW(other.transport.restore(saved), Error);
    TempImage bigger_image(2 * kSectors * kSectorSize, "strata-blk-big-XXXXXX");
    BlockDevice bigger(RawFileBackend::open(bigger_image.path(), false));
    VirtioBench other2(bigger);
    EXPECT_THROW(other2.transport.restore(saved), Error);
  }

  // The same disk and memory: the device carries on where it was.
  device = std::make_unique<BlockDevice>(RawFileBackend::open(image.path(), false), "test-serial");
  bench = std::make_unique<VirtioBench>(*device);
  std::memcpy(bench->ram.host_base(), memory.data(), memory.size());
  driver().adopt(rings);
  bench->transport.restore(saved);
  EXPECT_EQ(driver().status(), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
  auto [status, len] = simple(kTypeIn, 5, data, 512, true);
  EXPECT_EQ(status, kStatusOk);
  EXPECT_EQ(len, 513u);
  EXPECT_EQ(driver().used_idx(0), 2);
  EXPECT_EQ(driver().peek_value<uint8_t>(data), 5 * 7 + 1);
}

TEST(VirtioBlkImageTest, SizeNotAMultipleOf512IsRoundedDown) {
  TempImage image(3 * 512 + 100);
  auto backend = RawFileBackend::open(image.path(), false);
  EXPECT_EQ(backend->size(), 3 * 512u);
}

TEST(VirtioBlkImageTest, OpeningErrorsAreClear) {
  TempImage tiny(100);
  try {
    RawFileBackend::open(tiny.path(), false);
    ADD_FAILURE() << "a 100-byte image was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("smaller than one 512-byte sector"), std::string::npos) << e.what();
  }
  try {
    RawFileBackend::open("/nonexistent/disk.img", false);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/disk.img"), std::string::npos) << e.what();
  }
  EXPECT_THROW(RawFileBackend::open(std::filesystem::temp_directory_path().string(), true), Error);
}

TEST(VirtioBlkImageTest, AWritableImageIsLockedAgainstASecondUser) {
  TempImage image;
  auto first = RawFileBackend::open(image.path(), false);
  try {
    RawFileBackend::open(image.path(), false);
    ADD_FAILURE() << "two writers on one image";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
  }
  EXPECT_THROW(RawFileBackend::open(image.path(), true), Error);
  first.reset();
  auto reader1 = RawFileBackend::open(image.path(), true);
  auto reader2 = RawFileBackend::open(image.path(), true);  // readers share
  EXPECT_EQ(reader2->size(), kSectors * kSectorSize);
}

TEST(VirtioBlkImageTest, DefaultSerialIsTheFileName) {
  TempImage image(512, "a-rather-long-disk-image-name-XXXXXX");
  BlockDevice device(RawFileBackend::open(image.path(), true));
  EXPECT_EQ(device.serial().size(), 20u);
  EXPECT_EQ(device.serial(), std::string("a-rather-long-disk-image-name").substr(0, 20));
}

TEST(VirtioBlkDriveOptionTest, Parses) {
  DriveOptions d = parse_drive_option("disk.img");
  EXPECT_EQ(d.path, "disk.img");
  EXPECT_FALSE(d.read_only);
  d = parse_drive_option("/tmp/x.img,ro");
  EXPECT_EQ(d.path, "/tmp/x.img");
  EXPECT_TRUE(d.read_only);
  d = parse_drive_option("x.img,serial=abc,ro");
  EXPECT_EQ(d.serial, "abc");
  EXPECT_TRUE(d.read_only);
  EXPECT_THROW(parse_drive_option(""), Error);
  EXPECT_THROW(parse_drive_option(",ro"), Error);
  EXPECT_THROW(parse_drive_option("x.img,readwrite"), Error);
  EXPECT_THROW(parse_drive_option("x.img,serial=123456789012345678901"), Error);
  EXPECT_THROW(parse_drive_option("x.img,"), Error);
}

TEST(VirtioBlkDriveOptionTest, OpenUsesTheOptions) {
  TempImage image;
  auto device = BlockDevice::open(parse_drive_option(image.path() + ",ro,serial=disk0"));
  EXPECT_TRUE(device->device_features() & feature_bit(kFeatureRo));
  EXPECT_EQ(device->serial(), "disk0");
  EXPECT_EQ(device->capacity_sectors(), kSectors);
}

}  // namespace
}  // namespace strata::testing
