"""Boot Linux 6.1 (Debian's kernel, as `make bench` does) in the same QEMU as
Levitate, with Levitate's initramfs plus strace, and bring strace's output home.

The pieces are shared with the conformance battery (conformance/guests.py:
the kernel the bench fetches, a Linux initramfs written by the bench's cpio
writer) and the one QEMU launcher, scripts/levitate-qemu; this module only
adds what the oracle needs on top: strace and the shared libraries it loads (Debian
packages, through scripts/fetch-deb), and the oracle's /init
(testkit/linux/oracle_init.c, compiled with musl-gcc), which runs each
scenario under strace on Levitate's own /bin/init and prints strace's output
between marker lines.  Several scenarios share one boot (a boot is ~10 s of
TCG); each one's console input is typed after its ready marker, then ^D.
"""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EOT = b"\x04"           # ^D: the terminal's end of input (Levitate's console returns 0 when out of input)
LINUX_APPEND = "console=ttyS0 quiet panic=-1"     # the bench's Linux command line
STRACE_PACKAGES = ("strace", "libunwind8", "liblzma5", "libc6")
LIB_DIR = "lib/x86_64-linux-gnu"
LOADER = "lib64/ld-linux-x86-64.so.2"
MUSL_CFLAGS = ["-static", "-O2", "-std=gnu11", "-Wall", "-Wextra", "-Werror"]


class LinuxBootError(Exception):
    """Linux could not be prepared or booted; the message says what is missing."""


def _guests(root: Path) -> Any:
    """conformance/guests.py, the Linux guest pieces the battery and the oracle share."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from conformance import guests
    return guests


def linux_kernel(root: Path) -> Path:
    """Debian's vmlinuz, fetched into .bench-cache/ as the bench does."""
    guests = _guests(root)
    try:
        return Path(guests.linux_kernel(root))
    except guests.GuestError as e:
        raise LinuxBootError(str(e)) from None


def kernel_name(vmlinuz: Path) -> str:
    """"linux 6.1.0-57-amd64" from .../vmlinuz-6.1.0-57-amd64."""
    return "linux " + vmlinuz.name.removeprefix("vmlinuz-")


def fetch_packages(root: Path) -> list[Path]:
    """The unpacked folders of strace and its libraries' packages."""
    out = []
    for pkg in STRACE_PACKAGES:
        got = subprocess.run([str(root / "scripts" / "fetch-deb"), pkg], capture_output=True, text=True)
        if got.returncode != 0:
            raise LinuxBootError(f"cannot fetch {pkg}: {got.stderr.strip()}")
        out.append(Path(got.stdout.strip()))
    return out


def _needed(elf: Path) -> list[str]:
    """The DT_NEEDED names of an ELF file (readelf -d)."""
    out = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _find_lib(name: str, trees: list[Path]) -> Path:
    for tree in trees:
        for d in ("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu"):
            p = tree / d / name
            if p.exists():
                return p.resolve()
    raise LinuxBootError(f"strace needs {name}, found in none of {', '.join(t.name for t in trees)}")


def strace_files(trees: list[Path]) -> dict[str, Path]:
    """initramfs path -> host file: strace, every library it needs (transitively), the loader."""
    strace = trees[0] / "usr" / "bin" / "strace"
    files = {"usr/bin/strace": strace, LOADER: _find_lib("ld-linux-x86-64.so.2", trees)}
    todo = [strace]
    while todo:
        for name in _needed(todo.pop()):
            if f"{LIB_DIR}/{name}" not in files:
                lib = _find_lib(name, trees)
                files[f"{LIB_DIR}/{name}"] = lib
                todo.append(lib)
    return files


def build_init(root: Path, out_dir: Path) -> Path:
    """testkit/linux/oracle_init.c compiled static with musl-gcc into out_dir."""
    out = out_dir / "oracle_init"
    src = root / "testkit" / "linux" / "oracle_init.c"
    out_dir.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(["musl-gcc", *MUSL_CFLAGS, "-o", str(out), str(src)], capture_output=True, text=True)
    if made.returncode != 0:
        raise LinuxBootError(f"cannot build {src}: {made.stderr.strip()[-300:]}")
    return out


def scenario_line(run: list[str] | None) -> str:
    """A line of /oracle/scenarios: "shell", or "run" and init's words."""
    return "shell" if not run else "run " + " ".join(run)


def initramfs(root: Path, rootfs: Path, strace_args: list[str], runs: list[list[str] | None],
              out: Path) -> Path:
    """Levitate's initramfs tree plus /init, /oracle/strace.args, /oracle/scenarios
    (one line per run), strace and its libraries (and /dev/console, /proc...,
    conformance/guests.py's linux_image), as a newc cpio at out."""
    guests = _guests(root)
    files = [guests.File(str(p.relative_to(rootfs)), p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
             for p in sorted(rootfs.rglob("*")) if p.is_file()]
    files.append(guests.File("init", build_init(root, out.parent).read_bytes(), 0o755))
    files += [guests.File(rel, host.read_bytes(), 0o755)
              for rel, host in sorted(strace_files(fetch_packages(root)).items())]
    files.append(guests.File("oracle/strace.args", "".join(a + "\n" for a in strace_args).encode()))
    files.append(guests.File("oracle/scenarios", "".join(scenario_line(r) + "\n" for r in runs).encode()))
    return Path(guests.linux_image(files, out))


@dataclass
class ScenarioOutput:
    """One scenario of a boot: what it printed, strace's wait status, strace's output."""
    console: bytes
    status: int
    strace: str


@dataclass
class LinuxRun:
    """What a Linux boot gave: the launcher's status, the console, each scenario's output
    (fewer than asked when the boot ended early)."""
    status: int
    timed_out: bool
    console: bytes
    scenarios: list[ScenarioOutput]


def run_linux(root: Path, vmlinuz: Path, cpio: Path, inputs: list[bytes], timeout: float) -> LinuxRun:
    """Boot Linux through scripts/levitate-qemu (same QEMU options as Levitate),
    type inputs[k] and ^D once scenario k is ready, and collect the console."""
    cmd = [str(root / "scripts" / "levitate-qemu"), "--batch", "--kernel", str(vmlinuz),
           "--initrd", str(cpio), "--append", LINUX_APPEND]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    console = bytearray()
    reader = threading.Thread(target=_read_all, args=(proc, console), daemon=True)
    reader.start()
    timed_out = not _wait_and_type(proc, console, inputs, time.monotonic() + timeout)
    reader.join(timeout=5)
    return LinuxRun(1 if timed_out else proc.returncode, timed_out, bytes(console),
                    split_console(bytes(console)))


def _read_all(proc: subprocess.Popen[bytes], into: bytearray) -> None:
    assert proc.stdout is not None
    for chunk in iter(lambda: proc.stdout.read1(65536), b""):     # type: ignore[union-attr]
        into += chunk


def _wait_and_type(proc: subprocess.Popen[bytes], console: bytearray, inputs: list[bytes],
                   deadline: float) -> bool:
    """Type each scenario's input after its ready marker; wait for QEMU's end.
    False on timeout (QEMU killed)."""
    k = 0
    while proc.poll() is None:
        if time.monotonic() > deadline:
            _kill(proc)
            return False
        while k < len(inputs) and b"@@ORACLE-READY %d@@" % k in console:
            try:
                assert proc.stdin is not None
                proc.stdin.write(inputs[k] + EOT)
                proc.stdin.flush()
            except OSError:
                pass
            k += 1
        time.sleep(0.05)
    return True


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the launcher's process group (its QEMU included)."""
    for sig in (15, 9):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=5)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


_BLOCK = re.compile(rb"@@ORACLE-READY (\d+)@@\r?\n(.*?)\r?\n@@ORACLE-STRACE-BEGIN \1 (-?\d+)@@\r?\n"
                    rb"(.*?)@@ORACLE-STRACE-END \1@@", re.S)


def split_console(console: bytes) -> list[ScenarioOutput]:
    """Each finished scenario's console text, status and strace output (serial CRs removed)."""
    return [ScenarioOutput(m.group(2), int(m.group(3)),
                           m.group(4).replace(b"\r\n", b"\n").decode("latin-1"))
            for m in _BLOCK.finditer(console)]
