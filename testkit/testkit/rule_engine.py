"""The rule engine: apply rules (rulelang.py) to normalized streams.

For each rule in order, each process is scanned from its first event (parents
before children); at each position the rule's patterns are tried in order, and
the first that matches is rewritten.  A rewrite that absorbed events is tried
again at the same position (so a run of split reads joins into one); one that
did not moves past what it emitted, so no rule can loop.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from testkit.normalize import Event, Streams
from testkit.proc_edit import delete_child, drop_first_event
from testkit.rulelang import Pattern, Rule
from testkit.trace import ERRNO_MIN

MISSING = object()
Env = dict[str, Any]


class Unbound(Exception):
    """An expression has no value here: a variable the match did not bind (only
    in a loosened rule), or operands of the wrong type for the recorded data (a
    sum of strings): the condition fails, the rewrite is not made."""


@dataclass
class Match:
    """Where a pattern matched: event positions in the process, the child it
    reached (if any), and the variables bound."""
    positions: list[int]                   # every matched event (a repeated step's too)
    env: Env
    child_events: list[tuple[str, Event]] = field(default_factory=list)
    at: list[int] = field(default_factory=list)    # step index -> its event (a repeated step: -1)


# ---- conditions ----

def cond_ok(cond: Any, value: Any, env: Env, ev: dict[str, Any]) -> bool:
    """Whether value (MISSING if absent) satisfies cond; binds variables in env."""
    if isinstance(cond, str) and cond.startswith("$"):
        if value is MISSING:
            return False
        if cond == "$ret":
            return value == ev.get("ret", MISSING)
        if cond in env:
            return bool(env[cond] == value)
        env[cond] = value
        return True
    if isinstance(cond, list):
        return (isinstance(value, list) and len(value) == len(cond)
                and all(cond_ok(c, v, env, ev) for c, v in zip(cond, value)))
    if isinstance(cond, dict):
        return _dict_ok(cond, value, env, ev)
    return value is not MISSING and type(value) is type(cond) and value == cond


def _dict_ok(cond: dict[str, Any], value: Any, env: Env, ev: dict[str, Any]) -> bool:
    """An object condition: an expression (equal to its value), operators (all must hold), or members matched one by one."""
    op = next(iter(cond), None)
    if op in ("concat", "sum", "neg", "le32", "literal"):
        try:
            return value is not MISSING and evaluate(cond, env, ev) == value
        except Unbound:
            return False
    if op in OPS:
        return all(OPS[k](arg, value, env, ev) for k, arg in cond.items()) and _mask_is(cond, value)
    if not isinstance(value, dict):
        return False
    return all(cond_ok(c, value.get(k, MISSING), env, ev) for k, c in cond.items())


def _is_int(v: Any) -> bool:
    return type(v) is int


def _alternatives(conds: list[Any], value: Any, env: Env, ev: dict[str, Any]) -> bool:
    """one_of: the first condition that holds binds its variables; none: False, env unchanged."""
    for c in conds:
        trial = dict(env)
        if cond_ok(c, value, trial, ev):
            env.update(trial)
            return True
    return False


OPS: dict[str, Any] = {
    "any": lambda a, v, env, ev: True,
    "absent": lambda a, v, env, ev: (v is MISSING) == bool(a),
    "not": lambda a, v, env, ev: not cond_ok(a, v, dict(env), ev),
    "one_of": _alternatives,
    "all_of": lambda a, v, env, ev: all(cond_ok(c, v, env, ev) for c in a),
    "gt": lambda a, v, env, ev: _is_int(v) and v > a,
    "ge": lambda a, v, env, ev: _is_int(v) and v >= a,
    "lt": lambda a, v, env, ev: _is_int(v) and v < a,
    "le": lambda a, v, env, ev: _is_int(v) and v <= a,
    "bits_set": lambda a, v, env, ev: _is_int(v) and all(v & b == b for b in a),
    "bits_clear": lambda a, v, env, ev: _is_int(v) and all(v & b == 0 for b in a),
    "mask": lambda a, v, env, ev: _is_int(v),
    "is": lambda a, v, env, ev: True,
}


def _mask_is(cond: dict[str, Any], value: Any) -> bool:
    return "mask" not in cond or (_is_int(value) and value & cond["mask"] == cond["is"])


# ---- expressions ----

def evaluate(expr: Any, env: Env, ev: dict[str, Any]) -> Any:
    """The value of an emit/condition expression under env; Unbound if a variable is not bound."""
    if isinstance(expr, str) and expr.startswith("$"):
        if expr == "$ret":
            return ev.get("ret")
        if expr not in env:
            raise Unbound(expr)
        return env[expr]
    if isinstance(expr, list):
        return [evaluate(x, env, ev) for x in expr]
    if not isinstance(expr, dict):
        return expr
    if set(expr) == {"literal"}:
        return expr["literal"]
    op = next(iter(expr), None)
    try:
        return _operate(op, expr, env, ev)
    except (TypeError, struct.error, OverflowError) as e:
        raise Unbound(f"{op}: {e}") from None


def _operate(op: str | None, expr: dict[str, Any], env: Env, ev: dict[str, Any]) -> Any:
    """The value of one expression operator (TypeError when its operands do not fit)."""
    if op == "concat":
        parts = [evaluate(x, env, ev) for x in expr[op]]
        return "".join(parts) if all(isinstance(p, str) for p in parts) else sum(parts, [])
    if op == "sum":
        nums = [evaluate(x, env, ev) for x in expr[op]]
        if not all(type(n) is int for n in nums):
            raise TypeError("sum of non-numbers")
        return sum(nums)
    if op == "neg":
        return -_int(evaluate(expr[op], env, ev))
    if op == "le32":
        return struct.pack("<i", _int(evaluate(expr[op], env, ev))).decode("latin-1")
    return {k: evaluate(v, env, ev) for k, v in expr.items()}


def _int(v: Any) -> int:
    if type(v) is not int:
        raise TypeError(f"{v!r} is not a number")
    return v


# ---- events and steps ----

def fields_ok(pat: dict[str, Any], data: dict[str, Any], env: Env) -> bool:
    """Whether one event's data satisfies a step's field conditions (call, args, ret...)."""
    call = pat.get("call")
    if isinstance(call, str) and call.startswith("$"):
        if data.get("type") != "syscall" or not cond_ok(call, data.get("name", MISSING), env, data):
            return False
    elif call is not None:
        names = [call] if isinstance(call, str) else call
        if data.get("type") != "syscall" or data.get("name") not in names:
            return False
    elif "type" not in pat and data.get("type") != "syscall":
        return False
    for key in ("type", "args", "ret", "err", "input", "status"):
        if key in pat and not cond_ok(pat[key], data.get(key, MISSING), env, data):
            return False
    if "any_of" in pat:
        return _any_of(pat["any_of"], data, env)
    return True


def _any_of(alts: list[dict[str, Any]], data: dict[str, Any], env: Env) -> bool:
    """The first alternative whose fields hold binds its variables; none: False."""
    for alt in alts:
        trial = dict(env)
        if fields_ok(alt, data, trial):
            env.update(trial)
            return True
    return False


def _uses_fd(data: dict[str, Any], fd: Any) -> bool:
    """A call on fd: one of its arguments named fd or ending in fd (the ABI's fd kind) holds it."""
    args = data.get("args") if data.get("type") == "syscall" else None
    return isinstance(args, dict) and any(k.endswith("fd") and v == fd for k, v in args.items())


def _program(evs: list[Event], j: int) -> Any:
    """The path of the last successful execve before position j."""
    for ev in reversed(evs[:j]):
        d = ev.data
        if d.get("type") == "syscall" and d.get("name") == "execve" and d.get("ret") == 0:
            return d.get("args", {}).get("path")
    return None


def _candidates(step: dict[str, Any], evs: list[Event], prev: int, env: Env) -> range | list[int]:
    """Positions a step (not the first) may match at, after position prev."""
    where = step.get("where", "next")
    if where == "next":
        return [prev + 1] if prev + 1 < len(evs) else []
    if where == "next_on_fd":
        fd = env.get(step["fd"], MISSING)
        return next(([j] for j in range(prev + 1, len(evs)) if _uses_fd(evs[j].data, fd)), [])
    return range(prev + 1, len(evs))


def _step_ok(step: dict[str, Any], streams: Streams, proc: str, j: int, env: Env, m: Match) -> bool:
    """Whether event j of proc satisfies the step (fields, place, program, child)."""
    evs = streams[proc]
    if not fields_ok(step, evs[j].data, env):
        return False
    if step.get("at") == "start" and j != 0:
        return False
    if "process" in step and not fnmatchcase(proc, step["process"]):
        return False
    if "program" in step and _program(evs, j) != step["program"]:
        return False
    if "child" in step:
        return _child_ok(step["child"], streams, evs[j].data.get("ret"), env, m)
    return True


def _child_ok(spec: dict[str, Any], streams: Streams, child: Any, env: Env, m: Match) -> bool:
    """The process child (named by the call's ret) starts with / is exactly the given events."""
    cevs = streams.get(child) if isinstance(child, str) else None
    if not cevs:
        return False
    pats = [spec["first"]] if "first" in spec else spec.get("exactly") or spec["starts_with"]
    if "exactly" in spec and len(cevs) != len(pats):
        return False
    if len(cevs) < len(pats) or not all(fields_ok(p, e.data, env) for p, e in zip(pats, cevs)):
        return False
    m.child_events = [(child, e) for e in cevs[:len(pats)]]
    return True


def match_at(streams: Streams, proc: str, i: int, pat: Pattern) -> Match | None:
    """The match of pat starting at position i of proc, or None."""
    evs = streams[proc]
    m = Match([], {})
    if not _step_ok(pat.steps[0], streams, proc, i, m.env, m):
        return None
    m.positions.append(i)
    m.at.append(i)
    for step in pat.steps[1:]:
        if step.get("repeat"):
            _repeat(step, streams, proc, m)
            m.at.append(-1)
            continue
        for j in _candidates(step, evs, m.positions[-1], m.env):
            trial = dict(m.env)
            if _step_ok(step, streams, proc, j, trial, m):
                m.env = trial
                m.positions.append(j)
                m.at.append(j)
                break
        else:
            return None
    return m


def _repeat(step: dict[str, Any], streams: Streams, proc: str, m: Match) -> None:
    """A repeated step: every event right after the match so far that satisfies
    it (zero or more, as many as there are: no backtracking)."""
    j = m.positions[-1] + 1
    while j < len(streams[proc]):
        trial = dict(m.env)
        if not _step_ok(step, streams, proc, j, trial, m):
            return
        m.env = trial
        m.positions.append(j)
        j += 1


# ---- rewriting ----

def _origin(proc: str, ev: Event) -> tuple[tuple[str, Event], ...]:
    """The recorded events ev stands for: its origin, or itself."""
    return ev.origin if ev.origin else ((proc, ev),)


def _emitted(spec: dict[str, Any], base: Event, env: Env, result: dict[str, Any]) -> dict[str, Any]:
    """The data of one emitted event: the matched event spec["from"], edited;
    result is the matched event whose ret and err it gets (spec["result_from"])."""
    d = base.data
    data = dict(d)
    if result is not d:
        data = {k: v for k, v in data.items() if k not in ("ret", "err")}
        data.update({k: result[k] for k in ("ret", "err") if k in result})
    if "call" in spec:
        data["name"] = spec["call"]
    if "args" not in d and not spec["args"]:
        return _result(spec, data, env, d)
    args = {} if spec.get("only_args") else dict(d.get("args", {}))
    for name, edit in spec["args"].items():
        if "remove" in edit:
            args.pop(name, None)
        elif "value" in edit:
            args[name] = evaluate(edit["value"], env, d)
        elif "map" in edit:
            key = str(args.get(name))
            if key in edit["map"]:
                args[name] = evaluate(edit["map"][key], env, d)
        else:
            v = args.get(name, 0)
            if type(v) is not int:
                raise Unbound(f"bits of {name}: {v!r} is not a number")
            for b in edit.get("bits_set", []):
                v |= b
            for b in edit.get("bits_clear", []):
                v &= ~b
            args[name] = v
    data["args"] = args
    return _result(spec, data, env, d)


def _result(spec: dict[str, Any], data: dict[str, Any], env: Env, d: dict[str, Any]) -> dict[str, Any]:
    """data with the result spec gives (else the matched event's, kept)."""
    if "ret" in spec:
        data["ret"] = evaluate(spec["ret"], env, d)
    if "err" in spec:
        data["err"] = evaluate(spec["err"], env, d)
    ret = data.get("ret")
    if isinstance(ret, int) and not ERRNO_MIN <= ret <= -1:
        data.pop("err", None)
    elif "ret" in spec and not isinstance(ret, int) and "err" not in spec:
        data.pop("err", None)          # a masked pointer or a process: no errno
    return data


def rewrite(streams: Streams, proc: str, m: Match, pat: Pattern, rule_id: str) -> dict[str, str]:
    """Replace the matched events by the pattern's emitted ones (at the first
    matched position) and act on the child; the process renames made."""
    evs = streams[proc]
    matched = [evs[j] for j in m.positions]
    origins = [o for ev in matched for o in _origin(proc, ev)] + \
              [o for c, ev in m.child_events for o in _origin(c, ev)]
    rules = tuple(dict.fromkeys([r for ev in matched for r in ev.rules] + [rule_id]))
    out = []
    for k, spec in enumerate(pat.emit):
        base = evs[m.at[spec["from"]]]
        mine = tuple(origins) if len(pat.emit) == 1 else _origin(proc, base)
        if k == 0 and len(pat.emit) > 1:
            used = {m.at[spec2["from"]] for spec2 in pat.emit}
            mine += tuple(o for j in m.positions if j not in used for o in _origin(proc, evs[j]))
        result = evs[m.at[spec.get("result_from", spec["from"])]].data
        out.append(Event(_emitted(spec, base, m.env, result), base.seq, mine, rules))
    drop = set(m.positions)
    first = m.positions[0]
    streams[proc] = [e for j, e in enumerate(evs[:first]) if j not in drop] + out + \
        [e for j, e in enumerate(evs[first:], first) if j not in drop]
    if pat.child is None:
        return {}
    action, var = pat.child
    child = m.env[var]
    if action == "drop_first":
        drop_first_event(streams, child)
        return {}
    return delete_child(streams, child)


def _depth(proc: str) -> tuple[int, str]:
    return (proc.count("/"), proc)


def apply_rule(streams: Streams, rule: Rule, counts: dict[str, int] | None = None) -> Streams:
    """streams rewritten by rule (a new dict; the lists given are not changed)."""
    out = {proc: list(evs) for proc, evs in streams.items()}
    todo = sorted(out, key=_depth)
    k = 0
    while k < len(todo):
        if _scan(out, todo[k], rule, counts):
            # Only processes deeper than todo[k] were renamed (its children and
            # theirs), none visited yet: the rest of the list is made again.
            seen = set(todo[:k + 1])
            todo = todo[:k + 1] + sorted((n for n in out if n not in seen), key=_depth)
        k += 1
    return out


def _scan(streams: Streams, proc: str, rule: Rule, counts: dict[str, int] | None) -> dict[str, str]:
    """Apply rule at each position of proc's stream (see the module comment); the process renames made."""
    renames: dict[str, str] = {}
    i = 0
    while proc in streams and i < len(streams[proc]):
        m = pat = None
        name = streams[proc][i].data.get("name")
        for pat in rule.patterns:
            if pat.first_calls is not None and name not in pat.first_calls:
                continue
            m = match_at(streams, proc, i, pat)
            if m is not None:
                break
        if m is None or pat is None:
            i += 1
            continue
        before = len(streams[proc])
        try:
            renames.update(rewrite(streams, proc, m, pat, rule.id))
        except Unbound:         # a loosened rule's emit could not be built: no rewrite
            i += 1
            continue
        if counts is not None:
            counts[rule.id] = counts.get(rule.id, 0) + 1
        if len(streams[proc]) >= before:
            i += max(1, len(pat.emit))
    return renames
