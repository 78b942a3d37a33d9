"""The file system's in-guest suite (userspace/levbox/suite_test_fs.c) in QEMU.

One boot runs every test of /usr/bin/suite_test_fs through test_runner, each
in its own process; the verdict is test_runner's summary and exit status.
The memory-return figures the suite prints are checked here too, so a run
that gave back fewer bytes than it took fails even if the test's own check
were weakened.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import REPO_ROOT

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")


@pytest.mark.qemu
def test_fs_suite_passes() -> None:
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    run = subprocess.run([QEMU, "--batch", "--", "/bin/test_runner", "/usr/bin/suite_test_fs"],
                         capture_output=True, text=True, errors="replace", timeout=300)
    out = run.stdout.replace("\r", "")
    summary = re.search(r"^suite_test_fs: (\d+) passed, (\d+) failed$", out, re.M)
    assert summary, out[-3000:]
    assert int(summary.group(1)) >= 26 and summary.group(2) == "0", out[-3000:]
    assert run.returncode == 0
    figures = re.search(r"^memory_returns: free (\d+), with a (\d+)-byte file (\d+) "
                        r"\(-(\d+)\), after delete (\d+)$", out, re.M)
    assert figures, out[-3000:]
    before, size, _, taken, after = (int(g) for g in figures.groups())
    assert taken >= size and after == before
