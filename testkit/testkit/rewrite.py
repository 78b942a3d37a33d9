"""Equivalence rewrites: which rules apply to a comparison, and applying them.

The rules are data in rules/equivalence/*.json, written in the rule language
(rulelang.py reads them, rule_engine.py applies them; docs/trace-equivalence.md).
Comparison applies every rule in force, in its order, to both the golden and
the current streams, so two spellings of one behaviour become one.
"""
from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from testkit.normalize import Streams
from testkit.rule_engine import apply_rule
from testkit.gitutil import git_ok
from testkit.rulelang import Rule

REPO = Path(__file__).resolve().parents[2]
_HEX = re.compile(r"[0-9a-f]{7,40}")


def _uses_any(streams: Streams, calls: set[str]) -> bool:
    return any(e.data.get("type") == "syscall" and e.data.get("name") in calls
               for evs in streams.values() for e in evs)


def rules_between(a: Streams, b: Streams, rules: list[Rule], golden: str | None = None) -> list[Rule]:
    """The rules in force comparing golden a with b: those whose goldens globs
    match the golden's name (any, when it has none), and, for a rule with
    era_calls, only when exactly one of the two makes one of those calls."""
    out = []
    for rule in rules:
        if golden is not None and not any(fnmatchcase(golden, g) for g in rule.goldens):
            continue
        if rule.era_calls is None or _uses_any(a, set(rule.era_calls)) != _uses_any(b, set(rule.era_calls)):
            out.append(rule)
    return out


# A trace's recorded_from that counts as recorded before every rule's commit
# (the rules check's golden side: its cases stand for old goldens).
BEFORE_EVERY_RULE = "before-every-rule"


def rules_for_trace(rules: list[Rule], recorded_from: str | None) -> list[Rule]:
    """The rules that may rewrite a trace recorded from commit recorded_from: a
    rule with applies_to.recorded_before only when that commit is the rule's
    or one of its ancestors.  A trace whose commit is unknown (a fresh
    recording of a commit after the rule's, one from Linux, a commit git cannot
    find) is not rewritten by such a rule, so a kernel that went back to its
    old answer shows a divergence."""
    return [r for r in rules if r.recorded_before is None or
            _recorded_before(recorded_from, r.recorded_before)]


@lru_cache(maxsize=256)
def _recorded_before(recorded_from: str | None, commit: str) -> bool:
    if recorded_from == BEFORE_EVERY_RULE:
        return True
    commit_of = (recorded_from or "").removesuffix("-dirty")   # recorded with edits on top of it
    if not _HEX.fullmatch(commit_of):
        return False
    return git_ok(REPO, "merge-base", "--is-ancestor", commit_of, commit)


def apply_rewrites(streams: Streams, rules: list[Rule], counts: dict[str, int] | None = None) -> Streams:
    """streams after every rule, in the order given; counts (if given) gets the
    number of rewrites each rule made."""
    for rule in rules:
        streams = apply_rule(streams, rule, counts)
    return streams
