"""Behaviour comparison: equal across run-dependent values, and each real change
is reported with a message that names it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from synth import P, PIDS_A, PIDS_B, PTR, build, sc, shell_scenario
from testkit.abi import Abi
from testkit.diff import DiffResult, compare
from testkit.normalize import Rules, load_rules, normalize
from testkit.trace import loads

Scenario = dict[str, list[dict[str, Any]]]


def diff_of(golden: str, current: str, abi: Abi, rules: Rules) -> DiffResult:
    return compare(normalize(loads(golden, "golden"), abi, rules),
                   normalize(loads(current, "current"), abi, rules), rules.rewrites)


def golden() -> str:
    return build(shell_scenario(), PIDS_A)


def test_same_behaviour_other_pids_pointers_interleaving(fixture_abi: Abi, rules: Rules) -> None:
    order = ["init/1", "init/1", "init/1", "init/1", "init/1/1", "init", "init/1/1"]
    current = build(shell_scenario(), PIDS_B, order, ptr_base=0x7FFF0000)
    assert golden() != current
    d = diff_of(golden(), current, fixture_abi, rules)
    assert d.ok, d.render(fixture_abi)
    assert d.render(fixture_abi) == "same behaviour"


def mutate(scenario: Scenario, proc: str, name: str, fn: Callable[[dict[str, Any]], None]) -> Scenario:
    """Apply fn to the first event of proc whose syscall name (or type) is name."""
    ev = next(e for e in scenario[proc] if e.get("name", e["type"]) == name)
    fn(ev)
    return scenario


def set_write_data(ev: dict[str, Any]) -> None:
    ev["args"]["buf"]["data"] = "hj\n"


def set_exit_status(ev: dict[str, Any]) -> None:
    ev["status"] = 1 << 8


def set_argv(ev: dict[str, Any]) -> None:
    ev["args"]["argv"] = ["echo", "ho"]


def set_errno(ev: dict[str, Any]) -> None:
    ev["ret"], ev["err"] = -13, "EACCES"


def no_child(s: Scenario) -> Scenario:
    """sh never starts echo: no spawn_args, no wait4, no process init/1/1."""
    s["init/1"] = [e for e in s["init/1"] if e.get("name") not in ("spawn_args", "wait4")]
    del s["init/1/1"]
    return s


def extra_call(s: Scenario) -> Scenario:
    s["init/1/1"].insert(1, sc("getpid", ret=P("init/1/1")))
    return s


CASES: dict[str, tuple[Callable[[], Scenario], list[str]]] = {
    "output byte": (lambda: mutate(shell_scenario(), "init/1/1", "write", set_write_data),
                    ["process init/1/1: event 2:", "write argument buf: data byte 1 changed: \"i\" → \"j\""]),
    "exit status": (lambda: mutate(shell_scenario(), "init/1/1", "exit", set_exit_status),
                    ["process init/1/1: event 4:", "exit status changed: exited with 0 → exited with 1"]),
    "argv element": (lambda: mutate(shell_scenario(), "init/1", "spawn_args", set_argv),
                     ["process init/1: event 4:", "argv[1] changed: \"hi\" → \"ho\""]),
    "missing process": (lambda: no_child(shell_scenario()),
                        ["missing process init/1/1 (echo hi): in golden, not in current",
                         "process init/1: event 4: 2 events missing from current: spawn_args(), wait4()"]),
    "extra syscall": (lambda: extra_call(shell_scenario()),
                      ["process init/1/1: event 2: extra event in current: getpid()"]),
    "errno": (lambda: mutate(shell_scenario(), "init/1", "open", set_errno),
              ["process init/1: event 6:", "open errno changed: ENOENT → EACCES"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_mutation_is_reported(case: str, fixture_abi: Abi, rules: Rules) -> None:
    make, expected = CASES[case]
    d = diff_of(golden(), build(make(), PIDS_B), fixture_abi, rules)
    assert not d.ok
    text = "\n".join(d.messages())
    for want in expected:
        assert want in text, f"{case}: {want!r} not in:\n{text}"


def test_report_shows_context_and_both_sides(fixture_abi: Abi, rules: Rules) -> None:
    current = build(mutate(shell_scenario(), "init/1/1", "write", set_write_data), PIDS_B)
    report = diff_of(golden(), current, fixture_abi, rules).render(fixture_abi)
    assert '    [init/1/1] brk(NULL) = <ptr>' in report
    assert '  - [init/1/1] write(1, "hi\\n", 3) = 3' in report
    assert '  + [init/1/1] write(1, "hj\\n", 3) = 3' in report


def test_extra_process_is_reported(fixture_abi: Abi, rules: Rules) -> None:
    d = diff_of(build(no_child(shell_scenario()), PIDS_A), golden(), fixture_abi, rules)
    assert d.extra == ["init/1/1"]
    assert "extra process init/1/1 (echo hi)" in "\n".join(d.messages())


def test_null_pointer_is_not_masked(fixture_abi: Abi, rules: Rules) -> None:
    def nonnull_rusage(ev: dict[str, Any]) -> None:
        ev["args"]["rusage"] = PTR
    d = diff_of(golden(), build(mutate(shell_scenario(), "init", "wait4", nonnull_rusage), PIDS_A),
                fixture_abi, rules)
    assert "wait4 argument rusage: \"0x0\" → \"<ptr>\"" in "\n".join(d.messages())


def test_halt_status_is_compared(fixture_abi: Abi, rules: Rules) -> None:
    d = diff_of(golden(), build(shell_scenario(), PIDS_A, halt_status=1 << 8), fixture_abi, rules)
    assert "process kernel: event 1: halt (init's) status changed" in "\n".join(d.messages())


def test_equivalence_rules_are_applied(tmp_path: Path, fixture_abi: Abi) -> None:
    """The rewrite hook: a rule in rules/equivalence/ makes two spellings compare equal."""
    base = Path(load_rules().dir)
    rules_dir = tmp_path / "rules"
    (rules_dir / "equivalence").mkdir(parents=True)
    for f in ("mask.json", "processes.json"):
        (rules_dir / f).write_text((base / f).read_text())
    current = build(extra_call(shell_scenario()), PIDS_A)
    assert not diff_of(golden(), current, fixture_abi, load_rules(rules_dir)).ok
    (rules_dir / "equivalence" / "getpid.json").write_text(json.dumps(
        {"id": "no-getpid-after-brk", "order": 1, "why": "test",
         "patterns": [{"match": [{"call": "brk"}, {"call": "getpid"}], "emit": [{"from": 0}]}]}))
    d = diff_of(golden(), current, fixture_abi, load_rules(rules_dir))
    assert d.ok, d.render(fixture_abi)
    assert d.render(fixture_abi) == "same behaviour (under rules: no-getpid-after-brk (1))"


def test_report_names_the_rules_in_force(fixture_abi: Abi, rules: Rules) -> None:
    """Both traces are spawn-era and neither catches a signal: the era-bridging
    rules are not in force, and the report says which are."""
    current = build(mutate(shell_scenario(), "init/1/1", "write", set_write_data), PIDS_B)
    report = diff_of(golden(), current, fixture_abi, rules).render(fixture_abi)
    last = report.splitlines()[-1]
    assert last.startswith("rules in force: ") and "merge-split-reads" in last, report
    assert "spawn-is-fork-exec" not in last and "shell-catches-sigint" not in last, report


def test_report_with_linux_names_the_linux_rules_too() -> None:
    """Between Levitate and Linux the Linux rules apply first: the report names them."""
    from test_linux_oracle import linux, levitate
    from testkit.abi import load_abi
    from testkit.record import behaviour_diff
    abi = load_abi(Path(__file__).resolve().parent / "fixtures" / "strace" / "abi.json")
    changed = linux("echo-hi", abi, lambda t: t.replace('iov_base="\\x68\\x69"', 'iov_base="\\x68\\x6f"'))  # ho
    report = behaviour_diff(levitate("echo-hi"), changed, abi, load_rules()).render(abi)
    in_force, _, rewrote = report.splitlines()[-1].partition("; rewrote: ")
    assert in_force.startswith("rules in force: fault-records, kernel-restarts, oracle-launch, vdso-time, "), report
    assert "merge-split-reads" in in_force and "oracle-launch (1)" in rewrote, report


def test_events_written_from_one_recorded_event_show_it_once(fixture_abi: Abi) -> None:
    """A rule that writes two events from one (openat -> open + fcntl) shows the
    recorded openat once where both are shown."""
    from testkit.diff import recorded_lines
    from testkit.normalize import Event
    openat = Event({"type": "syscall", "name": "openat", "args": {"dirfd": -100, "path": "/a", "flags": 0, "mode": 0},
                    "ret": 3})
    a = Event({"type": "syscall", "name": "open", "args": {}, "ret": 3}, origin=(("init", openat),), rules=("r",))
    b = Event({"type": "syscall", "name": "fcntl", "args": {}, "ret": 0}, origin=(("init", openat),), rules=("r",))
    lines = recorded_lines("  + ", "init", [a, b], fixture_abi)
    assert len(lines) == 1 and "openat(" in lines[0] and lines[0].endswith("<- rule r"), lines
