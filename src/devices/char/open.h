#pragma once
// Character back ends from their command-line spelling (QEMU's, where it has one):
//   stdio              the terminal (raw mode when it is a tty; Ctrl-A X quits)
//   null               nothing: output dropped, no input
//   file:PATH          output appended to PATH
//   unix:PATH          connect to a listening Unix socket
//   unix:PATH,server   listen on PATH (one client at a time)
// Several specs make one back end writing to all of them. A bad spec or an unusable path
// throws strata::Error before anything runs.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "devices/char_backend.h"

namespace strata {

std::unique_ptr<CharBackend> open_char_backend(std::string_view spec);
std::unique_ptr<CharBackend> open_char_backends(const std::vector<std::string>& specs);

}  // namespace strata
