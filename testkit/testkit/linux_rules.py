"""Intended differences between Linux and Levitate (rules/linux/*.json).

Applied, like the equivalence rules, to both sides of a diff, and only when
one side was recorded on Linux (its boot record's kernel is "linux ...").
Each rule file is {"id", "kind", "why", ...}; the kinds are below.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from testkit.normalize import Event, RulesError, Streams
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
    return {"drop_launch": drop_launch, "drop_calls": drop_calls, "drop_records": drop_records,
            "drop_restarts": drop_restarts}


def apply_linux_rules(streams: Streams, rules: list[dict[str, Any]]) -> Streams:
    for rule in rules:
        streams = _kinds()[rule["kind"]](streams, rule)
    return streams


def _is_exec(ev: Event, path: str) -> bool:
    d = ev.data
    return (d.get("type") == "syscall" and d.get("name") == "execve"
            and d.get("args", {}).get("path") == path and d.get("ret") == 0)


def drop_launch(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Drop rule["proc"]'s first events when they are exactly: execve(launcher) = 0,
    calls named in rule["between"], execve(path) = 0.  Otherwise change nothing."""
    out = dict(streams)
    evs = out.get(rule["proc"], [])
    if not evs or not _is_exec(evs[0], rule["launcher"]):
        return out
    for i, ev in enumerate(evs[1:], 1):
        if _is_exec(ev, rule["path"]):
            out[rule["proc"]] = evs[i + 1:]
            return out
        if ev.data.get("type") != "syscall" or ev.data.get("name") not in rule["between"]:
            return out
    return out


def drop_calls(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Remove syscall events named in rule["calls"] (calls with no visible effect)."""
    names = set(rule["calls"])
    return {proc: [e for e in evs if not (e.data["type"] == "syscall" and e.data["name"] in names)]
            for proc, evs in streams.items()}


def drop_records(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Remove every record whose type is in rule["records"]."""
    kinds = set(rule["records"])
    return {proc: [e for e in evs if e.data.get("type") not in kinds] for proc, evs in streams.items()}


def drop_restarts(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Interrupted attempts the kernel restarted, as the program saw them (see the rule's why)."""
    errors = set(rule["errors"])
    out: Streams = {}
    for proc, evs in streams.items():
        kept: list[Event] = []
        for i, ev in enumerate(evs):
            if kept and _restarted(kept[-1], errors) and _is_call(ev, "restart_syscall"):
                kept[-1] = _with_result(kept[-1], ev)
                continue
            nxt = evs[i + 1] if i + 1 < len(evs) else None
            if _restarted(ev, errors) and nxt is not None and _is_call(nxt, ev.data["name"]):
                continue
            kept.append(ev)
        out[proc] = kept
    return out


def _is_call(ev: Event, name: str) -> bool:
    return ev.data.get("type") == "syscall" and ev.data.get("name") == name


def _restarted(ev: Event, errors: set[str]) -> bool:
    return ev.data.get("type") == "syscall" and ev.data.get("err") in errors


def _with_result(call: Event, restart: Event) -> Event:
    """The interrupted call with the result restart_syscall gave."""
    data = {k: v for k, v in call.data.items() if k not in ("ret", "err")}
    for k in ("ret", "err"):
        if k in restart.data:
            data[k] = restart.data[k]
    return Event(data, call.seq)
