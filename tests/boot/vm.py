"""A Linux guest on a pseudo-terminal, driven like a user at the console (boot tests, benches).

Python 3 standard library only. One `Guest` describes a machine (kernel, initrd, command line,
disk, network, harts, RAM, firmware); `command_line(vmm)` turns it into the same machine for
Strata (`strata run --kernel ...`) or for the reference, qemu-system-riscv64 `-M virt`.
`Console` starts that command on a fresh pty, waits for text with hard deadlines, runs shell
commands between unique markers, and always kills the whole process group when it is done
or fails. Every byte the guest printed is kept in `transcript` so a failure can show it.
"""

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
import tty
from dataclasses import dataclass, field

READY = "STRATA-INIT-READY"  # /init prints this just before the shell starts
MARKER = "STRATA-BOOT-MARKER"  # ... or this, with strata.marker_poweroff, then powers off
PROMPT = re.compile(r"strata:[^\r\n]*# ")  # PS1 of guest/rootfs/skel/etc/profile


class GuestError(Exception):
    """A step failed: what was expected, and what happened instead."""


@dataclass
class Guest:
    kernel: str
    initrd: str = ""
    append: str = "console=ttyS0"
    drive: str = ""  # raw image file
    drive_readonly: bool = False
    net: str = ""  # "" (none) or "user" or "user,hostfwd=tcp::H-:G"
    cpus: int = 1
    memory: str = "256M"
    bios: str = ""  # "" means the built-in SBI (Strata) / `-bios default` (QEMU)
    extra_args: list = field(default_factory=list)

    def command_line(self, vmm, strata="strata", no_reboot=False):
        """argv for `vmm` ("strata" or "qemu"); `strata` is the path of the strata binary."""
        if vmm == "strata":
            argv = [strata, "run", "--kernel", self.kernel, "--append", self.append]
            if self.initrd:
                argv += ["--initrd", self.initrd]
            if self.drive:
                argv += ["--drive", self.drive + (",ro" if self.drive_readonly else "")]
            if self.net:
                argv += ["--net", self.net]
            argv += ["--cpus", str(self.cpus), "--memory", self.memory]
            if self.bios:
                argv += ["--bios", self.bios]
            return argv + self.extra_args
        if vmm == "qemu":
            argv = ["qemu-system-riscv64", "-M", "virt", "-nographic", "-no-user-config", "-nodefaults",
                    "-serial", "mon:stdio", "-bios", self.bios or "default", "-m", self.memory,
                    "-smp", str(self.cpus), "-kernel", self.kernel, "-append", self.append]
            if self.initrd:
                argv += ["-initrd", self.initrd]
            if self.drive:
                ro = ",readonly=on" if self.drive_readonly else ""
                argv += ["-drive", f"file={self.drive},if=none,format=raw,id=d0{ro}",
                         "-device", "virtio-blk-device,drive=d0"]
            if self.net:
                netdev = "user,id=n0" + self.net[len("user"):]
                argv += ["-netdev", netdev, "-device", "virtio-net-device,netdev=n0"]
            if no_reboot:
                argv += ["-no-reboot"]  # Strata ends on a guest reboot; QEMU would restart
            return argv + self.extra_args
        raise ValueError(f"unknown VMM {vmm!r} (strata or qemu)")


class Console:
    """A VM process on a pseudo-terminal. Use as a context manager: the process group is killed on exit."""

    def __init__(self, argv, log=None, echo=False):
        self.argv = argv
        self.transcript = ""
        self.echo = echo  # copy guest output to stdout as it arrives
        self.log = log
        self._seq = 0
        self._pos = 0  # transcript offset already consumed by expect()
        master, slave = pty.openpty()
        tty.setraw(slave)  # bytes pass through untouched until the VMM sets its own mode
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                                     close_fds=True)
        os.close(slave)
        self.master = master
        self.returncode = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    # --- the process ---------------------------------------------------------------------------

    def kill(self):
        """Kill the VM's whole process group (if still there) and close the pty."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if self.master is not None:
            self._drain(0)
            os.close(self.master)
            self.master = None

    def wait_exit(self, timeout):
        """Wait until the VM process exits (reading its output meanwhile); returns its status."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise GuestError(f"the VM did not exit within {timeout:.0f} s")
            self._drain(min(left, 0.1))
        self._drain(0)
        self.returncode = self.proc.returncode
        return self.returncode

    # --- the terminal --------------------------------------------------------------------------

    def _drain(self, timeout):
        """Read what is available (waiting up to `timeout` s for the first bytes). False at EOF."""
        if self.master is None:
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: every slave fd is closed, the VM is gone
            data = b""
        if not data:
            return False
        text = data.decode("utf-8", errors="replace")
        self.transcript += text
        if self.echo:
            sys.stdout.write(text)
            sys.stdout.flush()
        if self.log:
            self.log.write(text)
        return True

    def expect(self, pattern, timeout, what=None):
        """Wait for `pattern` (str or compiled regex) after the last match; returns the match."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.transcript, self._pos)
            if m:
                self._pos = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise GuestError(f"timed out after {timeout:.0f} s waiting for {what or regex.pattern!r}")
            if not self._drain(min(left, 0.2)):  # EOF: the VM closed its terminal
                try:
                    status = self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    status = "unknown: still running"
                raise GuestError(f"the VM exited (status {status}) while waiting for {what or regex.pattern!r}")

    def send(self, text):
        data = text.encode()
        while data:
            _, writable, _ = select.select([], [self.master], [], 10)
            if not writable:
                raise GuestError("the VM stopped reading its console")
            n = os.write(self.master, data)
            data = data[n:]

    # --- the shell -----------------------------------------------------------------------------

    def wait_shell(self, timeout):
        """Wait for /init's ready line and the prompt, then turn off the tty echo of the shell."""
        self.expect(READY, timeout, what=READY)
        self.expect(PROMPT, timeout, what="the shell prompt")
        self.run("stty -echo", timeout=timeout)

    def run(self, command, timeout=30, check=True):
        """Run one shell command line; returns (status, output without \\r). Markers are computed
        by the guest ($((...))), so the echo of the typed line never matches them."""
        self._seq += 1
        n = self._seq
        sep = " " if command.rstrip().endswith("&") else "; "  # `cmd &; echo` is a syntax error
        self.send(f"echo @@B$((0+{n}))@@; {command}{sep}echo @@E$((0+{n}))=$?@@\n")
        # The host side may turn the guest's \r\n into \r\r\n (QEMU keeps OPOST|ONLCR on).
        self.expect(re.compile(rf"@@B{n}@@\r*\n"), timeout, what=f"the start of `{command}`")
        start = self._pos
        m = self.expect(re.compile(rf"@@E{n}=(\d+)@@"), timeout, what=f"the end of `{command}`")
        output = self.transcript[start:m.start()].replace("\r", "")
        status = int(m.group(1))
        if check and status != 0:
            raise GuestError(f"`{command}` exited with status {status}:\n{output}")
        self.expect(PROMPT, timeout, what="the prompt after " + repr(command))
        return status, output

    def output(self, command, timeout=30):
        """Run `command` (which must succeed) and return its output."""
        return self.run(command, timeout)[1]

    def elapsed(self):
        return time.monotonic() - self.started
