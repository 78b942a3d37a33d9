"""Intended differences between Linux and Levitate (rules/linux/*.json).

Rules in the equivalence rule language (rulelang.py, docs/trace-equivalence.md),
applied to both sides of a diff before the equivalence rules, and only when one
side was recorded on Linux (its boot record's kernel is "linux ...").  Unlike an
equivalence rule, a Linux rule may absorb an event anywhere (absorb_anywhere):
a call one kernel never makes (the vDSO's clock_gettime), a record one tracer
never writes (a fault).
"""
from __future__ import annotations

from pathlib import Path

from testkit.normalize import Streams
from testkit.rewrite import apply_rewrites
from testkit.rulelang import Rule, load_rule_dir
from testkit.trace import Trace


def is_linux(trace: Trace) -> bool:
    """Whether the trace was recorded on Linux (testkit record --on linux)."""
    return str(trace.boot().get("kernel", "")).startswith("linux ")


def load_linux_rules(rules_dir: Path) -> list[Rule]:
    """rules_dir/linux/*.json in their order; RulesError if one is malformed."""
    return load_rule_dir(rules_dir / "linux", anywhere_ok=True)


def apply_linux_rules(streams: Streams, rules: list[Rule], counts: dict[str, int] | None = None) -> Streams:
    """streams after every Linux rule, in order."""
    return apply_rewrites(streams, rules, counts)
