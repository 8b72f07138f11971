#include "util/size_arg.h"

#include <charconv>
#include <string>

#include "util/error.h"

namespace strata {

uint64_t parse_size(std::string_view text, std::string_view what) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view suffix(end, text.data() + text.size() - end);
  unsigned shift = 0;
  if (suffix == "K" || suffix == "k" || suffix == "KiB") shift = 10;
  else if (suffix == "M" || suffix == "m" || suffix == "MiB") shift = 20;
  else if (suffix == "G" || suffix == "g" || suffix == "GiB") shift = 30;
  else if (!suffix.empty()) ec = std::errc::invalid_argument;
  if (ec != std::errc() || end == text.data() || (shift && value > (~0ull >> shift)))
    fail("{}: '{}' is not a size (examples: 256M, 1G, 65536)", what, std::string(text));
  return value << shift;
}

}  // namespace strata
