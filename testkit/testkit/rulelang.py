"""The equivalence rule language: reading and checking rule files
(docs/trace-equivalence.md, "The rule language").

A rule file is JSON: {"id", "order", "why", "applies_to", "patterns"}.  Loading
checks every member and resolves symbolic constants (rule_constants.py), so the
engine (rule_engine.py) only ever sees valid rules.  A malformed rule is a
RulesError of one line: "FILE: rule ID: what".
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from testkit.normalize import RulesError
from testkit.rule_constants import UnknownConstant, is_constant, resolve_constant

COND_OPS = {"any", "absent", "not", "one_of", "all_of", "gt", "ge", "lt", "le",
            "bits_set", "bits_clear", "mask", "is", "literal"}
_COMMIT = re.compile(r"[0-9a-f]{7,40}")
EXPR_OPS = {"concat", "sum", "neg", "le32"}
ARG_EDITS = {"remove", "bits_set", "bits_clear", "map"}
STEP_KEYS = {"call", "type", "args", "ret", "err", "input", "status", "any_of",
             "where", "fd", "child", "program", "at", "process", "repeat"}
WHERES = ("next", "next_on_fd", "later")
RULE_KEYS = {"id", "order", "why", "applies_to", "patterns"}
PATTERN_KEYS = {"name", "match", "emit", "child", "absorb_anywhere"}
EMIT_KEYS = {"from", "call", "args", "only_args", "ret", "err", "result_from"}


@dataclass(frozen=True)
class Pattern:
    """One sequence pattern of a rule and what it is rewritten to."""
    name: str
    steps: tuple[dict[str, Any], ...]
    emit: tuple[dict[str, Any], ...]
    child: tuple[str, str] | None          # ("drop_first" | "delete", "$var")
    first_calls: frozenset[str] | None = None   # the calls the first step can match (None: any event)


@dataclass(frozen=True)
class Rule:
    id: str
    order: int
    why: str
    goldens: tuple[str, ...]
    era_calls: tuple[str, ...] | None
    patterns: tuple[Pattern, ...]
    source: str = ""
    recorded_before: str | None = None   # applies_to.recorded_before: only traces recorded up to this commit
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


class _Bad(Exception):
    """A problem inside one rule; load_rule adds the file and the rule id."""


def load_rule_file(path: Path, anywhere_ok: bool = False) -> Rule:
    """The rule in path; RulesError "path: rule ID: what" if it is malformed."""
    try:
        raw = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise RulesError(f"{path}: {e}") from None
    return compile_rule(raw, str(path), anywhere_ok=anywhere_ok)


def compile_rule(raw: Any, source: str, loosened: bool = False, anywhere_ok: bool = False) -> Rule:
    """A checked Rule from its JSON form (source names it in errors).  loosened
    (for rules_check.py only) lets a pattern absorb an event without context;
    anywhere_ok (the Linux rules) lets a pattern say absorb_anywhere."""
    rid = raw.get("id") if isinstance(raw, dict) else None
    try:
        return _compile(raw, source, loosened, anywhere_ok)
    except _Bad as e:
        raise RulesError(f"{source}: rule {rid or '?'}: {e}") from None


def _compile(raw: Any, source: str, loosened: bool = False, anywhere_ok: bool = False) -> Rule:
    """The Rule of raw, or _Bad naming what is wrong."""
    if not isinstance(raw, dict):
        raise _Bad("a rule is a JSON object")
    _known(raw, RULE_KEYS, "rule")
    for key in ("id", "why"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise _Bad(f"needs a non-empty string {key!r}")
    if type(raw.get("order")) is not int:
        raise _Bad("needs an integer 'order' (rules apply in increasing order)")
    scope = raw.get("applies_to", {})
    if not isinstance(scope, dict):
        raise _Bad("'applies_to' is an object")
    _known(scope, {"goldens", "era_calls", "recorded_before", "why"}, "applies_to")
    before = scope.get("recorded_before")
    if before is not None and not (isinstance(before, str) and _COMMIT.fullmatch(before)):
        raise _Bad("'applies_to.recorded_before' is a commit hash (7 to 40 hex digits)")
    goldens = _strings(scope.get("goldens", ["*"]), "applies_to.goldens")
    era = scope.get("era_calls")
    era_calls = _strings(era, "applies_to.era_calls") if era is not None else None
    pats = raw.get("patterns")
    if not isinstance(pats, list) or not pats:
        raise _Bad("needs a non-empty list 'patterns'")
    patterns = tuple(_pattern(p, k, loosened, anywhere_ok) for k, p in enumerate(pats))
    return Rule(raw["id"], raw["order"], raw["why"], goldens, era_calls, patterns, source,
                recorded_before=before, raw=raw)


def _known(obj: dict[str, Any], keys: set[str], what: str) -> None:
    """_Bad if obj has a member not in keys."""
    extra = sorted(set(obj) - keys)
    if extra:
        raise _Bad(f"{what}: unknown member {extra[0]!r} (known: {', '.join(sorted(keys))})")


def _strings(v: Any, what: str) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _Bad(f"{what} is a list of strings")
    return tuple(v)


def _pattern(p: Any, k: int, loosened: bool = False, anywhere_ok: bool = False) -> Pattern:
    """Pattern k of a rule, checked; variables bound in match order."""
    if not isinstance(p, dict):
        raise _Bad(f"pattern {k + 1} is an object")
    _known(p, PATTERN_KEYS, f"pattern {k + 1}")
    name = p.get("name", str(k + 1))
    where = f"pattern {name}"
    steps = p.get("match")
    if not isinstance(steps, list) or not steps:
        raise _Bad(f"{where}: 'match' is a non-empty list of steps")
    bound: set[str] = set()
    csteps = tuple(_step(s, i, f"{where}: step {i + 1}", bound) for i, s in enumerate(steps))
    emits = p.get("emit")
    if not isinstance(emits, list):
        raise _Bad(f"{where}: 'emit' is a list (empty: the matched events are absorbed)")
    cemit = tuple(_emit(e, len(steps), f"{where}: emit {i + 1}", bound) for i, e in enumerate(emits))
    if any(steps[e[k]].get("repeat") for e in cemit for k in ("from", "result_from") if k in e):
        raise _Bad(f"{where}: an emitted event comes 'from' one step, not a repeated one")
    child = _child_action(p.get("child"), where, bound)
    anywhere = p.get("absorb_anywhere", False)
    if anywhere and not anywhere_ok:
        raise _Bad(f"{where}: absorb_anywhere is for the Linux rules (rules/linux), a call one kernel never makes")
    if not cemit and len(steps) == 1 and child is None and "program" not in steps[0] \
            and "child" not in steps[0] and not loosened and not anywhere:
        raise _Bad(f"{where}: absorbs an event without context (a sequence, a child or a program)")
    return Pattern(str(name), csteps, cemit, child, _first_calls(csteps[0]))


def _first_calls(step: dict[str, Any]) -> frozenset[str] | None:
    """The syscall names step can match, when it names them (a quick filter for the engine)."""
    def names(s: dict[str, Any]) -> set[str] | None:
        c = s.get("call")
        if c is None or (isinstance(c, str) and c.startswith("$")):
            return None
        return {c} if isinstance(c, str) else set(c)
    own = names(step)
    if own is not None:
        return frozenset(own)
    alts = [names(a) for a in step.get("any_of", [])]
    if alts and all(a is not None for a in alts):
        return frozenset(set().union(*alts))      # type: ignore[arg-type]
    return None


def _step(s: Any, i: int, where: str, bound: set[str]) -> dict[str, Any]:
    """Step i of a pattern, checked, constants resolved; adds the variables it binds to bound."""
    if not isinstance(s, dict):
        raise _Bad(f"{where}: a step is an object")
    _known(s, STEP_KEYS, where)
    out = dict(s)
    w = s.get("where", "next")
    if w not in WHERES:
        raise _Bad(f"{where}: 'where' is one of {', '.join(WHERES)}")
    if i == 0 and "where" in s:
        raise _Bad(f"{where}: the first step has no 'where' (it is where the match starts)")
    if w == "next_on_fd" and not (isinstance(s.get("fd"), str) and s["fd"] in bound):
        raise _Bad(f"{where}: next_on_fd needs 'fd', a variable bound by an earlier step")
    if "call" in s and not (isinstance(s["call"], str) or _strings_ok(s["call"])):
        raise _Bad(f"{where}: 'call' is a name, a list of names or a variable")
    if isinstance(s.get("call"), str) and s["call"].startswith("$"):
        _text(s["call"], where, bound, binds=True)
    if "any_of" in s:
        alts = s["any_of"]
        if not isinstance(alts, list) or not alts:
            raise _Bad(f"{where}: 'any_of' is a non-empty list of step fields")
        out["any_of"] = [_fields(a, where, set(bound)) for a in alts]
        _bind_all(out["any_of"], bound)
    for key in ("args", "ret", "err", "input", "status", "type"):
        if key in s:
            out[key] = _field_cond(key, s[key], f"{where}: {key}", bound)
    if "child" in s:
        out["child"] = _child_match(s["child"], where, bound)
    if "program" in s and (i != 0 or not isinstance(s["program"], str)):
        raise _Bad(f"{where}: 'program' (a path) is a condition of the first step")
    if "process" in s and (i != 0 or not isinstance(s["process"], str)):
        raise _Bad(f"{where}: 'process' (a glob on process names) is a condition of the first step")
    if "at" in s and (i != 0 or s["at"] != "start"):
        raise _Bad(f"{where}: 'at': \"start\" (the process's first event) is a condition of the first step")
    if "repeat" in s and (i == 0 or s["repeat"] is not True or "child" in s):
        raise _Bad(f"{where}: 'repeat': true (zero or more events) is for a later step without a child")
    return out


def _strings_ok(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v)


def _fields(a: Any, where: str, bound: set[str]) -> dict[str, Any]:
    """One alternative of any_of: step fields without sequence or child members."""
    if not isinstance(a, dict):
        raise _Bad(f"{where}: an any_of alternative is an object")
    _known(a, {"call", "type", "args", "ret", "err", "input", "status"}, f"{where}: any_of")
    out = dict(a)
    for key in ("args", "ret", "err", "input", "status", "type"):
        if key in a:
            out[key] = _field_cond(key, a[key], f"{where}: {key}", bound)
    out["_binds"] = sorted(bound)
    return out


def _bind_all(alts: list[dict[str, Any]], bound: set[str]) -> None:
    """After any_of, only variables every alternative binds are bound."""
    sets = [set(a.pop("_binds")) for a in alts]
    bound |= set.intersection(*sets)


def _child_match(c: Any, where: str, bound: set[str]) -> dict[str, Any]:
    """A step's child condition ({first}, {exactly} or {starts_with}); binds into bound."""
    if not isinstance(c, dict) or len(c) != 1 or next(iter(c)) not in ("first", "exactly", "starts_with"):
        raise _Bad(f"{where}: 'child' is {{\"first\": step}}, {{\"exactly\": [steps]}} or {{\"starts_with\": [steps]}}")
    key, v = next(iter(c.items()))
    items = [v] if key == "first" else v
    if not isinstance(items, list) or not items:
        raise _Bad(f"{where}: child '{key}' is a non-empty list of steps")
    compiled = []
    for k, s in enumerate(items):
        f = _fields(s, f"{where}: child event {k + 1}", bound)
        bound |= set(f.pop("_binds"))
        compiled.append(f)
    return {key: compiled[0] if key == "first" else compiled}


def _child_action(c: Any, where: str, bound: set[str]) -> tuple[str, str] | None:
    """A pattern's child action (drop_first or delete) on a bound variable, or None."""
    if c is None:
        return None
    if not isinstance(c, dict) or len(c) != 1 or next(iter(c)) not in ("drop_first", "delete"):
        raise _Bad(f"{where}: 'child' is {{\"drop_first\": \"$var\"}} or {{\"delete\": \"$var\"}}")
    action, var = next(iter(c.items()))
    if not isinstance(var, str) or var not in bound:
        raise _Bad(f"{where}: child {action} names a variable bound by the match")
    return action, var


def _field_cond(key: str, c: Any, where: str, bound: set[str]) -> Any:
    """An event field's condition: "err" and "type" hold names (ENOENT, exit), never constants."""
    return _names(c, where, bound) if key in ("err", "type") else _cond(c, where, bound)


def _names(c: Any, where: str, bound: set[str]) -> Any:
    """A condition on a name field: its strings are the names themselves."""
    if isinstance(c, str) and c.startswith("$"):
        return _text(c, where, bound, binds=True)
    if isinstance(c, dict) and set(c) <= {"one_of", "all_of", "not"}:
        return {op: [_names(x, where, bound) for x in v] if isinstance(v, list) else _names(v, where, set(bound))
                for op, v in c.items()}
    if isinstance(c, dict) and not set(c) <= {"any", "absent", "literal"}:
        raise _Bad(f"{where}: a name is matched by a string, a variable, one_of, all_of, not, any or absent")
    return c


def _text(s: str, where: str, bound: set[str], binds: bool) -> Any:
    """A string in a rule: a variable (in a condition its first use binds it; in
    an expression it must be bound), a constant name (its value), or itself."""
    if s.startswith("$"):
        if s != "$ret" and binds:
            bound.add(s)
        elif s != "$ret" and s not in bound:
            raise _Bad(f"{where}: variable {s} is used before a step binds it")
        return s
    return _constant(s, where) if is_constant(s) else s


def _not_object(v: Any, where: str, bound: set[str], binds: bool, walk: Callable[..., Any]) -> Any:
    """A string (_text), a list (walk over its elements) or a plain value, in a condition or expression."""
    if isinstance(v, str):
        return _text(v, where, bound, binds)
    if isinstance(v, list):
        return [walk(x, where, bound) for x in v]
    return v


def _cond(c: Any, where: str, bound: set[str]) -> Any:
    """A condition with constants resolved; variables met for the first time become bound."""
    if not isinstance(c, dict):
        return _not_object(c, where, bound, True, _cond)
    ops = set(c) & (COND_OPS | EXPR_OPS)
    if not ops:
        return {k: _cond(v, f"{where}.{k}", bound) for k, v in c.items()}
    if ops != set(c):
        raise _Bad(f"{where}: an operator object has only operators, not {sorted(set(c) - ops)}")
    if ops & EXPR_OPS:
        return _expr(c, where, bound)
    return _cond_ops(c, where, bound)


def _cond_ops(c: dict[str, Any], where: str, bound: set[str]) -> dict[str, Any]:
    """An operator object of a condition, its numbers and names resolved."""
    out: dict[str, Any] = {}
    for op, v in c.items():
        if op in ("bits_set", "bits_clear"):
            out[op] = [_number(x, where) for x in (v if isinstance(v, list) else [v])]
        elif op in ("gt", "ge", "lt", "le", "mask", "is"):
            out[op] = _number(v, where)
        elif op in ("one_of", "all_of"):
            if not isinstance(v, list) or not v:
                raise _Bad(f"{where}: {op} is a non-empty list of conditions")
            out[op] = [_cond(x, where, bound) for x in v]
        elif op == "not":
            out[op] = _cond(v, where, set(bound))
        else:
            out[op] = v
    if ("mask" in out) != ("is" in out):
        raise _Bad(f"{where}: 'mask' and 'is' go together")
    return out


def _number(v: Any, where: str) -> int:
    if type(v) is int:
        return v
    if isinstance(v, str) and is_constant(v):
        return _constant(v, where)
    raise _Bad(f"{where}: {v!r} is not a number or a constant name")


def _constant(name: str, where: str) -> int:
    try:
        return resolve_constant(name)
    except UnknownConstant as e:
        raise _Bad(f"{where}: {e}") from None


def _expr(e: Any, where: str, bound: set[str]) -> Any:
    """A value expression; every variable in it must already be bound."""
    if not isinstance(e, dict):
        return _not_object(e, where, bound, False, _expr)
    if set(e) == {"literal"}:
        return e
    ops = set(e) & EXPR_OPS
    if ops and len(e) != 1:
        raise _Bad(f"{where}: an expression object has one operator")
    if ops:
        op, v = next(iter(e.items()))
        args = v if op in ("concat", "sum") else [v]
        if not isinstance(args, list):
            raise _Bad(f"{where}: {op} takes a list")
        done = [_expr(x, where, bound) for x in args]
        return {op: done if op in ("concat", "sum") else done[0]}
    return {k: _expr(v, f"{where}.{k}", bound) for k, v in e.items()}


def _emit(e: Any, nsteps: int, where: str, bound: set[str]) -> dict[str, Any]:
    """One emitted event, checked: from (and result_from) a step, argument edits, result."""
    if not isinstance(e, dict):
        raise _Bad(f"{where}: an emitted event is an object")
    _known(e, EMIT_KEYS, where)
    for key in ("from", "result_from"):
        if key in e or key == "from":
            if type(e.get(key)) is not int or not 0 <= e[key] < nsteps:
                raise _Bad(f"{where}: '{key}' is the index (from 0) of a matched step")
    out = dict(e)
    args = e.get("args", {})
    if not isinstance(args, dict):
        raise _Bad(f"{where}: 'args' is an object")
    out["args"] = {k: _arg_edit(v, f"{where}: args.{k}", bound) for k, v in args.items()}
    if "ret" in e:
        out["ret"] = _expr(e["ret"], f"{where}: ret", bound)
    if "err" in e:      # an errno name (ENOENT) or a variable, never a constant
        out["err"] = _expr(e["err"], f"{where}: err", bound) if str(e["err"]).startswith("$") else e["err"]
    return out


def _arg_edit(v: Any, where: str, bound: set[str]) -> Any:
    """One argument edit: remove, bits, map, or a value ({"value": expression})."""
    if isinstance(v, dict) and v and set(v) <= ARG_EDITS:
        if "map" in v:
            if not isinstance(v["map"], dict):
                raise _Bad(f"{where}: map is an object of recorded value -> new value")
            return {"map": {k: _expr(x, where, bound) for k, x in v["map"].items()}}
        if "remove" in v:
            return {"remove": True}
        return {op: [_number(x, where) for x in (b if isinstance(b, list) else [b])]
                for op, b in v.items()}
    return {"value": _expr(v, where, bound)}


def load_rule_dir(d: Path, anywhere_ok: bool = False) -> list[Rule]:
    """Every *.json rule in d, sorted by order; RulesError for a malformed one or two with one order."""
    rules = [load_rule_file(p, anywhere_ok) for p in sorted(d.glob("*.json"))]
    seen: dict[int, str] = {}
    ids: set[str] = set()
    for r in rules:
        if r.order in seen:
            raise RulesError(f"{r.source}: rule {r.id}: order {r.order} is also {seen[r.order]}'s")
        if r.id in ids:
            raise RulesError(f"{r.source}: rule {r.id}: two rules have this id")
        seen[r.order] = r.id
        ids.add(r.id)
    return sorted(rules, key=lambda r: r.order)
