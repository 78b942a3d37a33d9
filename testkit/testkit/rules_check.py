"""`testkit rules check`: no constraint of an equivalence rule is idle.

For each rule, each of its constraints is loosened in turn (an argument
condition dropped, one bit of a flag test dropped, a variable's second use
dropped, "the next event" widened to "any later event", a child's "exactly"
widened to "starts with", a program condition dropped, a call name dropped) and
the rule's check cases (rules/checks/RULE.json) are compared again under the
loosened rule: some case must change verdict (usually a mutation the rule must
not hide now compares the same).  A constraint no case notices is reported,
and so is a case that is wrong under the real rules.  Pure: no QEMU.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from testkit.diff import compare
from testkit.linux_rules import load_linux_rules
from testkit.normalize import Event, Rules, RulesError, Streams
from testkit.rewrite import apply_rewrites
from testkit.rulelang import Rule, compile_rule

Path_ = list[Any]        # a path of keys/indices into a rule's JSON


@dataclass
class Case:
    """A pair of streams, and whether the rules must find them the same."""
    name: str
    golden: Streams
    current: Streams
    same: bool
    linux: bool = False            # one side is from Linux: the Linux rules apply


@dataclass
class Loosening:
    what: str
    raw: dict[str, Any]


# ---- the cases ----

def load_cases(path: Path) -> list[Case]:
    """The cases of one check file: each base pair (same) and its mutations (different)."""
    try:
        doc = json.loads(path.read_text())
        lin = bool(doc.get("linux", False))
        out = []
        for base in doc["cases"]:
            out.append(Case(base["name"], _streams(base["golden"]), _streams(base["current"]), True, lin))
            for m in base.get("mutations", []):
                g, c = copy.deepcopy(base["golden"]), copy.deepcopy(base["current"])
                for edit in m.get("edits", [m]):
                    _mutate(g if edit.get("side", "current") == "golden" else c, edit)
                out.append(Case(f"{base['name']}: {m['name']}", _streams(g), _streams(c), False, lin))
        return out
    except (OSError, json.JSONDecodeError, KeyError, IndexError, TypeError) as e:
        raise RulesError(f"{path}: not a check file ({type(e).__name__}: {e})") from None


def _streams(raw: dict[str, list[dict[str, Any]]]) -> Streams:
    return {proc: [Event(d) for d in evs] for proc, evs in raw.items()}


def _mutate(streams: dict[str, list[dict[str, Any]]], m: dict[str, Any]) -> None:
    """Apply one edit of a mutation to one side: set members of an event ("a.b":
    value, None removes), delete it, insert one before it, or replace a whole
    process (None deletes it)."""
    if "process" in m:
        if m["process"] is None:
            del streams[m["proc"]]
        else:
            streams[m["proc"]] = m["process"]
        return
    evs = streams[m["proc"]]
    k = m["event"]
    if m.get("delete"):
        del evs[k]
    elif "insert" in m:
        evs.insert(k, m["insert"])
    for dotted, value in m.get("set", {}).items():
        obj = evs[k]
        keys = dotted.split(".")
        for key in keys[:-1]:
            obj = obj[int(key)] if isinstance(obj, list) else obj[key]
        last = keys[-1]
        if isinstance(obj, list):
            obj[int(last)] = value
        elif value is None:
            obj.pop(last, None)
        else:
            obj[last] = value


# ---- loosening ----

def loosenings(rule: Rule) -> Iterator[Loosening]:
    """Every single loosening of the rule's constraints, described in the rule's words."""
    for p, pat in enumerate(rule.raw["patterns"]):
        bound: set[str] = set()
        where = f"pattern {pat.get('name', p + 1)}"
        for s, step in enumerate(pat["match"]):
            base: Path_ = ["patterns", p, "match", s]
            for what, path, new in _step_loosenings(step, bound, base, s > 0):
                yield Loosening(f"{where}: step {s + 1}: {what}", _replaced(rule.raw, path, new))


def _step_loosenings(step: dict[str, Any], bound: set[str], base: Path_,
                     sequenced: bool = False) -> Iterator[tuple[str, Path_, Any]]:
    """(what, path, loosened value) for each constraint of one step (or one
    alternative or child event: sequenced False, no "where")."""
    call = step.get("call")
    if isinstance(call, str) and call.startswith("$") and call not in bound:
        bound.add(call)                    # its first use binds the name: not a constraint
    elif call is not None:
        yield f"call {call}", base + ["call"], _DROP
    for key in ("at", "process"):
        if key in step:
            yield f"{key} {step[key]}", base + [key], _DROP
    if sequenced and step.get("where", "next") != "later" and not step.get("repeat"):
        yield f"where {step.get('where', 'next')} (widened to any later event)", base + ["where"], "later"
    if "program" in step:
        yield f"program {step['program']}", base + ["program"], _DROP
    for key in ("type", "args", "ret", "err", "input", "status"):
        if key in step:
            yield from _cond_loosenings(step[key], bound, base + [key], key)
    for a, alt in enumerate(step.get("any_of", [])):
        trial = set(bound)
        yield from _step_loosenings(alt, trial, base + ["any_of", a])
    for a, alt in enumerate(step.get("any_of", [])):
        _bind(alt, bound)
    child = step.get("child")
    if isinstance(child, dict) and "exactly" in child:
        yield "child exactly (widened to starts with)", base + ["child"], {"starts_with": child["exactly"]}
    if isinstance(child, dict):
        for key, items in child.items():
            for k, ev in enumerate(items if isinstance(items, list) else [items]):
                at = base + ["child", key] + ([k] if isinstance(items, list) else [])
                yield from ((f"child event {k + 1}: {w}", p, n)
                            for w, p, n in _step_loosenings(ev, bound, at + ["@child"]))


_DROP = object()
COND_OPS = {"any", "absent", "not", "one_of", "all_of", "gt", "ge", "lt", "le",
            "bits_set", "bits_clear", "mask", "is", "literal", "concat", "sum", "neg", "le32"}


def _cond_loosenings(c: Any, bound: set[str], path: Path_, what: str) -> Iterator[tuple[str, Path_, Any]]:
    """(what, path, loosened value) for each constraint inside one condition; bound gets the variables it binds."""
    any_: dict[str, Any] = {"any": True}
    if isinstance(c, str) and c.startswith("$"):
        if c in bound or c == "$ret":
            yield f"{what} = {c}", path, any_
        bound.add(c)
    elif isinstance(c, list):
        if not c:
            yield f"{what} = []", path, any_
        for k, x in enumerate(c):
            yield from _cond_loosenings(x, bound, path + [k], f"{what}[{k}]")
    elif isinstance(c, dict) and c and not set(c) & COND_OPS:
        for k, x in c.items():
            yield from _cond_loosenings(x, bound, path + [k], f"{what}.{k}")
    elif isinstance(c, dict) and "all_of" in c:
        for k, x in enumerate(c["all_of"]):
            yield from _cond_loosenings(x, bound, path + ["all_of", k], what)
    elif isinstance(c, dict) and ("bits_set" in c or "bits_clear" in c):
        for op in ("bits_set", "bits_clear"):
            bits = c.get(op, [])
            for k in range(len(bits) if isinstance(bits, list) else 1):
                fewer = copy.deepcopy(c)
                fewer[op] = [b for j, b in enumerate(bits) if j != k] if isinstance(bits, list) else []
                yield f"{what} {op} {bits[k] if isinstance(bits, list) else bits}", path, fewer
    elif isinstance(c, dict) and "any" in c:
        return
    else:
        yield f"{what} = {json.dumps(c)}", path, any_
        _bind(c, bound)


def _bind(c: Any, bound: set[str]) -> None:
    """Record the variables a condition binds (for what follows it)."""
    if isinstance(c, str) and c.startswith("$"):
        bound.add(c)
    elif isinstance(c, list):
        for x in c:
            _bind(x, bound)
    elif isinstance(c, dict):
        for x in c.values():
            _bind(x, bound)


def _replaced(raw: dict[str, Any], path: Path_, new: Any) -> dict[str, Any]:
    """A copy of raw with the member at path replaced by new (_DROP: removed)."""
    out = copy.deepcopy(raw)
    path = [k for k in path if k != "@child"]
    obj: Any = out
    for key in path[:-1]:
        obj = obj[key]
    if new is _DROP:
        del obj[path[-1]]
    else:
        obj[path[-1]] = new
    return out


# ---- the check ----

def verdict(case: Case, rules: list[Rule], linux: list[Rule]) -> bool:
    """Whether the rules find the case's two sides the same.  A case of a Linux
    rule has "linux" set: the Linux rules apply first, as in a diff with Linux."""
    g, c = case.golden, case.current
    if case.linux:
        g, c = apply_rewrites(g, linux), apply_rewrites(c, linux)
    return compare(g, c, rules).ok


def verdicts(cases: list[Case], rules: list[Rule], linux: list[Rule]) -> list[bool]:
    return [verdict(c, rules, linux) for c in cases]


def _noticed(cases: list[Case], rules: list[Rule], linux: list[Rule], real: list[bool], start: int) -> int | None:
    """The index of a case whose verdict under rules differs from real, or None.
    The search starts at start and wraps around: the cases are written in the
    order of the constraints, so the one that noticed the last loosening is near."""
    n = len(cases)
    for k in range(n):
        i = (start + k) % n
        if verdict(cases[i], rules, linux) != real[i]:
            return i
    return None


def check(rules: Rules, only: list[str] | None = None) -> list[str]:
    """The problems found, one line each (empty: every constraint of every rule,
    equivalence and Linux, or of the rules whose ids are in only, is noticed)."""
    linux = load_linux_rules(rules.dir)
    unknown = sorted(set(only or []) - {r.id for r in rules.rewrites + linux})
    if unknown:
        raise RulesError(f"{rules.dir}: no rule {unknown[0]}")
    problems: list[str] = []
    for i, rule in enumerate(rules.rewrites + linux):
        if not only or rule.id in only:
            problems += _check_rule(rules, linux, i, rule)
    return problems


def _check_rule(rules: Rules, linux: list[Rule], i: int, rule: Rule) -> list[str]:
    """The problems of one rule (index i in the equivalence rules, then the Linux ones)."""
    path = rules.dir / "checks" / f"{rule.id}.json"
    if not path.exists():
        return [f"{rule.source}: rule {rule.id}: no check cases ({path})"]
    cases = load_cases(path)
    everything = rules.rewrites + linux
    real = verdicts(cases, *_split(everything, len(rules.rewrites)))
    problems = [f"{path}: {c.name}: the rules say {'same' if ok else 'different'}, the case says "
                f"{'same' if c.same else 'different'}" for c, ok in zip(cases, real) if ok != c.same]
    start = 0
    for loose in loosenings(rule):
        try:
            trial = compile_rule(loose.raw, rule.source, loosened=True, anywhere_ok=i >= len(rules.rewrites))
        except RulesError:
            trial = None
        rules_now = everything[:i] + [trial] + everything[i + 1:] if trial else None
        found = _noticed(cases, *_split(rules_now, len(rules.rewrites)), real, start) if rules_now else None
        if found is None:
            problems.append(f"{rule.source}: rule {rule.id}: {loose.what}: no case notices it loosened")
        else:
            start = found
    return problems


def _split(everything: list[Rule], n: int) -> tuple[list[Rule], list[Rule]]:
    """(equivalence rules, Linux rules) of one list."""
    return everything[:n], everything[n:]
