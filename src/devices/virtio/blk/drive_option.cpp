#include "devices/virtio/blk/drive_option.h"

#include "devices/virtio/blk/request.h"
#include "util/error.h"

namespace strata::virtio::blk {

DriveOptions parse_drive_option(std::string_view text) {
  DriveOptions options;
  size_t comma = text.find(',');
  options.path = std::string(text.substr(0, comma));
  if (options.path.empty()) fail("--drive needs a file name: --drive FILE[,ro][,serial=ID]");
  while (comma != std::string_view::npos) {
    text.remove_prefix(comma + 1);
    comma = text.find(',');
    const std::string_view option = text.substr(0, comma);
    if (option == "ro" || option == "readonly") {
      options.read_only = true;
    } else if (option == "rw") {
      options.read_only = false;
    } else if (option.starts_with("serial=")) {
      options.serial = std::string(option.substr(7));
      if (options.serial.empty() || options.serial.size() > kIdBytes)
        fail("--drive serial '{}' must have 1 to {} characters", options.serial, kIdBytes);
    } else {
      fail("unknown --drive option '{}' (known: ro, rw, serial=ID)", option);
    }
  }
  return options;
}

}  // namespace strata::virtio::blk
