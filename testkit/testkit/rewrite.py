"""Equivalence rewrites: data-driven transformations of normalized streams.

Each rule (a JSON file in rules/equivalence/) has a "kind" that selects one
rewriter below and a "why".  Comparison applies every rule to both the golden
and the current streams, so two spellings of one behaviour become one.  A
rewriter sees all streams at once, because a rule may move events between
processes (spawn_args in P = fork in P + execve in the child).
"""
from __future__ import annotations

from typing import Any, Callable

from testkit.normalize import Event, RulesError, Streams
from testkit.spawn_rule import fork_exec_as_spawn

Rewriter = Callable[[Streams, dict[str, Any]], Streams]


def _rewriters() -> dict[str, Rewriter]:
    """Rule kind -> rewriter.  A new kind of equivalence is one more entry."""
    return {"drop_calls": drop_calls, "drop_program_events": drop_program_events,
            "fork_exec_as_spawn": fork_exec_as_spawn, "merge_reads": merge_reads}


def apply_rewrites(streams: Streams, rules: list[dict[str, Any]]) -> Streams:
    """streams after every rule, in order; RulesError for an unknown kind."""
    table = _rewriters()
    for rule in rules:
        fn = table.get(rule.get("kind", ""))
        if fn is None:
            raise RulesError(f"equivalence rule {rule.get('id')!r}: unknown kind {rule.get('kind')!r}")
        streams = fn(streams, rule)
    return streams


def drop_calls(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Remove syscall events named in rule["calls"] (calls with no visible effect)."""
    names = set(rule["calls"])
    return {proc: [e for e in evs if not (e.data["type"] == "syscall" and e.data["name"] in names)]
            for proc, evs in streams.items()}


def _matches(data: dict[str, Any], pattern: dict[str, Any]) -> bool:
    """Every member of pattern is in data with that value (args compared member by member)."""
    for key, want in pattern.items():
        if key == "args":
            args = data.get("args", {})
            if any(args.get(k, object()) != v for k, v in want.items()):
                return False
        elif data.get(key, object()) != want:
            return False
    return True


def drop_program_events(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Remove, from processes running rule["program"] (the path of their last
    successful execve), the events matching one of rule["events"] exactly."""
    out: Streams = {}
    for proc, evs in streams.items():
        program, kept = None, []
        for ev in evs:
            d = ev.data
            if d.get("type") == "syscall" and d.get("name") == "execve" and d.get("ret") == 0:
                program = d["args"].get("path")
            if program == rule["program"] and any(_matches(d, p) for p in rule["events"]):
                continue
            kept.append(ev)
        out[proc] = kept
    return out


def _mergeable(ev: Event, calls: set[str]) -> bool:
    d = ev.data
    return (d.get("type") == "syscall" and d.get("name") in calls and not d.get("input")
            and type(d.get("ret")) is int and d["ret"] > 0 and "data" in d["args"].get("buf", {}))


def merge_reads(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Join runs of successful reads on one descriptor into one read (see the rule's why)."""
    calls = set(rule["calls"])
    out: Streams = {}
    for proc, evs in streams.items():
        merged: list[Event] = []
        for ev in evs:
            prev = merged[-1] if merged else None
            if (prev is not None and _mergeable(ev, calls) and _mergeable(prev, calls)
                    and prev.data["args"]["fd"] == ev.data["args"]["fd"]):
                merged[-1] = _join(prev, ev)
            else:
                merged.append(ev)
        out[proc] = merged
    return out


def _join(a: Event, b: Event) -> Event:
    data = dict(a.data)
    args = dict(a.data["args"])
    ba, bb = a.data["args"]["buf"], b.data["args"]["buf"]
    args["buf"] = {"data": ba["data"] + bb["data"], "len": ba["len"] + bb["len"]}
    data["args"] = args
    data["ret"] = a.data["ret"] + b.data["ret"]
    return Event(data, a.seq)
