"""Linux as the oracle: the rules of intended differences (rules/linux/*.json)
hide exactly what they name, real changes on either side are reported, and an
end-to-end recording on Linux 6.1 compares equal to Levitate's.

The pairs in fixtures/strace/ are real: NAME.strace from Linux 6.1 under
strace, NAME.levitate.jsonl from `testkit record` of the same scenario."""
from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from testkit.abi import Abi, load_abi
from testkit.diff import DiffResult
from testkit.linux_boot import LinuxBootError
from testkit.linux_oracle import record_linux
from testkit.normalize import Rules
from testkit.oracle import Verdict, compare_with_linux, load_scenarios, markdown, summary
from testkit.record import Scenario, behaviour_diff, record
from testkit.strace_convert import convert
from testkit.trace import Trace, load, loads

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "strace"
REPO = Path(__file__).resolve().parents[2]
PAIRS = ("echo-hi", "cat-missing", "shell-echo")


@pytest.fixture(scope="module")
def abi() -> Abi:
    """The table the samples were recorded with (strace's options come from it)."""
    return load_abi(SAMPLES / "abi.json")


def linux(name: str, abi: Abi, edit: Callable[[str], str] = lambda t: t) -> Trace:
    """The Linux side: the strace sample (edited as strace text), converted."""
    text = edit((SAMPLES / f"{name}.strace").read_text(encoding="latin-1"))
    return loads(convert(text, abi, "linux 6.1.0-57-amd64", "x").jsonl(), f"{name}.strace")


def levitate(name: str, edit: Callable[[list[dict[str, Any]]], None] | None = None) -> Trace:
    """The Levitate side, its records edited (then renumbered)."""
    lines = (SAMPLES / f"{name}.levitate.jsonl").read_text().splitlines()
    recs = [json.loads(x) for x in lines[1:]]
    if edit:
        edit(recs)
    for i, r in enumerate(recs):
        r["seq"] = i
    return loads("".join(json.dumps(r) + "\n" for r in [json.loads(lines[0])] + recs), name)


def diff(a: Trace, b: Trace, abi: Abi, rules: Rules) -> DiffResult:
    return behaviour_diff(a, b, abi, rules)


def find(recs: list[dict[str, Any]], pred: Callable[[dict[str, Any]], bool]) -> int:
    return next(i for i, r in enumerate(recs) if pred(r))


@pytest.mark.parametrize("name", PAIRS)
def test_linux_and_levitate_recordings_agree(name: str, abi: Abi, rules: Rules) -> None:
    d = diff(levitate(name), linux(name, abi), abi, rules)
    assert d.ok, d.render(abi)
    assert diff(linux(name, abi), levitate(name), abi, rules).ok


# --- the rules hide what they name and nothing else ---------------------------------

def test_without_the_launch_rule_linux_shows_its_launch(abi: Abi, rules: Rules) -> None:
    """The same Linux trace relabelled as Levitate's: no Linux rules, the execve shows."""
    lin = linux("echo-hi", abi)
    relabelled = copy.deepcopy(lin)
    relabelled.records[0]["kernel"] = "levitate 0.1"
    d = diff(levitate("echo-hi"), relabelled, abi, rules)
    assert not d.ok and "extra event in current: execve()" in d.render(abi)


@pytest.mark.parametrize("edit, shown", [
    (lambda t: t.replace('execve("\\x2f\\x62\\x69\\x6e\\x2f\\x69\\x6e\\x69\\x74"',
                         'execve("\\x2f\\x62\\x69\\x6e\\x2f\\x69\\x6e\\x69\\x75"', 1), "execve"),
    (lambda t: t.replace('[]) = 0', '[]) = -1 ENOENT (No such file or directory)', 1), "execve"),
    (lambda t: t.replace("[ 158] arch_prctl", "[  59] execve(\"\\x2f\\x62\\x69\\x6e\\x2f\\x69\\x6e\\x69\\x74\", "
                         "[], []) = 0\n82    [ 158] arch_prctl", 1), "execve"),
    (lambda t: t.replace("[  39] getpid()", "[ 102] getuid()                   = 0\n82    [  39] getpid()", 1),
     "execve"),
])
def test_launch_rule_drops_only_the_launch(edit: Callable[[str], str], shown: str,
                                           abi: Abi, rules: Rules) -> None:
    """Another path, a failed launch, a second execve of /bin/init, or a call the
    rule does not list between the two execs all show."""
    d = diff(levitate("echo-hi"), linux("echo-hi", abi, edit), abi, rules)
    assert not d.ok and shown in d.render(abi), d.render(abi)


def _add_call(name: str, nr: int, args: dict[str, Any], ret: int) -> Callable[[list[dict[str, Any]]], None]:
    def edit(recs: list[dict[str, Any]]) -> None:
        i = find(recs, lambda r: r.get("name") == "writev")
        recs.insert(i, {"seq": 0, "type": "syscall", "pid": recs[i]["pid"], "nr": nr, "name": name,
                        "args": args, "ret": ret})
    return edit


def test_vdso_rule_hides_clock_gettime(abi: Abi, rules: Rules) -> None:
    lev = levitate("echo-hi", _add_call("clock_gettime", 228, {"clockid": 1, "tp": "0x7fffffffee00"}, 0))
    assert diff(lev, linux("echo-hi", abi), abi, rules).ok


def test_vdso_rule_hides_nothing_else(abi: Abi, rules: Rules) -> None:
    lev = levitate("echo-hi", _add_call("getpid", 39, {}, 2))
    d = diff(lev, linux("echo-hi", abi), abi, rules)
    assert not d.ok and "getpid" in d.render(abi)


def test_vdso_rule_only_between_linux_and_levitate(abi: Abi, rules: Rules) -> None:
    lev = levitate("echo-hi", _add_call("clock_gettime", 228, {"clockid": 1, "tp": "0x7fffffffee00"}, 0))
    d = diff(levitate("echo-hi"), lev, abi, rules)
    assert not d.ok and "clock_gettime" in d.render(abi)


# --- mutations on either side are reported ------------------------------------------

def _set(pred: Callable[[dict[str, Any]], bool], change: Callable[[dict[str, Any]], None]
         ) -> Callable[[list[dict[str, Any]]], None]:
    def edit(recs: list[dict[str, Any]]) -> None:
        change(recs[find(recs, pred)])
    return edit


def _is_open_missing(r: dict[str, Any]) -> bool:
    return r.get("name") == "open" and r["args"].get("path") == "/nonexistent"


def _eacces(r: dict[str, Any]) -> None:
    r["ret"], r["err"] = -13, "EACCES"


def _byte(r: dict[str, Any]) -> None:
    r["args"]["buf"]["data"] = "J" + r["args"]["buf"]["data"][1:]


def _ret(r: dict[str, Any]) -> None:
    r["ret"] = 4


def _drop(recs: list[dict[str, Any]]) -> None:
    del recs[find(recs, lambda r: r.get("name") == "close" and r["pid"] != 1)]


LEVITATE_MUTATIONS = {
    "errno": (_set(_is_open_missing, _eacces), "errno changed: ENOENT → EACCES"),
    "output byte": (_set(lambda r: r.get("name") == "write", _byte), "data byte 0 changed"),
    "return value": (_set(lambda r: r.get("name") == "open" and r.get("ret") == 3, _ret),
                     "return value changed: 3 → 4"),
    "missing call": (_drop, "missing from current: close()"),
}

LINUX_MUTATIONS = {   # the same changes made to strace's text
    "errno": (lambda t: t.replace("= -1 ENOENT (No such file or directory)", "= -1 EACCES (Permission denied)"),
              "errno changed: EACCES → ENOENT"),
    "output byte": (lambda t: t.replace('1<\\x2f\\x64\\x65\\x76\\x2f\\x63\\x6f\\x6e\\x73\\x6f\\x6c\\x65>, "\\x48',
                                        '1<\\x2f\\x64\\x65\\x76\\x2f\\x63\\x6f\\x6e\\x73\\x6f\\x6c\\x65>, "\\x4a', 1),
                    "data byte 0 changed: \"J\" → \"H\""),
    "return value": (lambda t: t.replace("0x8000) = 3<", "0x8000) = 4<", 1), "return value changed: 4 → 3"),
    "missing call": (lambda t: "\n".join(x for x in t.split("\n")
                                         if not (x.startswith("88 ") and "close(0x3)" in x)), "close()"),
}


@pytest.mark.parametrize("what", sorted(LEVITATE_MUTATIONS))
def test_a_change_on_levitate_is_reported(what: str, abi: Abi, rules: Rules) -> None:
    edit, shown = LEVITATE_MUTATIONS[what]
    d = diff(linux("cat-missing", abi), levitate("cat-missing", edit), abi, rules)
    assert not d.ok and shown in d.render(abi), d.render(abi)


@pytest.mark.parametrize("what", sorted(LINUX_MUTATIONS))
def test_a_change_on_linux_is_reported(what: str, abi: Abi, rules: Rules) -> None:
    edit, shown = LINUX_MUTATIONS[what]
    text = (SAMPLES / "cat-missing.strace").read_text(encoding="latin-1")
    assert edit(text) != text, "the mutation must change the sample"
    d = diff(linux("cat-missing", abi, edit), levitate("cat-missing"), abi, rules)
    assert not d.ok and shown in d.render(abi), d.render(abi)


# --- end to end: Linux 6.1 in QEMU under strace ---------------------------------------

@pytest.mark.qemu
@pytest.mark.skipif(os.environ.get("LEVITATE_LINUX") != "1",
                    reason="boots Linux 6.1 under TCG (15-35 s): runs in `make linux-oracle`")
def test_record_on_linux_and_diff_with_levitate(tmp_path: Path, rules: Rules) -> None:
    """`testkit record --on linux` of /bin/echo hi, diffed with Levitate's recording."""
    abi = load_abi()
    if shutil.which("musl-gcc") is None or not (REPO / "build" / "kernel.bin").exists():
        pytest.skip("needs `make all`")
    sc = Scenario("echo-e2e", b"", ["/bin/echo", "hi", "there"])
    try:
        lin = record_linux(REPO, Scenario("echo-e2e.linux", b"", sc.run), tmp_path, abi, timeout=240)
    except LinuxBootError as e:
        if "cannot fetch" in str(e):
            pytest.skip(f"no Linux kernel or strace package here: {e}")
        raise
    assert lin.status == 0 and b"hi there" in lin.console.read_bytes()
    lev = record(REPO, sc, tmp_path, 60)
    linux_trace, levitate_trace = load(lin.trace), load(lev.trace)
    assert linux_trace.boot()["kernel"].startswith("linux 6.1.")
    d = behaviour_diff(levitate_trace, linux_trace, abi, rules)
    assert d.ok, d.render(abi)


def _fault_before_exit(status: int | None = None) -> Callable[[list[dict[str, Any]]], None]:
    """A fault record just before the program's exit (and optionally another exit status)."""
    def edit(recs: list[dict[str, Any]]) -> None:
        i = find(recs, lambda r: r["type"] == "exit" and r["pid"] != 1)
        recs.insert(i, {"seq": 0, "type": "fault", "pid": recs[i]["pid"], "vector": 14, "error": 6,
                        "addr": "0x0", "rip": "0x401000", "signal": 11})
        if status is not None:
            recs[i + 1]["status"] = status
    return edit


def test_fault_rule_hides_the_fault_record(abi: Abi, rules: Rules) -> None:
    assert diff(levitate("echo-hi", _fault_before_exit()), linux("echo-hi", abi), abi, rules).ok


def test_fault_rule_keeps_the_death(abi: Abi, rules: Rules) -> None:
    d = diff(levitate("echo-hi", _fault_before_exit(11)), linux("echo-hi", abi), abi, rules)
    assert not d.ok and "exit status changed: killed by SIGSEGV" in d.render(abi), d.render(abi)


def test_fault_rule_only_between_linux_and_levitate(abi: Abi, rules: Rules) -> None:
    d = diff(levitate("echo-hi"), levitate("echo-hi", _fault_before_exit()), abi, rules)
    assert not d.ok and "fault" in d.render(abi)


# --- testkit oracle: verdicts and the summary ------------------------------------------

def test_oracle_verdicts(abi: Abi, rules: Rules) -> None:
    same = compare_with_linux(levitate("echo-hi"), linux("echo-hi", abi), abi, rules, "echo")
    assert (same.verdict, same.rules) == ("identical", [])
    clock = levitate("echo-hi", _add_call("clock_gettime", 228, {"clockid": 1, "tp": "0x7fffffffee00"}, 0))
    ruled = compare_with_linux(clock, linux("echo-hi", abi), abi, rules, "echo")
    assert (ruled.verdict, ruled.rules) == ("same under rules", ["vdso-time"])
    edit, _ = LEVITATE_MUTATIONS["errno"]
    differs = compare_with_linux(levitate("cat-missing", edit), linux("cat-missing", abi), abi, rules, "cat")
    assert differs.verdict == "differs" and "errno changed: EACCES → ENOENT" in differs.differences[0]
    lines = summary([same, ruled, differs, differs])
    assert lines[-2] == "1 identical, 1 same under rules, 2 differs"
    assert lines[-1].startswith("  2x open errno changed: EACCES → ENOENT")


def _restart(lines: str) -> Callable[[str], str]:
    """Insert strace lines for the program's process before its first writev."""
    def edit(text: str) -> str:
        pid = next(x.split()[0] for x in text.split("\n") if "writev(" in x)
        body = "".join(f"{pid}    {line}\n" for line in lines.strip().split("\n"))
        return text.replace(f"{pid}    [  20] writev(", body + f"{pid}    [  20] writev(", 1)
    return edit


def test_restart_rule_drops_attempts_the_kernel_restarted(abi: Abi, rules: Rules) -> None:
    """A call = ERESTARTNOINTR then the same call again (as fork did on Linux): the program saw one."""
    lev = levitate("echo-hi", _add_call("sched_yield", 24, {}, 0))
    lin = linux("echo-hi", abi, _restart("[  24] sched_yield() = -1 ERESTARTNOINTR (To be restarted)\n"
                                         "[  24] sched_yield() = 0"))
    d = diff(lev, lin, abi, rules)
    assert d.ok, d.render(abi)


def test_restart_syscall_gives_the_interrupted_call_its_result(abi: Abi, rules: Rules) -> None:
    lev = levitate("echo-hi", _add_call("sched_yield", 24, {}, 0))
    lin = linux("echo-hi", abi, _restart("[  24] sched_yield() = ? ERESTART_RESTARTBLOCK (Interrupted by signal)\n"
                                         "[ 219] restart_syscall(<... resuming interrupted sched_yield ...>) = 0"))
    assert diff(lev, lin, abi, rules).ok


@pytest.mark.parametrize("lines, shown", [
    ("[  24] sched_yield() = -1 ERESTARTNOINTR (To be restarted)", "ERESTARTNOINTR"),     # not restarted
    ("[   0] read(0x3, 0x7ff, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n"
     "[  15] rt_sigreturn({mask=[]}) = -1 EINTR (Interrupted system call)", "ERESTARTSYS"),  # EINTR seen
    ("[  24] sched_yield() = -1 ERESTARTNOINTR (To be restarted)\n[  24] sched_yield() = 0\n[  24] sched_yield() = 0",
     "sched_yield"),                                                                          # one too many
])
def test_restart_rule_hides_nothing_else(lines: str, shown: str, abi: Abi, rules: Rules) -> None:
    lev = levitate("echo-hi", _add_call("sched_yield", 24, {}, 0))
    d = diff(lev, linux("echo-hi", abi, _restart(lines)), abi, rules)
    assert not d.ok and shown in d.render(abi), d.render(abi)


def test_scenario_list_reads_and_rejects(tmp_path: Path) -> None:
    scs = load_scenarios(REPO / "testkit" / "linux" / "scenarios.json")
    assert len(scs) >= 100 and len({sc.name for sc in scs}) == len(scs)
    shell = next(sc for sc in scs if sc.name == "sh.echo")
    assert shell.run is None and shell.input == b"echo hi\nexit\n"
    bad = tmp_path / "bad.json"
    bad.write_text('[{"run": ["/bin/true"]}]')
    with pytest.raises(LinuxBootError, match="bad.json: not a scenario list"):
        load_scenarios(bad)



def test_oracle_markdown_table() -> None:
    vs = [Verdict("a", "identical"), Verdict("b", "same under rules", rules=["vdso-time"]),
          Verdict("c", "differs", differences=["process init/1: event 3: open errno changed: A → B"])]
    text = markdown(vs, "# head")
    assert "1 identical, 1 same under rules, 1 differs" in text
    assert "- 1x open errno changed: A → B" in text
    assert "| `b` | same under rules | vdso-time |" in text and text.count("\n| `") == 3
