"""`testkit rules check`: every constraint of every shipped rule is noticed by
a check case when loosened, and the check fails on an idle constraint, a wrong
case, and a rule without cases.  Pure: no QEMU (make test runs it)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from testkit.cli import main
from testkit.normalize import Rules, load_rules
from testkit.rules_check import check, loosenings
from testkit.rulelang import compile_rule


def test_every_constraint_of_every_rule_is_noticed(rules: Rules) -> None:
    assert check(rules) == []


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    shutil.copytree(load_rules().dir, d)
    return d


def _edit(path: Path, fn: Any) -> None:
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc))


def test_an_idle_constraint_is_reported(tmp_path: Path) -> None:
    """Every read of the cases has count 64: a condition on it is never tested."""
    d = _copy(tmp_path)
    _edit(d / "equivalence" / "merge-split-reads.json",
          lambda r: r["patterns"][0]["match"][1]["args"].__setitem__("count", 64))
    problems = check(load_rules(d), ["merge-split-reads"])
    assert problems == [f"{d / 'equivalence' / 'merge-split-reads.json'}: rule merge-split-reads: "
                        "pattern join: step 2: args.count = 64: no case notices it loosened"]


def test_a_case_the_rules_judge_otherwise_is_reported(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "checks" / "merge-split-reads.json",
          lambda c: c["cases"][0]["mutations"][0]["edits"][0]["set"].__setitem__("args.buf.data", "lo wor"))
    problems = check(load_rules(d), ["merge-split-reads"])
    assert any("a changed byte: the rules say same, the case says different" in p for p in problems), problems


def test_a_rule_without_cases_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _copy(tmp_path)
    (d / "checks" / "shell-catches-sigint.json").unlink()
    assert main(["--rules", str(d), "rules", "check", "shell-catches-sigint"]) == 1
    out = capsys.readouterr().out
    assert "rule shell-catches-sigint: no check cases" in out and "1 problems" in out


def test_an_unknown_rule_id_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "no-such-rule"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no rule no-such-rule" in err


def test_loosenings_widen_each_constraint_once() -> None:
    r = compile_rule({"id": "t", "order": 1, "why": "w", "patterns": [{"name": "p", "match": [
        {"call": "open", "args": {"flags": {"bits_set": ["O_CLOEXEC"], "bits_clear": [1]}}, "ret": "$fd"},
        {"where": "next_on_fd", "fd": "$fd", "call": "fcntl", "args": {"fd": "$fd", "cmd": "F_SETFD"}}],
        "emit": [{"from": 0}]}]}, "t.json")
    assert [x.what for x in loosenings(r)] == [
        "pattern p: step 1: call open",
        "pattern p: step 1: args.flags bits_set O_CLOEXEC",
        "pattern p: step 1: args.flags bits_clear 1",
        "pattern p: step 2: call fcntl",
        "pattern p: step 2: where next_on_fd (widened to any later event)",
        "pattern p: step 2: args.fd = $fd",
        'pattern p: step 2: args.cmd = "F_SETFD"',
    ]
