#!/usr/bin/env python3
"""bench/boot: wall time from process start until a guest's /init has printed its marker and
powered the machine off (the VMM process exited), for Strata and qemu-system-riscv64 on the same
kernel and initramfs, measured in the same run. Median of RUNS runs (default 3). The command
line is `console=ttyS0 quiet strata.marker_poweroff` for both (quiet: the UART is not the subject).

    bench/boot/boot_bench.py BUILD_DIR      (bench/boot/run builds strata first)
"""

import os
import statistics
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
from boot_test import SKIP, Skip, debian_guest, minimal_guest  # noqa: E402
from vm import MARKER, Console, GuestError  # noqa: E402

TIMEOUT = 300  # per boot (Debian's kernel: ~55 s on the interpreter today)


def boot_seconds(guest, vmm, strata):
    """One boot: seconds until the marker and until the process exited with status 0. `vmm` is
    "qemu" or "strata-ENGINE"."""
    argv = guest.command_line("qemu" if vmm == "qemu" else "strata", strata=strata)
    if vmm != "qemu":
        argv = argv[:2] + ["--engine", vmm.split("-", 1)[1]] + argv[2:]
    with Console(argv) as con:
        try:
            con.expect(MARKER, TIMEOUT)
            marker = con.elapsed()
            status = con.wait_exit(TIMEOUT)
            if status != 0:
                raise GuestError(f"exit status {status} after the marker")
            return marker, con.elapsed()
        except GuestError as e:
            tail = con.transcript[-3000:]
            raise GuestError(f"{vmm}: {e}\n--- end of the console ---\n{tail}\n---") from None


def median_seconds(guest, vmm, strata, runs):
    results = [boot_seconds(guest, vmm, strata) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "release")
    strata = os.path.join(os.path.abspath(build), "strata")
    runs = int(os.environ.get("RUNS", "3"))
    append = "console=ttyS0 quiet strata.marker_poweroff"
    workloads = [("minimal", minimal_guest), ("debian", debian_guest)]
    failed = False
    vmms = ("strata-jit", "strata-interp", "qemu")
    print(f"{'workload':<10} {'jit':>8} {'interp':>8} {'qemu':>8} {'jit/qemu':>9}   (seconds to poweroff; marker at)")
    for name, make in workloads:
        try:
            guest = make(append=append, memory="256M" if name == "minimal" else "512M")
        except Skip as e:
            print(f"{name:<10} skipped: {e}")
            continue
        cells = {}
        for vmm in vmms:
            try:
                cells[vmm] = median_seconds(guest, vmm, strata, runs)
            except (GuestError, OSError) as e:
                print(f"bench/boot: {name}: {e}", file=sys.stderr)
                cells[vmm] = None
                failed = True
        j, i, q = (cells[v] for v in vmms)
        fmt = lambda c: f"{c[1]:8.3f}" if c else f"{'fail':>8}"  # noqa: E731
        ratio = f"{j[1] / q[1]:9.2f}" if j and q else f"{'-':>9}"
        marks = " ".join(f"{vmm} {c[0]:.3f}" for vmm, c in cells.items() if c)
        print(f"{name:<10} {fmt(j)} {fmt(i)} {fmt(q)} {ratio}   ({marks})", flush=True)
    print(f"(median of {runs} runs; targets for the JIT: below qemu on both, at most 0.25 s on the minimal kernel)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
