#include "devices/char/open.h"

#include "devices/char/file.h"
#include "devices/char/memory.h"
#include "devices/char/socket.h"
#include "devices/char/tee.h"
#include "devices/char/terminal.h"
#include "util/error.h"

namespace strata {

std::unique_ptr<CharBackend> open_char_backend(std::string_view spec) {
  if (spec == "stdio") return std::make_unique<TerminalCharBackend>();
  if (spec == "null") return std::make_unique<NullCharBackend>();
  if (spec.starts_with("file:")) {
    const std::string path(spec.substr(5));
    if (path.empty()) fail("character device '{}': the file path is missing", spec);
    return std::make_unique<FileCharBackend>(path);
  }
  if (spec.starts_with("unix:")) {
    std::string_view rest = spec.substr(5);
    auto mode = SocketCharBackend::Mode::Connect;
    if (rest.ends_with(",server")) {
      rest.remove_suffix(7);
      mode = SocketCharBackend::Mode::Listen;
    }
    return std::make_unique<SocketCharBackend>(std::string(rest), mode);
  }
  fail("unknown character device '{}' (expected stdio, null, file:PATH, unix:PATH or unix:PATH,server)",
       spec);
}

std::unique_ptr<CharBackend> open_char_backends(const std::vector<std::string>& specs) {
  if (specs.empty()) return std::make_unique<NullCharBackend>();
  if (specs.size() == 1) return open_char_backend(specs[0]);
  std::vector<std::unique_ptr<CharBackend>> parts;
  int terminals = 0;
  for (const std::string& spec : specs) {
    if (spec == "stdio" && ++terminals > 1) fail("stdio can serve only one character device");
    parts.push_back(open_char_backend(spec));
  }
  return std::make_unique<TeeCharBackend>(std::move(parts));
}

}  // namespace strata
