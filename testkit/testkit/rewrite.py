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
            "fork_exec_as_spawn": fork_exec_as_spawn, "merge_reads": merge_reads,
            "merge_relays": merge_relays}


def _uses_any(streams: Streams, calls: set[str]) -> bool:
    return any(e.data.get("type") == "syscall" and e.data.get("name") in calls
               for evs in streams.values() for e in evs)


def rules_between(a: Streams, b: Streams, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules that apply to comparing a with b.  A rule with "era_calls" bridges
    two eras: it applies only when exactly one of the two makes one of those calls."""
    out = []
    for rule in rules:
        era = rule.get("era_calls")
        if era is None or _uses_any(a, set(era)) != _uses_any(b, set(era)):
            out.append(rule)
    return out


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


def _relay_at(evs: list[Event], i: int, rule: dict[str, Any]) -> tuple[int, int] | None:
    """(read fd, write fd) if evs[i], evs[i+1] are a read and the complete write of its bytes."""
    if i + 1 >= len(evs) or not _mergeable(evs[i], set(rule["reads"])):
        return None
    rd, wr = evs[i].data, evs[i + 1].data
    if not _mergeable(evs[i + 1], set(rule["writes"])):
        return None
    if wr["args"]["buf"]["data"] != rd["args"]["buf"]["data"] or wr["ret"] != rd["ret"]:
        return None
    return rd["args"]["fd"], wr["args"]["fd"]


def merge_relays(streams: Streams, rule: dict[str, Any]) -> Streams:
    """Join runs of read+write relay pairs between the same two descriptors (see the rule's why)."""
    out: Streams = {}
    for proc, evs in streams.items():
        merged: list[Event] = []
        i, last = 0, None
        while i < len(evs):
            pair = _relay_at(evs, i, rule)
            if pair is not None and pair == last:
                merged[-2] = _join(merged[-2], evs[i])
                merged[-1] = _join_write(merged[-1], evs[i + 1])
                i += 2
            elif pair is not None:
                merged += evs[i:i + 2]
                last, i = pair, i + 2
            else:
                merged.append(evs[i])
                last, i = None, i + 1
        out[proc] = merged
    return out


def _join_write(a: Event, b: Event) -> Event:
    """Two complete writes as one: data joined, count and ret summed."""
    joined = _join(a, b)
    args = dict(joined.data["args"])
    if type(args.get("count")) is int:
        args["count"] = a.data["args"]["count"] + b.data["args"]["count"]
    return Event(dict(joined.data, args=args), a.seq)
