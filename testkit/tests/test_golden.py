"""Replay every golden/*.jsonl on the current build and compare behaviour.

With --update-golden a differing golden is re-blessed from the new recording;
each diff is printed in the run's summary, whether output is captured or not
(conftest.py).  LEVITATE_GOLDEN_DIR replaces golden/ (the tests of this file
use it).  No goldens, no tests.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import GOLDEN_UPDATE, REPO_ROOT, Levitate
from testkit.record import bless, replay


def goldens() -> list[Path]:
    return sorted(Path(os.environ.get("LEVITATE_GOLDEN_DIR", REPO_ROOT / "golden")).glob("*.jsonl"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "golden" in metafunc.fixturenames:
        paths = goldens()
        metafunc.parametrize("golden", paths, ids=[p.stem for p in paths])


if goldens():
    @pytest.mark.qemu
    def test_golden(levitate: Levitate, golden: Path, request: pytest.FixtureRequest) -> None:
        r = replay(levitate.root, golden, levitate.abi, levitate.rules, levitate.out_dir)
        assert r.error is None, f"{golden}: replay failed: {r.error}"
        assert r.diff is not None
        if not r.diff.ok and levitate.update_golden:
            report = bless(r.recording.trace, golden.parent, golden.stem, levitate.abi, levitate.rules,
                           replace=True)
            request.node.user_properties.append((GOLDEN_UPDATE, report))
            return
        assert r.diff.ok, f"{golden} changed behaviour:\n{r.diff.render(levitate.abi)}"
