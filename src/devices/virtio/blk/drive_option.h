#pragma once
// The value of `--drive FILE[,ro][,serial=ID]`: FILE is a raw disk image; `ro` serves it
// read-only (writes fail with IOERR, VIRTIO_BLK_F_RO is offered); `serial` is what
// GET_ID answers (20 bytes at most; the file's name by default).
#include <string>
#include <string_view>

namespace strata::virtio::blk {

struct DriveOptions {
  std::string path;
  bool read_only = false;
  std::string serial;  // empty: derived from the file name
};

// Throws strata::Error naming the bad part.
DriveOptions parse_drive_option(std::string_view text);

}  // namespace strata::virtio::blk
