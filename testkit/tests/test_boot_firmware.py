"""Levitate boots the same under both firmwares scripts/levitate-qemu knows:
qboot (the default when installed: ~150 ms less per boot under TCG) and
QEMU's own SeaBIOS (FIRMWARE=default).  qboot leaves the local APIC's LINT0
masked and assigns no PCI BAR.  Before the kernel set LINT0 itself
(kernel/arch/x86_64/irq.c) no interrupt arrived under qboot and a sleep never
ended; before it placed the trace buffer's BAR itself (kernel/arch/x86_64/pci.c)
the trace went through the debug port, ~20x slower per record.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from test_busybox import busybox_initrd  # noqa: F401 (the fixture: the image plus BusyBox)

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")
FIRMWARES = ["qboot", "default"]


def traced_boot(firmware: str, initrd: Path, trace: Path, buffer: str,
                *program: str) -> subprocess.CompletedProcess[str]:
    """Boot program traced under firmware, the shared buffer sized buffer."""
    if firmware == "qboot" and not Path("/usr/share/qemu/qboot.rom").exists():
        pytest.skip("qboot is not installed")
    env = dict(os.environ, FIRMWARE="" if firmware == "qboot" else firmware,
               TRACE_BUFFER=buffer)
    return subprocess.run([QEMU, "--batch", "--timeout", "60", "--initrd", str(initrd),
                           "--trace", str(trace), "--", *program],
                          env=env, capture_output=True, text=True)


@pytest.mark.qemu
@pytest.mark.parametrize("firmware", FIRMWARES)
def test_the_clock_ticks_under_each_firmware(firmware: str, busybox_initrd: Path,
                                             tmp_path: Path) -> None:
    trace = tmp_path / "trace.jsonl"
    got = traced_boot(firmware, busybox_initrd, trace, "64M", "/bin/busybox", "sleep", "0.2")
    assert got.returncode == 0, got.stderr[-400:]
    text = trace.read_text()
    assert '"name":"nanosleep"' in text or '"name":"clock_nanosleep"' in text


@pytest.mark.qemu
@pytest.mark.parametrize("firmware", FIRMWARES)
def test_the_trace_uses_the_shared_buffer_under_each_firmware(firmware: str,
                                                              busybox_initrd: Path,
                                                              tmp_path: Path) -> None:
    """20,000 traced calls overflow a 1 MiB buffer: only a kernel that found
    the shared buffer fills it (the launcher says so); through the debug
    port nothing is ever full."""
    got = traced_boot(firmware, busybox_initrd, tmp_path / "trace.jsonl", "1M",
                      "/bin/busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=10000")
    assert got.returncode == 0, got.stderr[-400:]
    assert "trace buffer full" in got.stderr
