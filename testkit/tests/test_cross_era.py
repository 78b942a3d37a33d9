"""The committed goldens of both eras, compared with each other: the fork-era
recording of a scenario is the same behaviour as its spawn-era golden, and
each real change made to the fork-era trace fails against the spawn-era golden
with a message that names it (so the spawn = fork + exec rule hides nothing
else).  Pure: no QEMU, the goldens are the data."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import REPO_ROOT
from testkit.abi import load_abi
from testkit.record import behaviour_diff
from testkit.normalize import load_rules
from testkit.trace import Trace, loads

GOLDEN = REPO_ROOT / "golden"
Records = list[dict[str, Any]]


def pairs() -> list[str]:
    names = (p.name[:-len(".fork.jsonl")] for p in GOLDEN.glob("*.fork.jsonl"))
    return sorted(n for n in names if (GOLDEN / f"{n}.jsonl").exists())


def load_records(path: Path) -> Records:
    return [json.loads(line) for line in path.read_text().splitlines()]


def as_trace(records: Records) -> Trace:
    """Records (meta line first) as a valid trace: seq renumbered without gaps."""
    out, seq = [], 0
    for r in records:
        if r.get("type") != "meta":
            r = dict(r, seq=seq)
            seq += 1
        out.append(json.dumps(r))
    return loads("\n".join(out) + "\n", "mutated")


def diff_against_spawn_era(name: str, fork_records: Records) -> list[str]:
    golden = loads((GOLDEN / f"{name}.jsonl").read_text(), f"{name}.jsonl")
    d = behaviour_diff(golden, as_trace(fork_records), load_abi(), load_rules())
    return [] if d.ok else d.messages()


@pytest.mark.parametrize("name", pairs())
def test_fork_era_golden_matches_spawn_era_golden(name: str) -> None:
    assert diff_against_spawn_era(name, load_records(GOLDEN / f"{name}.fork.jsonl")) == []


def _find(records: Records, pid: int, name: str) -> dict[str, Any]:
    return next(r for r in records if r.get("pid") == pid and r.get("name", r["type"]) == name)


def _echo_pid(records: Records) -> int:
    return next(r["pid"] for r in records if r.get("name") == "execve" and r["args"]["path"] == "/bin/echo")


def output_byte(rs: Records) -> None:
    w = _find(rs, _echo_pid(rs), "writev")
    w["args"]["iov"]["data"] = w["args"]["iov"]["data"].replace("one", "One")


def exit_status(rs: Records) -> None:
    pid = _echo_pid(rs)
    _find(rs, pid, "exit_group")["args"]["status"] = 3
    _find(rs, pid, "exit")["status"] = 3 << 8


def argv_element(rs: Records) -> None:
    _find(rs, _echo_pid(rs), "execve")["args"]["argv"][2] = "TWO"


def missing_exec(rs: Records) -> None:
    rs.remove(_find(rs, _echo_pid(rs), "execve"))


def extra_process(rs: Records) -> None:
    """The shell forks once more, a child that just exits."""
    shell = next(r["pid"] for r in rs if r.get("name") == "execve" and r["args"]["path"] == "/bin/shell")
    at = rs.index(next(r for r in rs if r.get("pid") == shell and r.get("name") == "exit_group"))
    rs[at:at] = [{"seq": 0, "type": "syscall", "pid": shell, "nr": 57, "name": "fork", "args": {}, "ret": 99},
                 {"seq": 0, "type": "syscall", "pid": 99, "nr": 231, "name": "exit_group", "args": {"status": 0}},
                 {"seq": 0, "type": "exit", "pid": 99, "status": 0}]


MUTATIONS: dict[str, tuple[Callable[[Records], None], str]] = {
    "output byte": (output_byte, "data byte"),
    "exit status": (exit_status, "status"),
    "argv element": (argv_element, "argv[2] changed"),
    "missing exec": (missing_exec, "spawn_args → pipe2"),   # the start is no longer a spawn
    "extra process": (extra_process, "extra process"),
}


@pytest.mark.parametrize("case", list(MUTATIONS))
def test_real_change_in_fork_era_fails_against_spawn_era_golden(case: str) -> None:
    fn, words = MUTATIONS[case]
    records = copy.deepcopy(load_records(GOLDEN / "echo_args.fork.jsonl"))
    fn(records)
    messages = diff_against_spawn_era("echo_args", records)
    assert messages, f"{case}: the spawn-era golden did not catch it"
    assert words in "\n".join(messages), messages


def _long_argument(records: Records, text: str, fmt: int) -> Trace:
    """The fork-era echo_args trace, in format fmt, whose echo got argument text."""
    rs = copy.deepcopy(records)
    _find(rs, _echo_pid(rs), "execve")["args"]["argv"][1] = text
    boot = next(i for i, r in enumerate(rs) if r["type"] == "boot")
    rs[boot] = dict(rs[boot], format=fmt)
    return as_trace(rs)


def test_v1_golden_judges_the_bytes_it_recorded_and_no_more() -> None:
    """A v1 golden saw strings cut at 255 bytes: a v2 recording whose string
    differs only after byte 255 is the same to it, one that differs before is not;
    two v2 traces compare whole strings."""
    base = load_records(GOLDEN / "echo_args.fork.jsonl")
    abi, rules = load_abi(), load_rules()
    golden_v1 = _long_argument(base, "a" * 255, 1)
    same_prefix = _long_argument(base, "a" * 255 + "b" * 45, 2)
    assert behaviour_diff(golden_v1, same_prefix, abi, rules).ok
    assert not behaviour_diff(golden_v1, _long_argument(base, "a" * 254 + "c" + "b" * 45, 2), abi, rules).ok
    assert not behaviour_diff(_long_argument(base, "a" * 255 + "x" * 45, 2), same_prefix, abi, rules).ok


def fork_era_diff(name: str, mutate: Callable[[Records], None]) -> str:
    """The rendered diff of a fork-era golden against a mutated copy of itself."""
    records = load_records(GOLDEN / f"{name}.fork.jsonl")
    changed = copy.deepcopy(records)
    mutate(changed)
    d = behaviour_diff(as_trace(records), as_trace(changed), load_abi(), load_rules())
    assert not d.ok
    return d.render(load_abi())


def test_diff_of_two_fork_era_traces_shows_no_spawn_args() -> None:
    """spawn_args is in neither trace: the spawn = fork + exec rule is for crossing eras."""
    report = fork_era_diff("echo_args", argv_element)
    assert "spawn_args" not in report, report
    assert "execve argument argv: argv[2] changed" in report, report


def test_diff_of_two_fork_era_traces_keeps_a_failed_exec_child() -> None:
    """A child whose exec failed is a process of both traces: a change in it is a
    change in that process, not a missing one."""
    def child_exit_code(rs: Records) -> None:
        pid = next(r["pid"] for r in rs if r.get("name") == "execve" and r.get("ret", 0) < 0)
        _find(rs, pid, "exit_group")["args"]["status"] = 126
        _find(rs, pid, "exit")["status"] = 126 << 8
    report = fork_era_diff("missing_program", child_exit_code)
    assert "missing process" not in report and "extra process" not in report, report
    assert "exit_group argument status: 127 → 126" in report, report


@pytest.mark.parametrize("case", list(MUTATIONS))
def test_cross_era_report_shows_each_side_as_recorded(case: str) -> None:
    """The fork-era side is shown as its trace holds it (fork, pipe2, execve ...),
    each rewritten event marked with the rule; spawn_args only on the spawn-era
    side, whose golden recorded it; the rules in force are named."""
    fn, _ = MUTATIONS[case]
    records = copy.deepcopy(load_records(GOLDEN / "echo_args.fork.jsonl"))
    fn(records)
    golden = loads((GOLDEN / "echo_args.jsonl").read_text(), "echo_args.jsonl")
    report = behaviour_diff(golden, as_trace(records), load_abi(), load_rules()).render(load_abi())
    current = [line for line in report.splitlines() if line.startswith("  + ")]
    assert not any("spawn_args" in line for line in current), report
    in_force, _, rewrote = report.splitlines()[-1].partition("; rewrote: ")
    assert in_force.startswith("rules in force: ") and "spawn-is-fork-exec" in in_force, report
    assert "spawn-is-fork-exec (" in rewrote, report


def test_a_rewritten_event_is_shown_as_the_events_it_was_made_from() -> None:
    records = copy.deepcopy(load_records(GOLDEN / "echo_args.fork.jsonl"))
    argv_element(records)
    golden = loads((GOLDEN / "echo_args.jsonl").read_text(), "echo_args.jsonl")
    report = behaviour_diff(golden, as_trace(records), load_abi(), load_rules()).render(load_abi())
    mark = "    <- rule spawn-is-fork-exec"
    for line in ("  - [init/1] spawn_args(\"/bin/echo\", [\"echo\", \"one\", \"two\", \"three four\", \"five\"]) = init/1/1",
                 "  + [init/1] fork() = init/1/1" + mark,
                 "  + [init/1] read(3, \"\", 4) = 0" + mark,
                 "  + [init/1/1] execve(\"/bin/echo\", [\"echo\", \"one\", \"TWO\", \"three four\", \"five\"], []) = 0" + mark):
        assert line in report.splitlines(), report


def test_an_extra_rewritten_event_is_named_as_recorded() -> None:
    """An extra start in the fork-era trace is named by the calls it recorded."""
    records = copy.deepcopy(load_records(GOLDEN / "echo_args.fork.jsonl"))
    shell = next(r["pid"] for r in records if r.get("name") == "execve" and r["args"]["path"] == "/bin/shell")
    at = records.index(next(r for r in records if r.get("pid") == shell and r.get("name") == "exit_group"))
    records[at:at] = [
        {"seq": 0, "type": "syscall", "pid": shell, "nr": 57, "name": "fork", "args": {}, "ret": 99},
        {"seq": 0, "type": "syscall", "pid": 99, "nr": 59, "name": "execve", "ret": 0,
         "args": {"path": "/bin/true", "argv": ["true"], "envp": []}},
        {"seq": 0, "type": "syscall", "pid": 99, "nr": 231, "name": "exit_group", "args": {"status": 0}},
        {"seq": 0, "type": "exit", "pid": 99, "status": 0}]
    messages = diff_against_spawn_era("echo_args", records)
    want = "extra event in current: fork()+execve() (rule spawn-is-fork-exec: compared as spawn_args())"
    assert any(want in m for m in messages), messages
