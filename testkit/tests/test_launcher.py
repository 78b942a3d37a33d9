"""scripts/levitate-qemu never calls a failure a success: the program's status
comes through whole, and every other end (signal, panic, reset, QEMU error,
timeout) has its own status and one line saying what happened (README.md,
"Exit statuses").  Also `make run INIT=...` and `make debug`'s gdb stub."""
from __future__ import annotations

import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

import proctree
from conftest import REPO_ROOT, Levitate
from testkit import status

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")
pytestmark = pytest.mark.qemu


def launch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return proctree.run([QEMU, "--batch", *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=timeout)


def launcher_lines(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("levitate-qemu: ")]


@pytest.mark.parametrize("code", [0, 1, 124, 125, 126, 200, 255])
def test_program_exit_code_comes_through_whole(levitate: Levitate, code: int) -> None:
    run = launch("--", "/bin/status", str(code))
    assert run.returncode == code, run.stdout[-500:] + run.stderr
    assert launcher_lines(run) == []


def test_death_by_signal_is_128_plus_n_with_a_line_naming_it(levitate: Levitate) -> None:
    run = launch("--", "/bin/segv")
    assert run.returncode == 128 + 11, run.stdout[-500:] + run.stderr
    assert "init: /bin/segv killed by signal 11 (SIGSEGV)" in run.stdout


def test_kernel_panic_has_its_own_status(levitate: Levitate, tmp_path: Path) -> None:
    """An initramfs without /bin/init: the kernel panics (it cannot start init)."""
    empty = tmp_path / "empty.cpio"
    empty.write_bytes(b"")
    run = launch("--initrd", str(empty))
    assert run.returncode == status.PANIC, run.stdout[-500:] + run.stderr
    assert launcher_lines(run) == ["levitate-qemu: kernel panic (the console says why)"]


LOAD, HEADER = 0x100000, 32


def multiboot_kernel(path: Path, code: bytes) -> Path:
    """A Multiboot kernel (a.out kludge) running `code` (32-bit) at LOAD + HEADER."""
    end = LOAD + HEADER + len(code)
    magic, flags = 0x1BADB002, 0x00010000
    path.write_bytes(struct.pack("<8I", magic, flags, -(magic + flags) & 0xFFFFFFFF,
                                 LOAD, LOAD, end, end, LOAD + HEADER) + code)
    return path


def triple_fault_kernel(path: Path) -> Path:
    """lidt of an empty IDT, then int3: no handler, no double-fault handler, reset."""
    idtr = LOAD + HEADER + 8
    return multiboot_kernel(path, b"\x0f\x01\x1d" + struct.pack("<I", idtr) + b"\xcc" + b"\0" * 6)


def test_acpi_power_off_is_a_deliberate_end(levitate: Levitate, tmp_path: Path) -> None:
    """A guest that powers off through ACPI (the bench's Linux peer) ends with 0:
    mov dx, 0x604; mov ax, 0x2000 (SLP_EN); out dx, ax; then hlt."""
    kernel = multiboot_kernel(tmp_path / "acpi.bin", b"\x66\xba\x04\x06\x66\xb8\x00\x20\x66\xef\xf4\xeb\xfd")
    run = launch("--kernel", str(kernel), "--timeout", "30")
    assert run.returncode == 0 and launcher_lines(run) == [], run.stderr


def test_triple_fault_is_a_reset_not_a_success(levitate: Levitate, tmp_path: Path) -> None:
    run = launch("--kernel", str(triple_fault_kernel(tmp_path / "tf.bin")))
    assert run.returncode == status.RESET, run.stderr
    assert launcher_lines(run) == ["levitate-qemu: guest reset: triple fault "
                                   "(QEMU stops on a reset: -no-reboot)"]


@pytest.mark.parametrize("kernel", ["/no/such/kernel", "not-a-kernel"])
def test_qemu_that_cannot_start_is_a_failure(levitate: Levitate, tmp_path: Path, kernel: str) -> None:
    if kernel == "not-a-kernel":
        (tmp_path / kernel).write_text("plain text, no Multiboot header\n")
        kernel = str(tmp_path / kernel)
    run = launch("--kernel", kernel)
    assert run.returncode == status.QEMU_FAILED, run.stderr
    assert len(launcher_lines(run)) == 1, run.stderr


def test_timeout_is_a_failure_with_its_own_status(levitate: Levitate) -> None:
    """The shell with no input waits for ever; --timeout ends it."""
    start = time.monotonic()
    run = launch("--timeout", "2")
    assert run.returncode == status.TIMEOUT, run.stderr
    assert launcher_lines(run) == ["levitate-qemu: timed out after 2s: QEMU stopped"]
    assert time.monotonic() - start < 20


def test_bad_launcher_option_is_a_usage_error(levitate: Levitate) -> None:
    for args in (["--bogus"], ["--timeout", "soon"], ["--kernel"]):
        run = launch(*args)
        assert run.returncode == status.USAGE, (args, run.stderr)
        assert len(launcher_lines(run)) == 1, run.stderr


@pytest.mark.parametrize("line, output", [
    ("/bin/echo it's", "it's"),
    ('/bin/echo "a  b" c', "a  b c"),
    ("/bin/echo 'x \"y\"'  \\z", 'x "y" \\z'),
])
def test_init_line_reaches_the_program_as_typed(levitate: Levitate, line: str, output: str) -> None:
    run = launch("--init-line", line)
    assert run.returncode == 0, run.stderr
    assert run.stdout.replace("\r\n", "\n").endswith(output + "\n"), run.stdout[-300:]


def test_make_run_prints_the_status_and_passes_init_as_typed(levitate: Levitate) -> None:
    """GNU make exits 2 on any failed recipe, so `make run` prints the program's
    status (README: `make run`) and the words arrive as typed."""
    run = subprocess.run(["make", "-s", "--no-print-directory", "run", "INIT=/bin/status 7"],
                         cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         errors="replace", timeout=120)
    assert run.returncode == 2 and "levitate: exit status 7" in run.stdout, run.stdout + run.stderr
    run = subprocess.run(["make", "-s", "--no-print-directory", "run", "INIT=/bin/echo \"a  b\" it's"],
                         cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         errors="replace", timeout=120)
    out = run.stdout.replace("\r\n", "\n")
    assert run.returncode == 0 and "a  b it's\nlevitate: exit status 0\n" in out, out + run.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening_addresses(port: int) -> list[str]:
    """Local addresses of TCP sockets listening on port (from /proc/net/tcp*)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":
                found.append(addr)
    return found


def test_gdb_stub_listens_on_localhost_only(levitate: Levitate) -> None:
    port = free_port()
    proc = subprocess.Popen([QEMU, "--batch", "--gdb", "--timeout", "30"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={"PATH": "/usr/bin:/bin", "GDB_PORT": str(port)}, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not listening_addresses(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert listening_addresses(port) == ["0100007F"], "gdb stub not on 127.0.0.1 only"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_readme_status_table_matches_the_launcher() -> None:
    """README.md's "Exit statuses" table lists exactly the launcher's own statuses."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Exit statuses", 1)[1].split("\n## ", 1)[0]
    rows = {int(m.group(1)) for m in re.finditer(r"^\| `(\d+)` \|", section, re.M)}
    assert rows == set(status.LAUNCHER_STATUSES), rows
    launcher = Path(QEMU).read_text()
    for name, value in (("ST_TIMEOUT", status.TIMEOUT), ("ST_PANIC", status.PANIC),
                        ("ST_RESET", status.RESET), ("ST_QEMU", status.QEMU_FAILED)):
        assert f"{name}={value}" in launcher, name


def test_make_run_extra_never_reaches_the_test_image(levitate: Levitate, tmp_path: Path) -> None:
    """EXTRA's files boot in `make run`'s own image; build/initramfs.cpio, which
    record, replay and the tests boot, stays byte for byte what it was."""
    image = REPO_ROOT / "build" / "initramfs.cpio"
    before = image.read_bytes()
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "extra.txt").write_text("only in make run\n")
    run = subprocess.run(["make", "-s", "--no-print-directory", "run", f"EXTRA={tmp_path}",
                          "INIT=/bin/cat /etc/extra.txt"], cwd=REPO_ROOT, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, errors="replace", timeout=120)
    assert run.returncode == 0 and "only in make run" in run.stdout, run.stdout + run.stderr
    assert image.read_bytes() == before, "EXTRA's files reached build/initramfs.cpio"


def test_update_golden_shows_each_diff_with_output_captured(levitate: Levitate, tmp_path: Path) -> None:
    """A golden whose echo said something else: --update-golden re-blesses it and the
    diff is in pytest's output although the test's own output is captured."""
    golden = tmp_path / "run_program.fork.jsonl"
    text = (REPO_ROOT / "golden" / "run_program.fork.jsonl").read_text()
    golden.write_text(text.replace("run by init\\n", "run by INIT\\n"))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(REPO_ROOT / "testkit" / "tests" / "test_golden.py"), "--update-golden"],
                         cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "LEVITATE_GOLDEN_DIR": str(tmp_path)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"replaced {golden}: behaviour changed" in run.stdout, run.stdout
    assert 'data byte 7 changed: "I" → "i"' in run.stdout, run.stdout
    assert golden.read_text() != text.replace("run by init\\n", "run by INIT\\n")
