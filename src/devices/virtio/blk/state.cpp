#include "devices/virtio/blk/state.h"

#include "util/error.h"

namespace strata::virtio::blk {
namespace {
constexpr char kKind[] = "virtio-blk";
constexpr uint32_t kVersion = 1;
}  // namespace

DeviceState save_state(const DiskShape& disk) {
  StateWriter out;
  out.u64(disk.sectors);
  out.u8(disk.read_only);
  return out.finish(kKind, kVersion);
}

void restore_state(const DeviceState& state, const DiskShape& disk) {
  StateReader in(state, kKind, kVersion);
  const uint64_t sectors = in.u64();
  const bool read_only = in.u8();
  in.expect_end();
  if (sectors != disk.sectors)
    fail("virtio-blk state is for a disk of {} sectors, this disk has {}", sectors, disk.sectors);
  if (read_only != disk.read_only)
    fail("virtio-blk state is for a {} disk, this disk is {}", read_only ? "read-only" : "writable",
         disk.read_only ? "read-only" : "writable");
}

}  // namespace strata::virtio::blk
