"""Replay every golden/*.jsonl on the current build and compare behaviour.

A spawn-era golden and its fork-era twin (NAME.jsonl, NAME.fork.jsonl) are one
scenario: they run on one xdist worker, which boots that scenario once and judges
each golden against the same recording (one boot per scenario, not per golden;
the in-guest test_suite alone is ~2.5 s of QEMU).  The recording is shared only
between goldens whose scenario (console input and program, scenario_of) is the
same; --update-golden records each golden on its own, so a re-blessed golden
keeps its own description.

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
from testkit.record import Recording, Replay, bless, judge_recording, record, replay, scenario_of
from testkit.trace import load

# This worker's recordings: (console input, program) -> the recording of that scenario.
_recordings: dict[tuple[bytes, tuple[str, ...] | None], Recording] = {}


def goldens() -> list[Path]:
    return sorted(Path(os.environ.get("LEVITATE_GOLDEN_DIR", REPO_ROOT / "golden")).glob("*.jsonl"))


def twin_group(path: Path) -> str:
    """The xdist group of a golden: its name without the fork era's ".fork"."""
    return "golden-" + path.stem.removesuffix(".fork")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "golden" in metafunc.fixturenames:
        paths = goldens()
        stems = [p.stem for p in paths]
        params = [pytest.param(p, id=p.stem, marks=[pytest.mark.xdist_group(twin_group(p))]
                               if p.stem + ".fork" in stems or p.stem.endswith(".fork") else [])
                  for p in paths]
        metafunc.parametrize("golden", params)


def shared_replay(levitate: Levitate, golden_path: Path) -> Replay:
    """replay(), but the scenario is booted once per worker: a golden whose scenario was
    recorded already is judged against that recording."""
    golden = load(golden_path)
    golden.require_complete()
    sc = scenario_of(golden, "replay-" + golden_path.stem)
    key = (sc.input, tuple(sc.run) if sc.run is not None else None)
    if key not in _recordings:
        _recordings[key] = record(levitate.root, sc, levitate.out_dir)
    return judge_recording(golden_path, golden, _recordings[key], levitate.abi, levitate.rules)


if goldens():
    @pytest.mark.qemu
    def test_golden(levitate: Levitate, golden: Path, request: pytest.FixtureRequest) -> None:
        if levitate.update_golden:
            r = replay(levitate.root, golden, levitate.abi, levitate.rules, levitate.out_dir)
        else:
            r = shared_replay(levitate, golden)
        assert r.error is None, f"{golden}: replay failed: {r.error}"
        assert r.diff is not None
        if not r.diff.ok and levitate.update_golden:
            report = bless(r.recording.trace, golden.parent, golden.stem, levitate.abi, levitate.rules,
                           replace=True)
            request.node.user_properties.append((GOLDEN_UPDATE, report))
            return
        assert r.diff.ok, f"{golden} changed behaviour:\n{r.diff.render(levitate.abi)}"
