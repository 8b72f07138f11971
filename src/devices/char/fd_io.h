#pragma once
// Small descriptor helpers shared by the character back ends.
#include <cstddef>
#include <cstdint>

namespace strata {

// Writes all of `data` to `fd`, retrying on EINTR and waiting out EAGAIN. False when the
// descriptor failed (the peer went away, the disk is full): the caller decides what that means.
bool write_all(int fd, const uint8_t* data, size_t size);

}  // namespace strata
