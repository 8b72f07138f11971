#pragma once
// Diagnostics on stderr. Guest output never goes through here.
#include <fmt/format.h>

#include <cstdio>

namespace strata {

template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "strata: warning: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void note(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "strata: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace strata
