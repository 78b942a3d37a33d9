"""Equivalence rewrites: which rules apply to a comparison, and applying them.

The rules are data in rules/equivalence/*.json, written in the rule language
(rulelang.py reads them, rule_engine.py applies them; docs/trace-equivalence.md).
Comparison applies every rule in force, in its order, to both the golden and
the current streams, so two spellings of one behaviour become one.
"""
from __future__ import annotations

from fnmatch import fnmatchcase

from testkit.normalize import Streams
from testkit.rule_engine import apply_rule
from testkit.rulelang import Rule


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


def apply_rewrites(streams: Streams, rules: list[Rule], counts: dict[str, int] | None = None) -> Streams:
    """streams after every rule, in the order given; counts (if given) gets the
    number of rewrites each rule made."""
    for rule in rules:
        streams = apply_rule(streams, rule, counts)
    return streams
