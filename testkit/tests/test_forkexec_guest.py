"""An unmodified static musl program that uses fork(), execve() and waitpid()
(userspace/examples/forkexec.c) runs on Levitate as it runs on Linux.

The guest run must succeed and print what POSIX promises; the same binary run
natively on the host is the oracle for the exact lines (differential testing:
the program prints no pids, so the two outputs must be equal line for line).
Skipped when build/kernel.bin or the built program is missing.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import proctree
from conftest import REPO_ROOT

QEMU = REPO_ROOT / "scripts" / "levitate-qemu"
PROGRAM = REPO_ROOT / "build" / "rootfs" / "bin" / "forkexec"
PREFIX = "forkexec: "
EXPECTED = [
    "forkexec: parent starting",
    'forkexec: child: argc 4, argv[3] "hello world", FORKEXEC=yes, parent matches',
    "forkexec: exec'ed child: exited with status 7",
    "forkexec: execve /nonexistent/program: No such file or directory",
    "forkexec: failed exec: exited with status 127",
    "forkexec: forked child: exited with status 3",
    "forkexec: parent's value is still 1",
    "forkexec: ok",
]


def program_lines(output: str) -> list[str]:
    """The program's own lines of a console transcript (boot messages dropped)."""
    return [line for line in output.replace("\r", "").split("\n") if line.startswith(PREFIX)]


def require_build() -> None:
    """Skip unless the kernel and the example program are built."""
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    if not PROGRAM.exists():
        pytest.skip(f"{PROGRAM} is missing: build Levitate first (make)")


@pytest.fixture(scope="module")
def guest_run() -> subprocess.CompletedProcess[str]:
    """/bin/forkexec as the guest's only program; the machine powers off after it."""
    require_build()
    return proctree.run([str(QEMU), "--batch", "--", "/bin/forkexec"], capture_output=True,
                          text=True, errors="replace", timeout=120, cwd=REPO_ROOT)


@pytest.mark.qemu
def test_forkexec_exits_zero_in_guest(guest_run: subprocess.CompletedProcess[str]) -> None:
    assert guest_run.returncode == 0, guest_run.stdout[-2000:]


@pytest.mark.qemu
def test_forkexec_prints_what_posix_promises(guest_run: subprocess.CompletedProcess[str]) -> None:
    assert program_lines(guest_run.stdout) == EXPECTED, guest_run.stdout[-2000:]


@pytest.mark.qemu
def test_forkexec_guest_output_equals_host_output(
        guest_run: subprocess.CompletedProcess[str]) -> None:
    host = subprocess.run([str(PROGRAM)], capture_output=True, text=True, timeout=30)
    assert host.returncode == 0, host.stdout
    assert program_lines(guest_run.stdout) == program_lines(host.stdout)


def test_program_lines_drops_console_noise() -> None:
    transcript = "Levitate booting\r\nforkexec: a\r\ninit: done\nforkexec: b\n"
    assert program_lines(transcript) == ["forkexec: a", "forkexec: b"]
