"""Levitate boots the same under both firmwares scripts/levitate-qemu knows:
qboot (the default when installed: ~150 ms less per boot under TCG) and
QEMU's own SeaBIOS (FIRMWARE=default).  qboot leaves the local APIC's LINT0
masked and assigns no PCI BAR: under qboot, before the kernel set LINT0
itself (kernel/arch/x86_64/irq.c), no interrupt arrived and a sleep never
ended.  The trace must arrive too; that it came through the shared buffer
(the BAR the kernel places itself, kernel/arch/x86_64/pci.c) and not the
slow debug port shows in make bench's traced syscall cost, not here.
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


@pytest.mark.qemu
@pytest.mark.parametrize("firmware", FIRMWARES)
def test_clock_and_trace_buffer_work_under_each_firmware(firmware: str, busybox_initrd: Path,
                                                         tmp_path: Path) -> None:
    if firmware == "qboot" and not Path("/usr/share/qemu/qboot.rom").exists():
        pytest.skip("qboot is not installed")
    env = dict(os.environ, FIRMWARE="" if firmware == "qboot" else firmware)
    trace = tmp_path / "trace.jsonl"
    got = subprocess.run([QEMU, "--batch", "--timeout", "30", "--initrd", str(busybox_initrd),
                          "--trace", str(trace), "--", "/bin/busybox", "sleep", "0.2"],
                         env=env, capture_output=True, text=True)
    assert got.returncode == 0, got.stderr[-400:]
    text = trace.read_text()
    assert '"name":"nanosleep"' in text or '"name":"clock_nanosleep"' in text
