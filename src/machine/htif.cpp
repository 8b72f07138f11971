#include "machine/htif.h"

#include <cstring>

#include "mem/bus.h"
#include "util/error.h"
#include "util/log.h"

namespace strata {
namespace {

constexpr uint64_t kPayloadMask = (1ull << 48) - 1;
constexpr uint64_t kSysWrite = 64, kSysExit = 93;
constexpr uint64_t kEnosys = 38, kEbadf = 9, kEfault = 14;

void check_word(const Bus& bus, uint64_t pa, const char* name) {
  if (pa % 8 != 0) fail("{} at 0x{:x} is not 8-byte aligned", name, pa);
  if (!bus.ram_ptr(pa, 8)) fail("{} at 0x{:x} is not in RAM", name, pa);
}

}  // namespace

Htif::Htif(Bus& bus, uint64_t tohost, std::optional<uint64_t> fromhost, Output output)
    : bus_(bus), tohost_(tohost), fromhost_(fromhost), output_(std::move(output)) {
  check_word(bus_, tohost_, "tohost");
  if (fromhost_) check_word(bus_, *fromhost_, "fromhost");
}

uint64_t Htif::load(uint64_t pa) const {
  uint64_t v;
  std::memcpy(&v, bus_.ram_ptr(pa, 8), 8);
  return v;
}

void Htif::store(uint64_t pa, uint64_t value) const { std::memcpy(bus_.ram_ptr(pa, 8), &value, 8); }

void Htif::respond(uint64_t value) const {
  if (fromhost_) store(*fromhost_, value);
}

std::optional<Htif::Exit> Htif::poll() {
  const uint64_t command = load(tohost_);
  if (command == 0) return std::nullopt;
  const unsigned device = unsigned(command >> 56), cmd = unsigned(command >> 48) & 0xff;
  const uint64_t payload = command & kPayloadMask;
  if (device == 0 && cmd == 0) {
    if (payload & 1) return Exit{payload >> 1};  // tohost keeps the value, as Spike leaves it
    store(tohost_, 0);
    return syscall(payload);
  }
  store(tohost_, 0);
  if (device == 1 && cmd == 1) {
    const uint8_t ch = uint8_t(payload);
    output_(1, &ch, 1);
    respond((command >> 48 << 48) | 0x100 | ch);
  } else if (device == 1 && cmd == 0) {
    // Console input: Strata gives a bare program none.
  } else if (!warned_) {
    warned_ = true;
    warn("htif: ignoring unknown command 0x{:016x} (device {}, command {})", command, device, cmd);
  }
  return std::nullopt;
}

// A system call proxied through eight words of guest memory: which, arg0, arg1, arg2, ...
// The result goes back into the first word.
std::optional<Htif::Exit> Htif::syscall(uint64_t magic) {
  uint8_t* words = bus_.ram_ptr(magic, 64);
  if (!words || magic % 8 != 0) {
    warn("htif: system call block at 0x{:x} is not in RAM; ignored", magic);
    return std::nullopt;
  }
  uint64_t arg[4];
  std::memcpy(arg, words, sizeof arg);
  uint64_t result = -kEnosys;
  switch (arg[0]) {
    case kSysExit:
      return Exit{arg[1]};
    case kSysWrite: {
      const uint64_t fd = arg[1], buf = arg[2], len = arg[3];
      const uint8_t* bytes = len ? bus_.ram_ptr(buf, len) : words;
      if (fd != 1 && fd != 2)
        result = -kEbadf;
      else if (!bytes)
        result = -kEfault;
      else {
        output_(int(fd), bytes, len);
        result = len;
      }
      break;
    }
    default:
      break;
  }
  std::memcpy(words, &result, 8);
  respond(1);
  return std::nullopt;
}

}  // namespace strata
