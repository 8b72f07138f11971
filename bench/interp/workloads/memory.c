// Memory: heapsort of a pseudo-random array and a strided copy, repeated.
#include "workload.h"

#define N (1 << 15)
static uint64_t a[N], b[N];

static void sift(uint64_t* v, unsigned start, unsigned end) {
  unsigned root = start;
  while (2 * root + 1 <= end) {
    unsigned child = 2 * root + 1, swap = root;
    if (v[swap] < v[child]) swap = child;
    if (child + 1 <= end && v[swap] < v[child + 1]) swap = child + 1;
    if (swap == root) return;
    uint64_t t = v[root];
    v[root] = v[swap];
    v[swap] = t;
    root = swap;
  }
}

uint64_t workload(void) {
  uint64_t x = 88172645463325252ull, sum = 0;
  for (int round = 0; round < 12; round++) {
    for (unsigned i = 0; i < N; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      a[i] = x;
    }
    for (int s = N / 2 - 1; s >= 0; s--) sift(a, (unsigned)s, N - 1);
    for (unsigned e = N - 1; e > 0; e--) {
      uint64_t t = a[0];
      a[0] = a[e];
      a[e] = t;
      sift(a, 0, e - 1);
    }
    for (unsigned stride = 1; stride < 64; stride *= 2)
      for (unsigned i = 0; i < N; i++) b[(i * stride) % N] = a[i];
    for (unsigned i = 0; i < N; i += 97) sum += a[i] ^ b[i];
  }
  return sum;
}
