"""Judge a Levitate outcome against Linux's: stdout and exit status.

stderr is kept for reading but not compared: BusyBox's messages carry the
script's path and line, and they are where the two kernels may legitimately
word an error differently; what a user's script sees is its stdout and $?.

Differences that are the environment's, not the kernel's (the kernel's name,
the host name) are declared in conformance/rules.json, each with a reason:

  {"id": "...", "scenarios": ["name", ...], "reason": "...",
   "linux": "REGEX", "levitate": "REGEX", "token": "<NAME>",
   "examples": {"linux": "TEXT", "levitate": "TEXT"}}

In the named scenarios' stdout, every match of the side's regex is replaced
by the token before comparing.  A rule hides only what its regexes match:
the rest of the output is still compared byte for byte, and a rule whose
regex matches nothing on its side is reported (it would hide a change).
The examples are what each side prints; the tests build a Levitate output
from Linux's with them and prove that the rule hides nothing else
(conformance/tests/test_rules.py).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .guestrun import Outcome

RULES = Path(__file__).resolve().parent / "rules.json"
SIDES = ("linux", "levitate")

SAME, DIFFERS, FAILS = "same", "differs", "fails"


@dataclass(frozen=True)
class Rule:
    """A declared environment difference (see the module docstring)."""
    id: str
    scenarios: tuple[str, ...]
    reason: str
    patterns: dict[str, re.Pattern[bytes]]
    token: bytes
    examples: dict[str, bytes]


@dataclass
class Verdict:
    """same / differs / fails, with what differs or why it failed, and the
    rules that were applied."""
    name: str
    result: str
    detail: str = ""
    rules: tuple[str, ...] = ()


def parse_rules(doc: list[dict[str, object]]) -> list[Rule]:
    """Rules from their JSON form; ValueError naming the bad rule."""
    rules = []
    for i, r in enumerate(doc):
        try:
            rid, reason, token = str(r["id"]), str(r["reason"]), str(r["token"])
            scen = tuple(str(s) for s in r["scenarios"])  # type: ignore[union-attr]
            pats = {side: re.compile(str(r[side]).encode(), re.M) for side in SIDES}
            examples = {side: str(r["examples"][side]).encode()  # type: ignore[index]
                        for side in SIDES}
        except (KeyError, TypeError, re.error) as err:
            raise ValueError(f"rules.json entry {i}: {err}") from None
        if not reason.strip() or not scen:
            raise ValueError(f"rules.json entry {i} ({rid}): needs a reason and scenarios")
        for side in SIDES:
            if not pats[side].fullmatch(examples[side]):
                raise ValueError(f"rules.json entry {i} ({rid}): the {side} example does not "
                                 f"match its regex")
        rules.append(Rule(rid, scen, reason, pats, token.encode(), examples))
    return rules


def load_rules(path: Path = RULES) -> list[Rule]:
    """The declared rules."""
    return parse_rules(json.loads(path.read_text()))


def rules_for(rules: list[Rule], name: str) -> list[Rule]:
    """The rules that apply to scenario name."""
    return [r for r in rules if name in r.scenarios]


def mask(data: bytes, rules: list[Rule], side: str) -> tuple[bytes, list[str]]:
    """data with each rule's side regex replaced by its token; and the ids of
    the rules that matched nothing (stale: they must be looked at)."""
    unmatched = []
    for r in rules:
        data, n = r.patterns[side].subn(r.token, data)
        if n == 0:
            unmatched.append(r.id)
    return data, unmatched


def first_difference(a: bytes, b: bytes) -> str:
    """Where two outputs first differ, as 'line N: linux ... / levitate ...'."""
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else None
        y = lb[i] if i < len(lb) else None
        if x != y:
            show = (lambda v: "(no line)" if v is None else repr(v.decode("utf-8", "replace")))
            return f"stdout line {i + 1}: Linux {show(x)}, Levitate {show(y)}"
    return "stdout differs"


def _first_line(data: bytes) -> str:
    """The first non-empty line of data, as text."""
    for line in data.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip()
    return ""


def judge(linux: Outcome, levitate: Outcome, rules: list[Rule]) -> Verdict:
    """Compare one scenario's outcomes.  fails: Levitate gave no result (hang,
    crash) or Linux has none to compare with; differs: status or stdout
    differ after the rules; same otherwise."""
    name = levitate.name
    if linux.failure:
        return Verdict(name, FAILS, f"no Linux result to compare with: {linux.failure}")
    if levitate.failure:
        return Verdict(name, FAILS, levitate.failure)
    mine = rules_for(rules, name)
    a, stale_a = mask(linux.stdout, mine, "linux")
    b, stale_b = mask(levitate.stdout, mine, "levitate")
    ids = tuple(r.id for r in mine)
    problems = []
    if linux.status != levitate.status:
        problems.append(f"status: Linux {linux.status}, Levitate {levitate.status}")
    if a != b:
        problems.append(first_difference(a, b))
    if problems and levitate.stderr != linux.stderr:
        problems.append("Levitate stderr: " + repr(_first_line(levitate.stderr)))
    if stale_a or stale_b:
        problems.append("rule matched nothing: " + ", ".join(sorted(set(stale_a + stale_b))))
    if problems:
        return Verdict(name, DIFFERS, "; ".join(problems), ids)
    return Verdict(name, SAME, "", ids)
