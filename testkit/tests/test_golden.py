"""Replay every golden/*.jsonl on the current build and compare behaviour.

With --update-golden a differing golden is re-blessed from the new recording
(the diff is printed).  No goldens, no tests.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO_ROOT, Levitate
from testkit.record import bless, replay


def goldens() -> list[Path]:
    return sorted((REPO_ROOT / "golden").glob("*.jsonl"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "golden" in metafunc.fixturenames:
        paths = goldens()
        metafunc.parametrize("golden", paths, ids=[p.stem for p in paths])


if goldens():
    @pytest.mark.qemu
    def test_golden(levitate: Levitate, golden: Path) -> None:
        r = replay(levitate.root, golden, levitate.abi, levitate.rules, levitate.out_dir)
        assert r.error is None, f"{golden}: replay failed: {r.error}"
        assert r.diff is not None
        if not r.diff.ok and levitate.update_golden:
            print(bless(r.recording.trace, golden.parent, golden.stem, levitate.abi, levitate.rules))
            return
        assert r.diff.ok, f"{golden} changed behaviour:\n{r.diff.render(levitate.abi)}"
