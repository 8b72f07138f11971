#!/usr/bin/env python3
"""End-to-end boot tests: a Linux guest on Strata (or on qemu-system-riscv64, the reference that
validates these tests), driven through its serial console on a pseudo-terminal.

    tests/boot/boot_test.py --strata build/release/strata shell disk ...
    tests/boot/boot_test.py --vm qemu all        # the same tests against QEMU -M virt

Exit status: 0 all passed, 1 a test failed (its transcript is printed), 77 skipped (a guest
image is missing: `make guest` builds them). Every test has a hard deadline and the VM is
killed whatever happens.
"""

import argparse
import functools
import http.server
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vm import Console, Guest, GuestError  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
SKIP = 77

# Seconds. Generous for the interpreter; QEMU needs a fraction of each.
BOOT_TIMEOUT = 60
DEBIAN_BOOT_TIMEOUT = 210  # the interpreter needs ~60 s (130 s earlier today), QEMU ~5 s
EXIT_TIMEOUT = 30


class Skip(Exception):
    pass


# --- the guest images (guest/README.md) ---------------------------------------------------------

def guest_out():
    return os.environ.get("STRATA_GUEST_OUT") or os.path.join(ROOT, "build", "guest")


def minimal_kernel():
    path = os.environ.get("GUEST_KERNEL")
    if not path:
        env = dict(os.environ, STRATA_GUEST_OUT=guest_out())
        r = subprocess.run([os.path.join(ROOT, "guest", "kernel", "build"), "--path"], env=env,
                           capture_output=True, text=True)
        path = r.stdout.strip()
    return path


def need(*paths):
    for p in paths:
        if not p or not os.path.isfile(p):
            raise Skip(f"guest image {p or '(kernel path unknown)'} is missing: run `make guest`")
    return paths


def minimal_guest(**kw):
    kernel, initrd = need(minimal_kernel(), os.path.join(guest_out(), "initramfs.cpio.gz"))
    return Guest(kernel=kernel, initrd=initrd, **kw)


def debian_guest(**kw):
    kernel, initrd = need(os.path.join(guest_out(), "debian-vmlinuz"),
                          os.path.join(guest_out(), "initramfs-debian.cpio.gz"))
    return Guest(kernel=kernel, initrd=initrd, **kw)


def disk_copy(tmp):
    (disk,) = need(os.path.join(guest_out(), "disk.ext4"))
    copy = os.path.join(tmp, "disk.ext4")
    shutil.copyfile(disk, copy)
    header = subprocess.run(["dumpe2fs", "-h", copy], capture_output=True, text=True).stdout
    if "needs_recovery" in header:
        raise GuestError(f"{disk} needs journal recovery (a VM wrote to it): rebuild it with guest/rootfs/disk-image")
    return copy


# --- helpers ------------------------------------------------------------------------------------

def check(condition, message):
    if not condition:
        raise GuestError(message)


def expect_exit_zero(con, how):
    status = con.wait_exit(EXIT_TIMEOUT)
    check(status == 0, f"the VM ended with status {status} after `{how}` (expected 0)")


def busy_ticks(stat):
    """{cpu number: user+nice+system ticks} from the text of /proc/stat."""
    ticks = {}
    for m in re.finditer(r"^cpu(\d+) (\d+) (\d+) (\d+)", stat, re.M):
        ticks[int(m.group(1))] = int(m.group(2)) + int(m.group(3)) + int(m.group(4))
    return ticks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpServer:
    """A static HTTP server on 127.0.0.1 (random port) serving one directory, in a thread."""

    def __init__(self, directory):
        handler = functools.partial(Quiet, directory=directory)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# --- the tests ----------------------------------------------------------------------------------
# Each takes the runner (which starts consoles) and raises GuestError on failure.

TESTS = {}


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


@test("shell")
def shell(run):
    """Boot to the shell, look at the machine, `poweroff` ends the VMM with status 0."""
    con = run(minimal_guest())
    con.wait_shell(BOOT_TIMEOUT)
    arch = con.output("uname -m").strip()
    check(arch == "riscv64", f"uname -m printed {arch!r}, expected 'riscv64'")
    cpuinfo = con.output("cat /proc/cpuinfo")
    check(re.search(r"^processor\s*:\s*0$", cpuinfo, re.M), "no `processor : 0` in /proc/cpuinfo")
    check(re.search(r"^isa\s*:\s*rv64imafdc", cpuinfo, re.M), "/proc/cpuinfo: isa is not rv64imafdc...")
    check(re.search(r"^mmu\s*:\s*sv(39|48|57)", cpuinfo, re.M), "/proc/cpuinfo: no Sv39/48/57 MMU")
    con.send("poweroff\n")
    expect_exit_zero(con, "poweroff")


@test("reboot")
def reboot(run):
    """`reboot` in the guest ends the VMM with status 0 (QEMU: with -no-reboot)."""
    con = run(minimal_guest(), no_reboot=True)
    con.wait_shell(BOOT_TIMEOUT)
    con.send("reboot\n")
    expect_exit_zero(con, "reboot")


@test("disk")
def disk(run):
    """ext4 on virtio-blk: read the image's file, write one, sync, power off, find it with debugfs."""
    with tempfile.TemporaryDirectory(prefix="strata-boot-") as tmp:
        image = disk_copy(tmp)
        token = "written by the guest " + secrets.token_hex(8)
        con = run(minimal_guest(drive=image))
        con.wait_shell(BOOT_TIMEOUT)
        con.run("mount -t ext4 /dev/vda /mnt")
        hello = con.output("cat /mnt/hello.txt").strip()
        check(hello == "hello from the strata disk", f"/mnt/hello.txt read {hello!r}")
        con.run(f"echo '{token}' > /mnt/strata-test.txt && sync")
        con.run("umount /mnt")
        con.send("poweroff\n")
        expect_exit_zero(con, "poweroff")
        r = subprocess.run(["debugfs", "-R", "cat /strata-test.txt", image], capture_output=True,
                           text=True, timeout=30)
        check(r.stdout.strip() == token,
              f"debugfs found {r.stdout.strip()!r} in /strata-test.txt, expected {token!r} ({r.stderr.strip()})")
        r = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, f"e2fsck -fn after the guest's writes: status {r.returncode}\n{r.stdout}")


@test("net_wget")
def net_wget(run):
    """User networking: DHCP from the VMM, then wget from an HTTP server on the host's 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="strata-boot-") as tmp:
        page = "page for the guest " + secrets.token_hex(16) + "\n"
        with open(os.path.join(tmp, "page.txt"), "w") as f:
            f.write(page * 64)  # 3 KiB: more than one TCP segment
        with HttpServer(tmp) as http:
            con = run(minimal_guest(net="user", append="console=ttyS0 strata.net=dhcp"))
            con.wait_shell(BOOT_TIMEOUT)
            addr = con.output("ip -4 addr show dev eth0")
            check("10.0.2.15/24" in addr, f"eth0 has no 10.0.2.15/24 lease:\n{addr}")
            got = con.output(f"wget -q -O - http://10.0.2.2:{http.port}/page.txt")
            check(got == page * 64, f"wget returned {len(got)} bytes that differ from the {len(page) * 64} served")
            con.send("poweroff\n")
            expect_exit_zero(con, "poweroff")


@test("net_hostfwd")
def net_hostfwd(run):
    """A host client reaches a guest TCP listener through --net user,hostfwd=tcp::H-:G."""
    host_port, guest_port = free_port(), 7777
    token = secrets.token_hex(8)
    con = run(minimal_guest(net=f"user,hostfwd=tcp::{host_port}-:{guest_port}",
                            append="console=ttyS0 strata.net=static"))
    con.wait_shell(BOOT_TIMEOUT)
    con.run(f"(echo guest-{token} | nc -l -p {guest_port} > /tmp/got) &")
    # Until nc listens, the forwarder accepts and then drops the connection: retry until a line comes.
    deadline = time.monotonic() + 30
    reply = b""
    while not reply.startswith(f"guest-{token}".encode()):
        check(time.monotonic() < deadline, f"no reply through 127.0.0.1:{host_port} within 30 s (last: {reply!r})")
        try:
            with socket.create_connection(("127.0.0.1", host_port), timeout=5) as s:
                s.sendall(f"host-{token}\n".encode())
                reply = b""
                while b"\n" not in reply:
                    chunk = s.recv(256)
                    if not chunk:
                        break
                    reply += chunk
        except OSError:
            reply = b""
        if not reply:
            con._drain(0.2)  # keep reading the console while waiting for the listener
    con.run("wait")
    got = con.output("cat /tmp/got").strip()
    check(got == f"host-{token}", f"the guest's nc received {got!r}, expected 'host-{token}'")
    con.send("poweroff\n")
    expect_exit_zero(con, "poweroff")


@test("smp")
def smp(run):
    """--cpus 2: both harts come online."""
    con = run(minimal_guest(cpus=2))
    con.wait_shell(BOOT_TIMEOUT)
    cpuinfo = con.output("cat /proc/cpuinfo")
    cpus = re.findall(r"^processor\s*:\s*(\d+)$", cpuinfo, re.M)
    check(cpus == ["0", "1"], f"/proc/cpuinfo lists processors {cpus}, expected ['0', '1']")
    online = con.output("cat /sys/devices/system/cpu/online").strip()
    check(online == "0-1", f"/sys/devices/system/cpu/online is {online!r}, expected '0-1'")
    # Two busy loops at once: both finish, and both harts spent time running them.
    before = busy_ticks(con.output("cat /proc/stat"))
    con.run("for i in 1 2; do (n=0; while [ $n -lt 20000 ]; do n=$((n+1)); done) & done; wait", timeout=60)
    after = busy_ticks(con.output("cat /proc/stat"))
    spent = {cpu: after[cpu] - before.get(cpu, 0) for cpu in after}
    check(len(spent) == 2 and min(spent.values()) >= 5,
          f"busy ticks per CPU during two busy loops: {spent} (expected both CPUs >= 5)")
    con.send("poweroff\n")
    expect_exit_zero(con, "poweroff")


@test("opensbi")
def opensbi(run):
    """--bios with Debian's OpenSBI (fw_dynamic) in M-mode boots the same kernel to the shell."""
    need(OPENSBI)
    con = run(minimal_guest(bios=OPENSBI))
    con.wait_shell(BOOT_TIMEOUT)
    check("OpenSBI" in con.transcript, "no OpenSBI banner on the console: did the firmware run?")
    arch = con.output("uname -m").strip()
    check(arch == "riscv64", f"uname -m printed {arch!r}")
    con.send("poweroff\n")
    expect_exit_zero(con, "poweroff")


@test("debian")
def debian(run):
    """Debian's stock kernel, its virtio modules from the initramfs, a read-only disk."""
    with tempfile.TemporaryDirectory(prefix="strata-boot-") as tmp:
        image = disk_copy(tmp)
        con = run(debian_guest(drive=image, drive_readonly=True, memory="512M"))
        con.wait_shell(DEBIAN_BOOT_TIMEOUT)
        arch = con.output("uname -m").strip()
        check(arch == "riscv64", f"uname -m printed {arch!r}")
        con.run("mount -t ext4 -o ro /dev/vda /mnt", timeout=60)
        hello = con.output("cat /mnt/hello.txt").strip()
        check(hello == "hello from the strata disk", f"/mnt/hello.txt read {hello!r}")
        status, _ = con.run("touch /mnt/x", check=False)
        check(status != 0, "a file could be created on a read-only mount of a read-only drive")
        con.send("poweroff\n")
        expect_exit_zero(con, "poweroff")


# --- the runner ---------------------------------------------------------------------------------

class Deadline(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tests", nargs="+", help=f"test names ({', '.join(TESTS)}) or 'all'")
    parser.add_argument("--vm", choices=["strata", "qemu"], default="strata")
    parser.add_argument("--strata", default=os.path.join(ROOT, "build", "release", "strata"))
    parser.add_argument("--timeout", type=int, default=240, help="hard limit per test, seconds")
    parser.add_argument("--engine", choices=["jit", "interp"], help="strata's --engine (default: its own)")
    parser.add_argument("--jit-cache-size", help="strata's --jit-cache-size (a small one flushes mid-boot)")
    parser.add_argument("--echo", action="store_true", help="copy the console to stdout as it runs")
    args = parser.parse_args()
    names = list(TESTS) if args.tests == ["all"] else args.tests
    for name in names:
        if name not in TESTS:
            parser.error(f"unknown test {name!r}")
    if args.vm == "strata" and not os.access(args.strata, os.X_OK):
        print(f"boot: {args.strata} is not built", file=sys.stderr)
        return 1
    if args.vm == "qemu" and not shutil.which("qemu-system-riscv64"):
        print("boot: qemu-system-riscv64 missing (scripts/setup installs qemu-system-misc)", file=sys.stderr)
        return SKIP

    def on_alarm(signum, frame):
        raise Deadline()

    signal.signal(signal.SIGALRM, on_alarm)
    failed = skipped = 0
    for name in names:
        consoles = []

        def run(guest, no_reboot=False):
            argv = guest.command_line(args.vm, strata=args.strata, no_reboot=no_reboot)
            if args.vm == "strata" and args.engine:
                argv = argv[:2] + ["--engine", args.engine] + argv[2:]
            if args.vm == "strata" and args.jit_cache_size:
                argv = argv[:2] + ["--jit-cache-size", args.jit_cache_size] + argv[2:]
            print("$ " + shlex.join(argv), flush=True)
            con = Console(argv, echo=args.echo)
            consoles.append(con)
            return con

        start = time.monotonic()
        signal.alarm(args.timeout)
        try:
            TESTS[name](run)
            print(f"boot.{name}: ok ({time.monotonic() - start:.1f} s)", flush=True)
        except Skip as e:
            skipped += 1
            print(f"boot.{name}: skipped: {e}", flush=True)
        except (GuestError, Deadline, OSError, subprocess.SubprocessError) as e:
            failed += 1
            reason = f"hard timeout of {args.timeout} s" if isinstance(e, Deadline) else str(e)
            print(f"boot.{name}: FAILED after {time.monotonic() - start:.1f} s: {reason}", flush=True)
            for con in consoles:
                if not args.echo:
                    print(f"--- console transcript of `{con.argv[0]} ...` ---\n{con.transcript}\n--- end ---")
        finally:
            signal.alarm(0)
            for con in consoles:
                con.kill()
    if failed:
        return 1
    return SKIP if skipped == len(names) else 0


if __name__ == "__main__":
    sys.exit(main())
