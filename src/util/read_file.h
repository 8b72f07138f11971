#pragma once
// The whole of a regular file the user named (an ELF program, a kernel): one strata::Error
// naming the path when it is missing, not a regular file or cannot be read.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

std::vector<uint8_t> read_regular_file(const std::string& path);

}  // namespace strata
