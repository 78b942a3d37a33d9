"""What the committed table (conformance/results.json) shows as the same as
Linux must stay the same: those scenarios run on the current build and are
judged again.  Only those run, so `make test` stays fast and a scenario that
hangs Levitate today costs it nothing; `make conformance` runs them all."""
from __future__ import annotations

import pytest

from conformance import compare, report, scenarios
from conformance.cli import RUNNER, linux_outcomes, run_levitate


@pytest.mark.qemu
def test_same_scenarios_stay_same():
    was_same = report.previous_same()
    battery = [s for s in scenarios.load() if s.name in was_same]
    if not battery:
        pytest.skip("the committed table shows no scenario the same as Linux yet")
    if not RUNNER.is_file():
        pytest.skip("build/conformance/conform-run is not built (make all)")
    _, linux = linux_outcomes(battery)
    rules = compare.load_rules()
    outcomes = run_levitate([s.name for s in battery], timeout=20.0, jobs=2)
    verdicts = [compare.judge(linux[o.name], o, rules) for o in outcomes]
    regressed = [f"{v.name}: {v.result}: {v.detail}" for v in verdicts if v.result != compare.SAME]
    assert not regressed, "no longer the same as Linux:\n" + "\n".join(regressed)
