#pragma once
// A 48-bit Ethernet address and its usual text form "52:54:00:12:34:56".
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>

namespace strata {

using MacAddress = std::array<uint8_t, 6>;

// QEMU's default for the first NIC (locally administered OUI 52:54:00), so guest configs
// written for QEMU keep working.
inline constexpr MacAddress kDefaultGuestMac{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

inline std::string format_mac(const MacAddress& mac) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3], mac[4],
                     mac[5]);
}

}  // namespace strata
