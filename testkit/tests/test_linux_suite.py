"""suite_test_linux in QEMU: the Linux calls real programs need (userspace/levbox/linux_*.c).

The suite lives in /usr/bin, so adding tests to it changes no golden trace;
its portable tests also run natively on the host (userspace/tests).
"""
from __future__ import annotations

import re

import pexpect
import pytest

from conftest import REPO_ROOT

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")


@pytest.mark.qemu
def test_linux_suite_passes() -> None:
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    child = pexpect.spawn(QEMU, ["--batch", "--", "/bin/test_runner", "/usr/bin/suite_test_linux"],
                          encoding="latin-1", timeout=120)
    child.expect(pexpect.EOF)
    child.close()
    out = child.before.replace("\r", "")
    summary = re.search(r"^suite_test_linux: (\d+) passed, (\d+) failed$", out, re.M)
    assert summary, out[-2000:]
    assert int(summary.group(1)) >= 8 and summary.group(2) == "0", out[-2000:]
    assert child.exitstatus == 0
