// Integer: a sieve of Eratosthenes and an FNV-1a hash over its result, repeated.
#include "workload.h"

static uint8_t composite[1 << 16];

uint64_t workload(void) {
  uint64_t hash = 1469598103934665603ull;
  for (int round = 0; round < 300; round++) {
    for (unsigned i = 0; i < sizeof composite; i++) composite[i] = 0;
    for (unsigned i = 2; i * i < sizeof composite; i++)
      if (!composite[i])
        for (unsigned j = i * i; j < sizeof composite; j += i) composite[j] = 1;
    for (unsigned i = 0; i < sizeof composite; i++) hash = (hash ^ composite[i] ^ round) * 1099511628211ull;
  }
  return hash;
}
