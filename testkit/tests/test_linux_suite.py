"""suite_test_linux in QEMU: the Linux calls real programs need (userspace/levbox/linux_*.c).

The suite lives in /usr/bin, so adding tests to it changes no golden trace;
its portable tests also run natively on the host (userspace/tests).
"""
from __future__ import annotations

import pytest

from guest_suite import run_guest_suite


@pytest.mark.qemu
def test_linux_suite_passes() -> None:
    run_guest_suite("suite_test_linux", "/usr/bin/suite_test_linux", at_least=8, timeout=120)
