# Guest images for boot tests and benchmarks (included by the top-level Makefile).
# Every recipe is a script under guest/ that caches its output in build/guest/;
# see guest/README.md.
#
#   make guest-kernel      Strata kernel Image (Debian's linux-source-6.1, tinyconfig+fragment)
#   make guest-initramfs   busybox initramfs for it
#   make guest-disk        64 MiB ext4 test disk
#   make guest-debian      Debian's stock riscv64 kernel (plain Image) + its initramfs
#   make guest             all of the above
#
# Exported paths (absolute): GUEST_KERNEL, GUEST_INITRAMFS, GUEST_DISK,
# GUEST_DEBIAN_KERNEL, GUEST_DEBIAN_INITRAMFS.

GUEST_SRC := $(abspath $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST)))))
GUEST_OUT ?= $(abspath $(GUEST_SRC)/../build/guest)
export STRATA_GUEST_OUT := $(GUEST_OUT)

# The kernel's path carries the hash of its inputs; `--path` computes it without
# building (empty until scripts/setup has installed linux-source-6.1).
GUEST_KERNEL := $(shell STRATA_GUEST_OUT='$(GUEST_OUT)' '$(GUEST_SRC)/kernel/build' --path 2>/dev/null)
GUEST_INITRAMFS := $(GUEST_OUT)/initramfs.cpio.gz
GUEST_DISK := $(GUEST_OUT)/disk.ext4
GUEST_DEBIAN_KERNEL := $(GUEST_OUT)/debian-vmlinuz
GUEST_DEBIAN_INITRAMFS := $(GUEST_OUT)/initramfs-debian.cpio.gz
export GUEST_KERNEL GUEST_INITRAMFS GUEST_DISK GUEST_DEBIAN_KERNEL GUEST_DEBIAN_INITRAMFS

.PHONY: guest guest-kernel guest-initramfs guest-debian guest-disk guest-clean

guest: guest-kernel guest-initramfs guest-disk guest-debian

guest-kernel:
	@'$(GUEST_SRC)/kernel/build'

guest-initramfs:
	@'$(GUEST_SRC)/rootfs/initramfs'

guest-debian:
	@'$(GUEST_SRC)/rootfs/initramfs' --debian

guest-disk:
	@'$(GUEST_SRC)/rootfs/disk-image'

# Removes the built images but keeps the downloaded .debs and the extracted
# kernel source (rm -rf build/guest for everything).
guest-clean:
	rm -rf '$(GUEST_OUT)'/kernel-* '$(GUEST_OUT)'/initramfs*.cpio.gz* \
	  '$(GUEST_OUT)'/debian-vmlinuz* '$(GUEST_OUT)'/disk.ext4*
