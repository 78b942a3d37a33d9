"""The testkit against the real build: valid traces, deterministic behaviour,
and a real change is caught.  Skipped when build/kernel.bin is missing."""
from __future__ import annotations

import pytest

from conftest import Levitate
from testkit.abi import check_trace
from testkit.diff import compare

pytestmark = pytest.mark.qemu
SCENARIO = ["echo hi", "cat /etc/motd", "false", "true", "spawnwait /bin/echo nested"]


def test_recording_is_valid_and_complete(levitate: Levitate) -> None:
    t = levitate.record("valid", SCENARIO)
    assert t.complete, "no halt record: the machine did not power off"
    assert [str(e) for e in check_trace(t, levitate.abi)] == []
    assert any(r.get("input") for r in t.records), "no console input read was recorded"


def test_same_scenario_same_behaviour(levitate: Levitate) -> None:
    first = levitate.behaviour(levitate.record("det0", SCENARIO))
    for i in range(1, 5):  # five recordings in all
        again = levitate.behaviour(levitate.record(f"det{i}", SCENARIO))
        d = compare(first, again, levitate.rules.rewrites)
        assert d.ok, f"run {i} differs:\n{d.render(levitate.abi)}"


def test_changed_output_is_caught(levitate: Levitate) -> None:
    a = levitate.behaviour(levitate.record("hi", ["echo hi"]))
    b = levitate.behaviour(levitate.record("ho", ["echo ho"]))
    d = compare(a, b, levitate.rules.rewrites)
    assert not d.ok
    assert 'data byte 6 changed: "i" → "o"' in "\n".join(d.messages())
