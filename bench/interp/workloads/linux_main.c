// Linux entry for the benchmark under qemu-riscv64: prints the checksum.
#include <stdio.h>

#include "workload.h"

int main(void) {
  printf("%llu\n", (unsigned long long)workload());
  return 0;
}
