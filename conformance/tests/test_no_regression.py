"""What the committed table (conformance/results.json at HEAD) shows as the
same as Linux, and not blocked by another issue, must stay the same: those
scenarios and sessions run on the current build and are judged again.  Only
those run, so `make test` stays fast and a scenario that hangs Levitate
today costs it nothing; `make conformance` runs them all."""
from __future__ import annotations

import argparse

import pytest

from conformance import compare, interactive, report, scenarios
from conformance.cli import RUNNER, judge_battery, judge_sessions
from conformance.guests import REPO


@pytest.mark.qemu
def test_same_scenarios_stay_same():
    was_same = report.previous_same()
    battery = [s for s in scenarios.load() if s.name in was_same]
    sessions = [s for s in interactive.load() if s.name in was_same]
    if not battery and not sessions:
        pytest.skip("the committed table shows no scenario the same as Linux yet")
    if not RUNNER.is_file():
        pytest.skip("build/conformance/conform-run is not built (make all)")
    args = argparse.Namespace(timeout=20.0, jobs=2)
    verdicts, _, _ = judge_battery(battery, args, REPO)
    verdicts += judge_sessions(sessions, args, REPO)
    regressed = [f"{v.name}: {v.result}: {v.detail}" for v in verdicts if v.result != compare.SAME]
    assert not regressed, "no longer the same as Linux:\n" + "\n".join(regressed)
