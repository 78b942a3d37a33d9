"""Intended differences between Linux and Levitate (rules/linux/*.json).

Applied, like the equivalence rules, to both sides of a diff, and only when
one side was recorded on Linux (its boot record's kernel is "linux ...").
Each rule file is {"id", "kind", "why", ...}; the kinds are below.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from testkit.normalize import RulesError, Streams
from testkit.rewrite import drop_calls
from testkit.trace import Trace

LinuxRewriter = Callable[[Streams, dict[str, Any]], Streams]


def is_linux(trace: Trace) -> bool:
    """Whether the trace was recorded on Linux (testkit record --on linux)."""
    return str(trace.boot().get("kernel", "")).startswith("linux ")


def load_linux_rules(rules_dir: Path) -> list[dict[str, Any]]:
    """rules_dir/linux/*.json, each checked for a known kind and a why."""
    rules = []
    for p in sorted((rules_dir / "linux").glob("*.json")):
        try:
            rule = json.loads(p.read_text())
        except (OSError, json.JSONDecodeError) as e:
            raise RulesError(f"{p}: {e}") from None
        if rule.get("kind") not in _kinds() or not rule.get("why"):
            raise RulesError(f"{p}: rule {rule.get('id')!r} needs a known kind and a why")
        rules.append(rule)
    return rules


def _kinds() -> dict[str, LinuxRewriter]:
    return {"drop_launch": drop_launch, "drop_calls": drop_calls}


def apply_linux_rules(streams: Streams, rules: list[dict[str, Any]]) -> Streams:
    for rule in rules:
        streams = _kinds()[rule["kind"]](streams, rule)
    return streams


def drop_launch(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Drop rule["proc"]'s first event when it is a successful rule["call"] of rule["path"]."""
    out = dict(streams)
    evs = out.get(rule["proc"], [])
    if evs:
        d = evs[0].data
        if (d.get("type") == "syscall" and d.get("name") == rule["call"]
                and d.get("args", {}).get("path") == rule["path"] and d.get("ret") == 0):
            out[rule["proc"]] = evs[1:]
    return out
