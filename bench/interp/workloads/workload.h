// Shared by the bare-metal build (run by Strata) and the Linux build (run by qemu-riscv64):
// each workload is a function returning a checksum, so both runs can be compared.
#pragma once
#include <stdint.h>

uint64_t workload(void);
