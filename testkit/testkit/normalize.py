"""Normalize a trace into per-process behaviour, as declared in rules/mask.json.

The result maps each canonical process name (procs.py) to its events in the
process's own order; "kernel" holds the records of no process (halt, panic).
What is dropped or masked, and why, is data in rules/mask.json; this module
only implements the actions it names.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit.abi import Abi
from testkit.procs import ProcessTree, build_tree, load_creators
from testkit.trace import ERRNO_MIN, Trace

KERNEL = "kernel"          # stream name for records that belong to no process
MASK = "<ptr>"
ACTIONS = ("drop_field", "drop_record", "mask_ptr", "pid_name")


class RulesError(Exception):
    """A rules file is malformed."""


@dataclass(frozen=True)
class Event:
    """One normalized record.  Equality is on data only: seq is for display, and
    an event an equivalence rule wrote carries what it was made from (origin:
    (process, event) as normalized from its own trace) and the ids of the rules
    that wrote it, so a diff can show what was recorded."""
    data: dict[str, Any]
    seq: int = field(compare=False, default=-1)
    origin: tuple[tuple[str, "Event"], ...] = field(compare=False, default=())
    rules: tuple[str, ...] = field(compare=False, default=())


Streams = dict[str, list[Event]]


@dataclass
class Rules:
    """Masking rules, the calls that create processes, and equivalence rewrites."""
    mask: list[dict[str, Any]]
    creators: tuple[str, ...]
    rewrites: list[Any]            # rulelang.Rule, in order
    dir: Path


def default_rules_dir() -> Path:
    return Path(__file__).resolve().parent / "rules"


def load_rules(rules_dir: Path | None = None) -> Rules:
    """Read rules/mask.json, processes.json and equivalence/*.json (in their order); RulesError if malformed."""
    from testkit.rulelang import load_rule_dir    # it imports this module
    d = rules_dir or default_rules_dir()
    try:
        mask = json.loads((d / "mask.json").read_text())["rules"]
        creators = load_creators(d)
    except (OSError, KeyError, json.JSONDecodeError) as e:
        raise RulesError(f"{d}: {e}") from None
    rewrites = load_rule_dir(d / "equivalence")
    for rule in mask:
        if rule.get("action") not in ACTIONS or not rule.get("why"):
            raise RulesError(f"{d}/mask.json: rule {rule.get('id')!r} needs a known action and a why")
    return Rules(mask, creators, rewrites, d)


def copy_json(v: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists, scalars): deepcopy's work, a
    fraction of its cost on traces of thousands of records."""
    if isinstance(v, dict):
        return {k: copy_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [copy_json(x) for x in v]
    return v


def normalize(trace: Trace, abi: Abi, rules: Rules, mask_pointers: bool = True) -> Streams:
    """Per canonical process, its normalized events; mask_pointers=False keeps addresses (for show)."""
    tree = build_tree(trace, rules.creators)
    streams: Streams = {name: [] for name in tree.procs}
    for rec in trace.records:
        if any(r["action"] == "drop_record" and r["record"] == rec["type"] for r in rules.mask):
            continue
        data = copy_json(rec)
        for rule in rules.mask:
            if rule["action"] == "mask_ptr" and mask_pointers:
                _mask_ptr(data, rule, abi)
            elif rule["action"] == "pid_name":
                _pid_name(data, rule, abi, tree)
        for rule in rules.mask:
            if rule["action"] == "drop_field" and not _is_exception(rec, rule):
                data.pop(rule["field"], None)
        owner = tree.owner.get(rec["seq"], KERNEL)
        streams.setdefault(owner, []).append(Event(data, rec["seq"]))
    return streams


def _is_exception(rec: dict[str, Any], rule: dict[str, Any]) -> bool:
    """Whether rec has every member of the rule's "unless" (a field kept where it
    is the only identity: the nr of a call the table does not know, name null)."""
    unless = rule.get("unless")
    return bool(unless) and all(k in rec and rec[k] == v for k, v in unless.items())


def _is_error(ret: Any) -> bool:
    return type(ret) is int and ERRNO_MIN <= ret <= -1


def _arg_kinds(data: dict[str, Any], abi: Abi) -> dict[str, str]:
    call = abi.call(data.get("name", "")) if data["type"] == "syscall" else None
    return dict(call.args) if call else {}


def _ret_kind(data: dict[str, Any], abi: Abi) -> str | None:
    call = abi.call(data.get("name", "")) if data["type"] == "syscall" else None
    return call.ret if call else None


def _mask_ptr(data: dict[str, Any], rule: dict[str, Any], abi: Abi) -> None:
    """Replace addresses selected by rule with MASK (values in rule["keep"] stay)."""
    keep = rule.get("keep", [])
    if "arg_kind" in rule:
        for name, kind in _arg_kinds(data, abi).items():
            v = data["args"].get(name)
            if kind == rule["arg_kind"] and isinstance(v, str) and v not in keep:
                data["args"][name] = MASK
    elif "ret_kind" in rule:
        if _ret_kind(data, abi) == rule["ret_kind"] and "ret" in data and not _is_error(data["ret"]):
            data["ret"] = MASK
    elif rule.get("value") == "fault":
        for v in data.get("args", {}).values():
            for item in v if isinstance(v, list) else [v]:      # argv elements too
                if isinstance(item, dict) and "fault" in item:
                    item["fault"] = MASK
    elif "record" in rule:
        if data["type"] == rule["record"]:
            for f in rule["fields"]:
                if f in data:
                    data[f] = MASK


def _pid_name(data: dict[str, Any], rule: dict[str, Any], abi: Abi, tree: ProcessTree) -> None:
    """Replace pids of processes of this trace by their canonical names."""
    seq = data["seq"]
    if "arg_kind" in rule:
        for name, kind in _arg_kinds(data, abi).items():
            if kind == rule["arg_kind"]:
                group = data.get("name") in rule.get("group_calls", ())
                data["args"][name] = _name_or_value(data["args"].get(name), seq, tree, group)
    elif "ret_kind" in rule and _ret_kind(data, abi) == rule["ret_kind"] and "ret" in data:
        data["ret"] = _name_or_value(data["ret"], seq, tree)
    elif "record" in rule and data["type"] == rule["record"]:
        for f in rule["fields"]:
            if f in data:
                data[f] = _name_or_value(data[f], seq, tree)


def _name_or_value(v: Any, seq: int, tree: ProcessTree, group: bool = False) -> Any:
    """A pid of the trace as its process's name; with group (an argument where
    -PGID names a process group: kill, wait4), -PGID as "-" and the name of
    the group's leader; else v (a negative result is an errno, never a group)."""
    if type(v) is not int or v in (0, -1) or (v < 0 and not group):
        return v
    name = tree.name_at(abs(v), seq)
    if name is None:
        return v
    return name if v > 0 else "-" + name
