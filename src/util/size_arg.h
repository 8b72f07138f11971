#pragma once
// Sizes on the command line: "256M", "1G", "65536", "512K" (binary units).
#include <cstdint>
#include <string_view>

namespace strata {

// Throws strata::Error with a message naming `what` when `text` is not a size.
uint64_t parse_size(std::string_view text, std::string_view what);

}  // namespace strata
