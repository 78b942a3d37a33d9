"""The comparison and its declared rules: it fails on a real difference, and
a rule hides exactly what it declares and nothing else."""
from __future__ import annotations

import pytest

from conformance import compare, results, scenarios
from conformance.guestrun import Outcome

BATTERY = {s.name: s for s in scenarios.load()}
RULES = compare.load_rules()
LINUX = results.load(results.LINUX_RESULTS)[1]


def linux(name: str) -> Outcome:
    return results.outcome_from_record(name, LINUX[name])


def levitate_like(o: Outcome, **change: object) -> Outcome:
    """A Levitate outcome equal to o but for the changed fields."""
    fields = {"stdout": o.stdout, "stderr": o.stderr, "status": o.status, "failure": None}
    fields.update(change)
    return Outcome(o.name, **fields)  # type: ignore[arg-type]


def test_identical_outcome_is_same():
    o = linux("applet-seq")
    assert compare.judge(o, levitate_like(o), RULES).result == compare.SAME


@pytest.mark.parametrize("name", ["applet-seq", "ash-heredoc", "applet-md5sum"])
def test_every_changed_byte_differs(name):
    """Flipping any one byte of stdout, dropping or adding one, is a difference."""
    o = linux(name)
    for i in range(len(o.stdout)):
        flipped = o.stdout[:i] + bytes([o.stdout[i] ^ 1]) + o.stdout[i + 1:]
        assert compare.judge(o, levitate_like(o, stdout=flipped), RULES).result == compare.DIFFERS
    for mutated in (o.stdout[:-1], o.stdout + b"\n", b""):
        assert compare.judge(o, levitate_like(o, stdout=mutated), RULES).result == compare.DIFFERS


def test_changed_status_differs():
    o = linux("ash-exit-status")
    assert o.status == "exit 42"
    for status in ("exit 0", "exit 41", "signal 11", None):
        v = compare.judge(o, levitate_like(o, status=status), RULES)
        assert v.result == compare.DIFFERS and "status" in v.detail


def test_stderr_alone_is_not_compared():
    """Documented choice: stderr is read, not judged."""
    o = linux("ash-set-u")
    assert o.stderr
    assert compare.judge(o, levitate_like(o, stderr=b"other words\n"), RULES).result == compare.SAME


def test_no_result_fails():
    o = linux("applet-echo")
    hung = levitate_like(o, failure="hung: no result within 30 s")
    assert compare.judge(o, hung, RULES).result == compare.FAILS


def test_rules_are_well_formed():
    for r in RULES:
        assert r.reason.strip()
        for name in r.scenarios:
            assert name in BATTERY, f"rule {r.id} names unknown scenario {name}"


def test_bad_rule_is_refused():
    bad = {"id": "x", "scenarios": ["applet-uname"], "token": "<X>", "reason": "r",
           "linux": "^Linux$", "levitate": "^Levitate$",
           "examples": {"linux": "Linux", "levitate": "FreeBSD"}}
    with pytest.raises(ValueError, match="example"):
        compare.parse_rules([bad])
    with pytest.raises(ValueError, match="reason"):
        compare.parse_rules([{**bad, "reason": " ", "examples": {"linux": "Linux",
                                                                 "levitate": "Levitate"}}])


def _levitate_version(rule: compare.Rule, stdout: bytes) -> bytes:
    """stdout as Levitate would print it: each Linux match replaced by the
    rule's Levitate example."""
    return rule.patterns["linux"].sub(rule.examples["levitate"].replace(b"\\", b"\\\\"), stdout)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_hides_only_what_it_declares(rule):
    """For each of the rule's scenarios: Linux's data matches the rule; the
    Levitate form built from the examples is judged the same; and every
    one-byte change outside what the rule matches is still a difference."""
    for name in rule.scenarios:
        o = linux(name)
        assert rule.patterns["linux"].search(o.stdout), f"{rule.id} matches nothing in {name}"
        lev = _levitate_version(rule, o.stdout)
        assert lev != o.stdout
        assert compare.judge(o, levitate_like(o, stdout=lev), RULES).result == compare.SAME
        hidden = set()
        for m in rule.patterns["levitate"].finditer(lev):
            hidden.update(range(m.start(), m.end()))
        for i in range(len(lev)):
            if i in hidden:
                continue
            mutated = lev[:i] + bytes([lev[i] ^ 1]) + lev[i + 1:]
            v = compare.judge(o, levitate_like(o, stdout=mutated), RULES)
            assert v.result == compare.DIFFERS, f"{rule.id} hid a change at byte {i} of {name}"
        # the rule does not apply to a scenario it does not name
        other = linux("applet-seq")
        other_lev = other.stdout + rule.examples["levitate"] + b"\n"
        other_lin = levitate_like(other, stdout=other.stdout + rule.examples["linux"] + b"\n")
        assert compare.judge(other_lin, levitate_like(other, stdout=other_lev),
                             RULES).result == compare.DIFFERS


def test_rule_that_matches_nothing_is_reported():
    """A Levitate output where the rule's regex finds nothing is a difference
    that names the rule, never a silent pass."""
    o = linux("applet-uname")
    v = compare.judge(o, levitate_like(o, stdout=b"<KERNEL-NAME>\nx86_64\n"), RULES)
    assert v.result == compare.DIFFERS and "kernel-name" in v.detail


def test_linux_data_is_current():
    """Every scenario has Linux data made from its current script (else:
    `make conformance-linux`), and Linux ran every one to its end."""
    for name, s in BATTERY.items():
        assert name in LINUX, f"no Linux data for {name}"
        assert LINUX[name]["sha256"] == s.sha256, f"stale Linux data for {name}"
        assert LINUX[name]["failure"] is None, f"Linux gave no result for {name}"
    assert set(LINUX) <= set(BATTERY), "Linux data for scenarios that no longer exist"


def test_battery_size_and_tags():
    """At least 90 scenarios; blocked ones name the filesystem or signals issue."""
    assert len(BATTERY) >= 90
    assert {s.blocked_by for s in BATTERY.values()} <= {None, 15, 16}
    free = [s for s in BATTERY.values() if s.blocked_by is None]
    assert len(free) >= 80


def test_scenario_header_is_required():
    with pytest.raises(ValueError):
        scenarios.parse("x", "echo no header\n")
    with pytest.raises(ValueError):
        scenarios.parse("Bad_Name", "# what\n")
    s = scenarios.parse("ok", "# checks a thing\n# blocked-by: 16\necho\n")
    assert (s.what, s.blocked_by) == ("checks a thing", 16)
