"""Run one in-guest test suite through test_runner in QEMU and judge it.

test_runner runs each test of a suite program in its own process and ends
with "SUITE: N passed, M failed" and its exit status; every suite test in
this folder (core, fs, linux, signal) judges that the same way.
"""
from __future__ import annotations

import re

import pytest

import proctree
from conftest import REPO_ROOT

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")


def run_guest_suite(suite: str, program: str | None, at_least: int, timeout: float) -> str:
    """Boot test_runner on program (None: its default suite, suite_test_core)
    and assert that the summary of suite names at least `at_least` passed
    tests, none failed, and the run exited 0.  Returns the console output."""
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    argv = [QEMU, "--batch", "--", "/bin/test_runner", *([program] if program else [])]
    run = proctree.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout)
    out = run.stdout.replace("\r", "")
    summary = re.search(rf"^{suite}: (\d+) passed, (\d+) failed$", out, re.M)
    assert summary, out[-3000:]
    assert int(summary.group(1)) >= at_least and summary.group(2) == "0", out[-3000:]
    assert run.returncode == 0, out[-3000:]
    return out
