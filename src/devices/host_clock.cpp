#include "devices/host_clock.h"

#include <time.h>

namespace strata {

namespace {
uint64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000 + uint64_t(ts.tv_nsec);
}
}  // namespace

HostClock::HostClock() : start_ns_(monotonic_ns()) {}

uint64_t HostClock::now() const { return (monotonic_ns() - start_ns_) / kNsPerTick; }

}  // namespace strata
