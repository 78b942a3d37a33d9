"""The spawn = fork + exec equivalence rule (rules/equivalence/spawn-is-fork-exec.json):
a fork-era trace of the same behaviour compares equal to a spawn-era one, and
each real change, or anything the rule does not name, still shows."""
from __future__ import annotations

import copy
import struct
from typing import Any, Callable

import pytest

from synth import P, PTR, build, buf, exit_ev, sc
from testkit.abi import Abi
from testkit.diff import DiffResult, compare
from testkit.normalize import Rules, normalize
from testkit.trace import loads

Scenario = dict[str, list[dict[str, Any]]]
O_CLOEXEC = 0x80000
ENOENT = 2
PIDS = {"init": 1, "init/1": 2, "init/1/1": 3, "init/1/2": 4}
FORK_PIDS = {"init": 1, "init/1": 2, "init/1/1": 3, "init/1/2": 4, "init/1/3": 5}


def spawn_era() -> Scenario:
    """init spawns the shell; the shell fails to run /bin/nope, then runs echo hi."""
    return {
        "init": [sc("spawn", path="/bin/sh", ret=P("init/1")),
                 sc("wait4", pid=-1, wstatus=PTR, options=0, rusage="0x0", ret=P("init/1")),
                 sc("exit_group", status=0), exit_ev(0)],
        "init/1": [sc("spawn_args", path="/bin/nope", argv=["nope"], ret=-ENOENT, err="ENOENT"),
                   sc("write", fd=2, buf=buf("nope: not found\n"), count=16, ret=16),
                   sc("spawn_args", path="/bin/echo", argv=["echo", "hi"], ret=P("init/1/1")),
                   sc("wait4", pid=P("init/1/1"), wstatus=PTR, options=0, rusage="0x0", ret=P("init/1/1")),
                   sc("exit_group", status=0), exit_ev(0)],
        "init/1/1": [sc("write", fd=1, buf=buf("hi\n"), count=3, ret=3),
                     sc("exit_group", status=0), exit_ev(0)],
    }


def pipe_around(child: str, read_data: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The parent's error-pipe events before and after fork() = child."""
    before = [sc("pipe2", fds=[3, 4], flags=O_CLOEXEC, ret=0)]
    rd = buf(read_data) if read_data else {"data": "", "len": 0}
    after = [sc("close", fd=4, ret=0),
             sc("read", fd=3, buf=rd, count=4, ret=len(read_data or "")),
             sc("close", fd=3, ret=0)]
    return before, after


def fork_era() -> Scenario:
    """The same behaviour through fork + execve with the error pipe."""
    err = struct.pack("<i", ENOENT).decode("latin-1")
    b1, a1 = pipe_around("init/1/1", err)
    b2, a2 = pipe_around("init/1/2", None)
    return {
        "init": [sc("fork", ret=P("init/1")),
                 sc("wait4", pid=-1, wstatus=PTR, options=0, rusage="0x0", ret=P("init/1")),
                 sc("exit_group", status=0), exit_ev(0)],
        "init/1": [sc("execve", path="/bin/sh", argv=["/bin/sh"], envp=[], ret=0),
                   *b1, sc("fork", ret=P("init/1/1")), *a1,
                   sc("wait4", pid=P("init/1/1"), wstatus=PTR, options=0, rusage="0x0", ret=P("init/1/1")),
                   sc("write", fd=2, buf=buf("nope: not found\n"), count=16, ret=16),
                   *b2, sc("fork", ret=P("init/1/2")), *a2,
                   sc("wait4", pid=P("init/1/2"), wstatus=PTR, options=0, rusage="0x0", ret=P("init/1/2")),
                   sc("exit_group", status=0), exit_ev(0)],
        "init/1/1": [sc("execve", path="/bin/nope", argv=["nope"], envp=[], ret=-ENOENT, err="ENOENT"),
                     sc("write", fd=4, buf=buf(err), count=4, ret=4),
                     sc("exit_group", status=127), exit_ev(127)],
        "init/1/2": [sc("execve", path="/bin/echo", argv=["echo", "hi"], envp=[], ret=0),
                     sc("write", fd=1, buf=buf("hi\n"), count=3, ret=3),
                     sc("exit_group", status=0), exit_ev(0)],
    }


def diff(golden: Scenario, current: Scenario, abi: Abi, rules: Rules) -> DiffResult:
    g = normalize(loads(build(golden, PIDS), "golden"), abi, rules)
    c = normalize(loads(build(current, FORK_PIDS), "current"), abi, rules)
    return compare(g, c, rules.rewrites)


def test_fork_era_equals_spawn_era(fixture_abi: Abi, rules: Rules) -> None:
    d = diff(spawn_era(), fork_era(), fixture_abi, rules)
    assert d.ok, d.render(fixture_abi)


def test_plain_fork_exec_without_pipe_is_a_spawn(fixture_abi: Abi, rules: Rules) -> None:
    """The central rule alone: fork() = C in P, then execve(path, argv, []) = 0 first in C."""
    spawned = {"init": [sc("spawn_args", path="/bin/echo", argv=["echo", "hi"], ret=P("init/1")),
                        sc("exit_group", status=0), exit_ev(0)],
               "init/1": [sc("write", fd=1, buf=buf("hi\n"), count=3, ret=3),
                          sc("exit_group", status=0), exit_ev(0)]}
    forked = copy.deepcopy(spawned)
    forked["init"][0] = sc("fork", ret=P("init/1"))
    forked["init/1"].insert(0, sc("execve", path="/bin/echo", argv=["echo", "hi"], envp=[], ret=0))
    d = diff(spawned, forked, fixture_abi, rules)
    assert d.ok, d.render(fixture_abi)


def _event(s: Scenario, proc: str, name: str, nth: int = 0) -> dict[str, Any]:
    return [e for e in s[proc] if e.get("name", e["type"]) == name][nth]


def _change_output_byte(s: Scenario) -> None:
    _event(s, "init/1/2", "write")["args"]["buf"] = buf("ho\n")


def _change_exit_status(s: Scenario) -> None:
    _event(s, "init/1/2", "exit_group")["args"]["status"] = 1
    s["init/1/2"][-1] = exit_ev(1)


def _change_argv(s: Scenario) -> None:
    _event(s, "init/1/2", "execve")["args"]["argv"] = ["echo", "HI"]


def _missing_exec(s: Scenario) -> None:
    s["init/1/2"].pop(0)


def _extra_process(s: Scenario) -> None:
    s["init/1"].insert(-2, sc("fork", ret=P("init/1/3")))
    s["init/1/3"] = [sc("exit_group", status=0), exit_ev(0)]


def _child_does_more_before_exec(s: Scenario) -> None:
    s["init/1/2"].insert(0, sc("close", fd=0, ret=0))


def _environment_given(s: Scenario) -> None:
    _event(s, "init/1/2", "execve")["args"]["envp"] = ["HOME=/"]


def _failed_child_writes_more(s: Scenario) -> None:
    s["init/1/1"].insert(2, sc("write", fd=2, buf=buf("oops\n"), count=5, ret=5))


def _failed_child_other_errno(s: Scenario) -> None:
    eacces = struct.pack("<i", 13).decode("latin-1")
    _event(s, "init/1", "read")["args"]["buf"] = buf(eacces)
    _event(s, "init/1/1", "write")["args"]["buf"] = buf(eacces)
    e = _event(s, "init/1/1", "execve")
    e["ret"], e["err"] = -13, "EACCES"


MUTATIONS: dict[str, tuple[Callable[[Scenario], None], str]] = {
    "output byte": (_change_output_byte, "data byte"),
    "exit status": (_change_exit_status, "status"),
    "argv element": (_change_argv, "argv"),
    "missing exec": (_missing_exec, ""),
    "extra process": (_extra_process, "extra process init/1/2"),  # renumbered like its spawn-era twin
    "child acts before exec": (_child_does_more_before_exec, ""),
    "environment": (_environment_given, ""),
    "failed child does more": (_failed_child_writes_more, ""),
    "other errno": (_failed_child_other_errno, ""),
}


@pytest.mark.parametrize("case", list(MUTATIONS))
def test_rule_hides_nothing_else(case: str, fixture_abi: Abi, rules: Rules) -> None:
    fn, words = MUTATIONS[case]
    current = copy.deepcopy(fork_era())
    fn(current)
    d = diff(spawn_era(), current, fixture_abi, rules)
    assert not d.ok, f"{case}: the rule hid a real change"
    assert words in "\n".join(d.messages()), d.render(fixture_abi)


def _reader(chunks: list[str], eof: bool = True) -> Scenario:
    reads = [sc("read", fd=3, buf=buf(c), count=64, ret=len(c)) for c in chunks]
    if eof:
        reads.append(sc("read", fd=3, buf={"data": "", "len": 0}, count=64, ret=0))
    return {"init": [*reads, sc("exit_group", status=0), exit_ev(0)]}


def _diff_readers(a: Scenario, b: Scenario, abi: Abi, rules: Rules) -> DiffResult:
    g = normalize(loads(build(a, {"init": 1}), "golden"), abi, rules)
    c = normalize(loads(build(b, {"init": 1}), "current"), abi, rules)
    return compare(g, c, rules.rewrites)


def test_split_pipe_reads_compare_as_one(fixture_abi: Abi, rules: Rules) -> None:
    d = _diff_readers(_reader(["hello world\n"]), _reader(["hel", "lo wor", "ld\n"]), fixture_abi, rules)
    assert d.ok, d.render(fixture_abi)


@pytest.mark.parametrize("current", [
    _reader(["hel", "lo WOR", "ld\n"]),          # a changed byte
    _reader(["hello world\n", "!"]),             # more data
    _reader(["hello world\n"], eof=False),       # end of file no longer seen
])
def test_split_reads_still_show_changes(current: Scenario, fixture_abi: Abi, rules: Rules) -> None:
    assert not _diff_readers(_reader(["hello world\n"]), current, fixture_abi, rules).ok


def test_console_input_reads_are_not_merged(fixture_abi: Abi, rules: Rules) -> None:
    def typed(lines: list[str]) -> Scenario:
        return {"init": [sc("read", fd=0, buf=buf(x), count=64, ret=len(x), input=True) for x in lines]
                + [sc("exit_group", status=0), exit_ev(0)]}
    assert not _diff_readers(typed(["a\n", "b\n"]), typed(["a\nb\n"]), fixture_abi, rules).ok


def test_many_failed_starts_renumber_every_later_sibling(fixture_abi: Abi, rules: Rules) -> None:
    """Twelve failed starts then a real one: names past P/9 sort before P/2 as text."""
    err = struct.pack("<i", ENOENT).decode("latin-1")
    spawned: Scenario = {"init": [], "init/1": [sc("exit_group", status=0), exit_ev(0)]}
    forked: Scenario = {"init": []}
    for k in range(1, 13):
        spawned["init"].append(sc("spawn_args", path=f"/no{k}", argv=[f"/no{k}"], ret=-ENOENT, err="ENOENT"))
        b, a = pipe_around("", err)
        forked["init"] += [*b, sc("fork", ret=P(f"init/{k}")), *a,
                           sc("wait4", pid=P(f"init/{k}"), wstatus="0x0", options=0, rusage="0x0", ret=P(f"init/{k}"))]
        forked[f"init/{k}"] = [sc("execve", path=f"/no{k}", argv=[f"/no{k}"], envp=[], ret=-ENOENT, err="ENOENT"),
                               sc("write", fd=4, buf=buf(err), count=4, ret=4),
                               sc("exit_group", status=127), exit_ev(127)]
    spawned["init"] += [sc("spawn_args", path="/bin/true", argv=["true"], ret=P("init/1")),
                        sc("exit_group", status=0), exit_ev(0)]
    forked["init"] += [sc("fork", ret=P("init/13")), sc("exit_group", status=0), exit_ev(0)]
    forked["init/13"] = [sc("execve", path="/bin/true", argv=["true"], envp=[], ret=0),
                         sc("exit_group", status=0), exit_ev(0)]
    g = normalize(loads(build(spawned, {"init": 1, "init/1": 2}), "golden"), fixture_abi, rules)
    pids = {"init": 1, **{f"init/{k}": k + 1 for k in range(1, 14)}}
    c = normalize(loads(build(forked, pids), "current"), fixture_abi, rules)
    d = compare(g, c, rules.rewrites)
    assert d.ok, d.render(fixture_abi)


def _relay(chunks: list[str], written: list[str] | None = None) -> Scenario:
    """cat in a pipeline: each chunk read from fd 0 is written to fd 1 (or `written`'s chunk)."""
    evs = []
    for c, w in zip(chunks, written or chunks):
        evs += [sc("read", fd=0, buf=buf(c), count=4096, ret=len(c)),
                sc("write", fd=1, buf=buf(w), count=len(w), ret=len(w))]
    evs += [sc("read", fd=0, buf={"data": "", "len": 0}, count=4096, ret=0)]
    return {"init": [*evs, sc("exit_group", status=0), exit_ev(0)]}


def test_relayed_chunks_compare_as_one(fixture_abi: Abi, rules: Rules) -> None:
    """The pipeline golden's flake: cat read "hello.txt\\n" and "motd\\n" in two turns."""
    d = _diff_readers(_relay(["hello.txt\nmotd\n"]), _relay(["hello.txt\n", "motd\n"]), fixture_abi, rules)
    assert d.ok, d.render(fixture_abi)


@pytest.mark.parametrize("current", [
    _relay(["hello.txt\n", "MOTD\n"]),                             # a changed byte
    _relay(["hello.txt\n", "motd\n"], ["hello.txt\n", "motd!\n"]),  # wrote other bytes than it read
    _relay(["hello.txt\n", "motd\n", "x\n"]),                      # more data
])
def test_relayed_chunks_still_show_changes(current: Scenario, fixture_abi: Abi, rules: Rules) -> None:
    assert not _diff_readers(_relay(["hello.txt\nmotd\n"]), current, fixture_abi, rules).ok
