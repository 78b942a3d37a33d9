"""The file system's in-guest suite (userspace/levbox/suite_test_fs.c) in QEMU.

One boot runs every test of /usr/bin/suite_test_fs through test_runner, each
in its own process; the verdict is test_runner's summary and exit status.
The memory-return figures the suite prints are checked here too, so a run
that gave back fewer bytes than it took fails even if the test's own check
were weakened.
"""
from __future__ import annotations

import re

import pytest

from guest_suite import run_guest_suite


@pytest.mark.qemu
def test_fs_suite_passes() -> None:
    out = run_guest_suite("suite_test_fs", "/usr/bin/suite_test_fs", at_least=26, timeout=300)
    figures = re.search(r"^memory_returns: free (\d+), with a (\d+)-byte file (\d+) "
                        r"\(-(\d+)\), after delete (\d+)$", out, re.M)
    assert figures, out[-3000:]
    before, size, _, taken, after = (int(g) for g in figures.groups())
    assert taken >= size and after == before
