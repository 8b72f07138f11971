#pragma once
// virtio-blk's host side: a disk image the device reads and writes by byte offset.
// RawFileBackend serves a raw image file (or a host block device) with preadv/pwritev
// straight between the file and guest memory; flush is fsync.
#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace strata::virtio {

class BlockBackend {
 public:
  virtual ~BlockBackend() = default;
  virtual uint64_t size() const = 0;  // bytes, a multiple of 512
  virtual bool read_only() const = 0;
  // The whole of `iov` at `offset`; the caller keeps offset + length within size().
  // False on a host I/O error (already reported on stderr).
  virtual bool read(uint64_t offset, std::span<const iovec> iov) = 0;
  virtual bool write(uint64_t offset, std::span<const iovec> iov) = 0;
  virtual bool flush() = 0;
  // What the image is called (for the default device serial).
  virtual std::string identity() const = 0;
};

class RawFileBackend final : public BlockBackend {
 public:
  // Opens read-write, or read-only when `read_only`, and takes an advisory lock (shared
  // when read-only) so two writers cannot share one image. An image whose size is not a
  // multiple of 512 is served rounded down, with a warning; one smaller than a sector, a
  // directory, or an image that cannot be opened or locked is a strata::Error.
  static std::unique_ptr<RawFileBackend> open(const std::string& path, bool read_only);
  ~RawFileBackend() override;

  uint64_t size() const override { return size_; }
  bool read_only() const override { return read_only_; }
  bool read(uint64_t offset, std::span<const iovec> iov) override;
  bool write(uint64_t offset, std::span<const iovec> iov) override;
  bool flush() override;
  std::string identity() const override;

 private:
  RawFileBackend(int fd, std::string path, uint64_t size, bool read_only)
      : fd_(fd), path_(std::move(path)), size_(size), read_only_(read_only) {}
  bool transfer(bool write, uint64_t offset, std::span<const iovec> iov);

  int fd_;
  std::string path_;
  uint64_t size_;
  bool read_only_;
};

}  // namespace strata::virtio
