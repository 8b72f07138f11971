#pragma once
// A file the user named on the command line (kernel, initrd, firmware), opened once and
// read in place into guest RAM, so a large image never sits twice in host memory. Every
// failure is one strata::Error that names the file and what it was for.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace strata {

class HostFile {
 public:
  // `role` says what the file is for ("kernel", "initrd"): it starts every error message.
  HostFile(std::string path, std::string role);
  ~HostFile();
  HostFile(const HostFile&) = delete;
  HostFile& operator=(const HostFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& role() const { return role_; }
  uint64_t size() const { return size_; }
  // The first min(n, size) bytes.
  std::vector<uint8_t> head(size_t n) const;
  // Reads exactly out.size() bytes at `offset` (throws when the file is shorter).
  void read_at(uint64_t offset, std::span<uint8_t> out) const;
  // The whole file.
  std::vector<uint8_t> read_all() const;

 private:
  std::string path_;
  std::string role_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace strata
