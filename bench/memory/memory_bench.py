#!/usr/bin/env python3
"""bench/memory: the host memory a VMM needs for itself, beside the guest's RAM. A 256 MiB guest
(minimal kernel and initramfs) is booted to its shell and left until it is idle (the VMM uses
under 5% of a CPU over half a second), as a VM waiting for work is; then /proc/PID/smaps gives
the process's RSS and the Rss of the guest-RAM mapping (found by its size). Strata and
qemu-system-riscv64, same guest, same run.

    bench/memory/memory_bench.py BUILD_DIR      (bench/memory/run builds strata first)
"""

import os
import re
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
from boot_test import Skip, minimal_guest  # noqa: E402
from vm import PROMPT, READY, Console, GuestError  # noqa: E402

RAM_MIB = 256
TARGET_MIB = 8
TIMEOUT = 120
IDLE_WINDOW = 0.5   # seconds per CPU-time sample
IDLE_SHARE = 0.05   # idle: under this share of one CPU over a window
SETTLE_MAX = 20     # seconds to wait for idleness before measuring anyway


def smaps(pid):
    """[(size_kib, rss_kib, name)] for every mapping of process `pid`."""
    maps, current = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                parts = line.split(maxsplit=5)
                current = [0, 0, parts[5].strip() if len(parts) > 5 else ""]
                maps.append(current)
            elif line.startswith("Size:"):
                current[0] = int(line.split()[1])
            elif line.startswith("Rss:"):
                current[1] = int(line.split()[1])
    return maps


def cpu_seconds(pid):
    """User plus system CPU time of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid):
    """Seconds it took until the process used under IDLE_SHARE of a CPU for a whole window."""
    start = time.monotonic()
    before = cpu_seconds(pid)
    while time.monotonic() - start < SETTLE_MAX:
        time.sleep(IDLE_WINDOW)
        now = cpu_seconds(pid)
        if now - before < IDLE_SHARE * IDLE_WINDOW:
            break
        before = now
    return time.monotonic() - start


def measure(vmm, strata):
    """(total RSS, Rss of the guest RAM mapping) in KiB, once the guest's shell is up."""
    guest = minimal_guest(memory=f"{RAM_MIB}M")
    with Console(guest.command_line(vmm, strata=strata)) as con:
        try:
            con.expect(READY, TIMEOUT)
            con.expect(PROMPT, TIMEOUT, what="the shell prompt")
            wait_until_idle(con.proc.pid)
            maps = smaps(con.proc.pid)
        except GuestError as e:
            raise GuestError(f"{vmm}: {e}\n--- end of the console ---\n{con.transcript[-3000:]}\n---") from None
    ram_kib = RAM_MIB * 1024
    # The RAM mapping: exactly the RAM size, or a little more where the VMM aligns it.
    ram = [m for m in maps if ram_kib <= m[0] <= ram_kib + 4096]
    if not ram:
        raise GuestError(f"{vmm}: no mapping of {RAM_MIB} MiB in /proc/{con.proc.pid}/smaps")
    ram_rss = max(m[1] for m in ram)
    return sum(m[1] for m in maps), ram_rss


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "release")
    strata = os.path.join(os.path.abspath(build), "strata")
    try:
        minimal_guest()
    except Skip as e:
        print(f"bench/memory: skipped: {e}")
        return 0
    print(f"{'vmm':<8} {'rss_MiB':>9} {'guest_ram_MiB':>14} {'own_MiB':>9}   ({RAM_MIB} MiB guest idle at its shell)")
    own = {}
    failed = False
    for vmm in ("strata", "qemu"):
        try:
            total, ram = measure(vmm, strata)
        except (GuestError, OSError) as e:
            print(f"bench/memory: {e}", file=sys.stderr)
            print(f"{vmm:<8} {'fail':>9}")
            failed = True
            continue
        own[vmm] = (total - ram) / 1024
        print(f"{vmm:<8} {total / 1024:9.1f} {ram / 1024:14.1f} {own[vmm]:9.1f}", flush=True)
    if "strata" in own and "qemu" in own:
        print(f"strata's own memory: {own['strata']:.1f} MiB (target at most {TARGET_MIB} MiB); "
              f"QEMU's: {own['qemu']:.1f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
