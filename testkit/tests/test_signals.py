"""Signals (issue 15) from the host's side.

- the in-guest suite (userspace/sigtest: handlers, mask, EINTR and restart,
  SIGPIPE, SIGCHLD, groups, SIGKILL, forged sigreturn frames, the terminal);
- Ctrl-C and Ctrl-\\ at the project's shell, typed like a person (pexpect);
- trace format 3: a real run's signal records, how a comparison sees them
  (older goldens: not at all; v3 goldens: every change), and the one
  equivalence rule signals brought (the shell's SIGINT handler).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

import proctree
from conftest import REPO_ROOT
from guest_suite import run_guest_suite
from synth import P, PIDS_A, build, shell_scenario
from testkit.abi import Abi
from testkit.normalize import Event, Rules
from testkit.record import behaviour_diff
from testkit.rule_engine import apply_rule
from testkit.rulelang import Rule
from testkit.trace import load, loads
from test_shell import PROMPT

QEMU = REPO_ROOT / "scripts" / "levitate-qemu"
SIGUSR1, SIGCHLD = 10, 17


@pytest.mark.qemu
def test_in_guest_signal_suite_passes() -> None:
    run_guest_suite("suite_test_signal", "/usr/bin/suite_test_signal", at_least=31, timeout=240)


@pytest.fixture
def shell() -> Iterator[pexpect.spawn]:
    """The shell on the launcher's default console (mon:stdio), where QEMU passes
    Ctrl-C to the guest as `make run` users get it; --batch's plain stdio would
    let the host pty turn Ctrl-C into a SIGINT for QEMU itself."""
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    child = pexpect.spawn(str(QEMU), [], encoding="latin-1", timeout=30)
    child.delaybeforesend = 0.01
    child.expect(PROMPT)
    yield child
    child.terminate(force=True)


def start_cat(shell: pexpect.spawn) -> None:
    """Run cat and wait until it echoes a line: then it is cat that reads the terminal."""
    shell.sendline("cat")
    shell.sendline("ping")
    shell.expect("ping\r+\nping\r+\n")


@pytest.mark.qemu
def test_ctrl_c_ends_cat_and_the_shell_lives_on(shell: pexpect.spawn) -> None:
    start_cat(shell)
    shell.send("\x03")
    shell.expect(r"\^C")
    shell.expect(r"shell: cat: killed by signal 2 \(Interrupt\)")
    shell.expect(PROMPT)
    shell.sendline("echo $?")
    shell.expect("130")
    shell.expect(PROMPT)


@pytest.mark.qemu
def test_ctrl_backslash_quits_cat(shell: pexpect.spawn) -> None:
    start_cat(shell)
    shell.send("\x1c")
    shell.expect(r"shell: cat: killed by signal 3 \(Quit\)")
    shell.expect(PROMPT)
    shell.sendline("echo $?")
    shell.expect("131")


@pytest.mark.qemu
def test_ctrl_z_stops_cat_and_the_shell_lets_it_go_on(shell: pexpect.spawn) -> None:
    start_cat(shell)
    shell.send("\x1a")
    shell.expect(r"\^Z")
    shell.expect(r"stopped; no job control here, so it goes on")
    shell.sendline("pong")
    shell.expect("pong\r+\npong\r+\n")             # cat runs again
    shell.send("\x04")
    shell.expect(PROMPT)
    shell.sendline("echo $?")
    shell.expect("0\r")


@pytest.mark.qemu
def test_ctrl_c_at_the_prompt_drops_the_line(shell: pexpect.spawn) -> None:
    shell.send("echo never")
    shell.expect("echo never")
    shell.send("\x03")
    shell.expect(r"\^C")
    shell.expect(PROMPT)
    shell.sendline("echo fresh")
    shell.expect("fresh\r+\n")
    shell.expect(PROMPT)
    assert "never\r" not in shell.before


# ---- Trace format 3 from a real run ----

def traced_run(tmp_path: Path, *program: str) -> list[dict[str, Any]]:
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    trace = tmp_path / "t.jsonl"
    proctree.run([str(QEMU), "--batch", "--trace", str(trace), "--", *program],
                   capture_output=True, timeout=120, check=False)
    return load(trace).records


@pytest.mark.qemu
def test_a_handled_signal_and_a_sigchld_are_recorded(tmp_path: Path) -> None:
    recs = traced_run(tmp_path, "/usr/bin/suite_test_signal", "sig_handler_runs")
    assert recs[0]["format"] == 3
    suite = next(r["pid"] for r in recs if r["type"] == "syscall" and r["name"] == "execve"
                 and r["args"]["path"] == "/usr/bin/suite_test_signal")
    sent = [r for r in recs if r["type"] == "signal" and r["sig"] == SIGUSR1]
    delivered = [r for r in recs if r["type"] == "sigdeliver" and r["sig"] == SIGUSR1]
    assert [(r["pid"], r["to"], r["code"]) for r in sent] == [(suite, suite, 0)]
    assert [(r["pid"], r["action"]) for r in delivered] == [(suite, "handler")]
    assert sent[0]["seq"] < delivered[0]["seq"]
    chld = [r for r in recs if r["type"] == "signal" and r["sig"] == SIGCHLD]
    assert [(r["pid"], r["to"], r.get("ignored")) for r in chld] == [(suite, 1, True)]


@pytest.mark.qemu
def test_a_fault_is_recorded_then_its_default_action(tmp_path: Path) -> None:
    recs = traced_run(tmp_path, "/bin/segv")
    pid = next(r["pid"] for r in recs if r["type"] == "fault")
    mine = [(r["type"], r.get("sig"), r.get("action"), r.get("status")) for r in recs
            if r.get("pid") == pid and r["type"] != "syscall"]
    assert mine == [("fault", None, None, None), ("signal", 11, None, None),
                    ("sigdeliver", 11, "core", None), ("signal", 17, None, None),
                    ("exit", None, None, 11)]


@pytest.mark.qemu
def test_a_refused_sigreturn_returns_0_as_on_linux(tmp_path: Path) -> None:
    """Linux's rt_sigreturn answers 0 when it refuses a frame (and forces
    SIGSEGV); Levitate answered the call's number, 15 (the Linux oracle's
    signal.sig_forged_* scenarios)."""
    recs = traced_run(tmp_path, "/usr/bin/suite_test_signal", "sig_forged_zero_frame")
    refused = [r for r in recs if r["type"] == "syscall" and r["name"] == "rt_sigreturn"]
    assert refused and all(r["ret"] == 0 for r in refused), refused
    assert any(r["type"] == "sigdeliver" and r["sig"] == 11 for r in recs)


# ---- How comparisons see signal records ----

def with_signals(version: int, deliver_action: str, pids: dict[str, int] = PIDS_A) -> str:
    """The synthetic shell scenario with a SIGCHLD from echo to the shell, caught."""
    sc_ = shell_scenario()
    child = sc_["init/1/1"]
    child.insert(len(child) - 1, {"type": "signal", "to": P("init/1"), "sig": SIGCHLD, "code": 1})
    shell_evs = sc_["init/1"]
    shell_evs.insert(4, {"type": "sigdeliver", "sig": SIGCHLD, "action": deliver_action})
    lines = build(sc_, pids).splitlines(keepends=True)
    boot_rec = json.loads(lines[0])
    boot_rec["format"] = version
    lines[0] = json.dumps(boot_rec) + "\n"
    return "".join(lines)


def plain(version: int) -> str:
    lines = build(shell_scenario(), PIDS_A).splitlines(keepends=True)
    boot_rec = json.loads(lines[0])
    boot_rec["format"] = version
    return json.dumps(boot_rec) + "\n" + "".join(lines[1:])


def test_v3_goldens_see_a_changed_signal_action(fixture_abi: Abi, rules: Rules) -> None:
    golden = loads(with_signals(3, "handler"))
    assert behaviour_diff(golden, loads(with_signals(3, "handler")), fixture_abi, rules).ok
    d = behaviour_diff(golden, loads(with_signals(3, "ignore")), fixture_abi, rules)
    assert not d.ok and d.divergences[0].proc == "init/1"


def test_v3_signal_target_is_named_canonically(fixture_abi: Abi, rules: Rules) -> None:
    other_pids = {"init": 1, "init/1": 40, "init/1/1": 41}
    golden = loads(with_signals(3, "handler"))
    assert behaviour_diff(golden, loads(with_signals(3, "handler", other_pids)), fixture_abi, rules).ok
    # A signal to another process than the golden's is a change.
    to_init = with_signals(3, "handler").replace('"to": 2', '"to": 1')
    assert not behaviour_diff(golden, loads(to_init), fixture_abi, rules).ok


def test_v2_goldens_do_not_see_signal_records(fixture_abi: Abi, rules: Rules) -> None:
    assert behaviour_diff(loads(plain(2)), loads(with_signals(3, "ignore")), fixture_abi, rules).ok
    # ... but everything else still shows.
    changed = with_signals(3, "ignore").replace('"data": "hi\\n"', '"data": "ho\\n"')
    assert not behaviour_diff(loads(plain(2)), loads(changed), fixture_abi, rules).ok


# ---- The shell-catches-sigint rule ----

def ev(data: dict[str, Any]) -> Event:
    return Event(data)


def sigaction_ev(sig: int = 2, oldact: str = "0x0", ret: int = 0) -> Event:
    return ev({"type": "syscall", "name": "rt_sigaction",
               "args": {"sig": sig, "act": "<ptr>", "oldact": oldact, "sigsetsize": 8}, "ret": ret})


def execve_ev(path: str) -> Event:
    return ev({"type": "syscall", "name": "execve", "args": {"path": path}, "ret": 0})


def shell_rule(rules: Rules) -> Rule:
    return next(r for r in rules.rewrites if r.id == "shell-catches-sigint")


def test_rule_absorbs_the_shells_sigint_handler_only(rules: Rules) -> None:
    rule = shell_rule(rules)
    streams = {"init/1": [execve_ev("/bin/shell"), sigaction_ev()],
               "init/1/1": [execve_ev("/bin/cat"), sigaction_ev()]}
    out = apply_rule(streams, rule)
    assert out["init/1"] == [execve_ev("/bin/shell")]
    assert out["init/1/1"] == streams["init/1/1"]          # another program keeps it


@pytest.mark.parametrize("changed", [sigaction_ev(sig=15), sigaction_ev(oldact="<ptr>"),
                                     sigaction_ev(ret=-22)])
def test_rule_keeps_any_other_sigaction(changed: Event, rules: Rules) -> None:
    streams = {"init/1": [execve_ev("/bin/shell"), changed]}
    assert apply_rule(streams, shell_rule(rules)) == streams

