"""Compare two normalized traces: first divergence per process, missing/extra processes.

Both sides are rewritten by the equivalence rules in force first (rewrite.py),
then compared process by process; interleaving between processes never matters.
The report shows each side's events as its own trace recorded them (an event a
rule wrote is shown as the events it was made from, with the rule's id), and
says which rules were in force.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from testkit.abi import Abi
from testkit.normalize import Event, Streams
from testkit.rewrite import BEFORE_EVERY_RULE, apply_rewrites, rules_between, rules_for_trace
from testkit.rulelang import Rule
from testkit.show import call_name, describe_number_change, format_event, quote, wait_status

CONTEXT = 3     # events shown before a divergence
RESYNC = 8      # longest run of inserted/deleted events recognised as such


@dataclass
class Divergence:
    """Where one process's behaviour first differs, and what changed."""
    proc: str
    index: int
    kind: str                      # "changed", "extra" (in current), "missing" (from current)
    golden: list[Event]            # the golden's event(s) at this place, if any
    current: list[Event]           # the current trace's event(s), if any
    context: list[Event]
    what: str


@dataclass
class DiffResult:
    divergences: list[Divergence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)     # processes only in golden
    extra: list[str] = field(default_factory=list)       # processes only in current
    programs: dict[str, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)                 # ids of the rules in force
    rewrites: dict[str, int] = field(default_factory=dict)         # rule id -> rewrites made

    @property
    def ok(self) -> bool:
        return not (self.divergences or self.missing or self.extra)

    def messages(self) -> list[str]:
        """One line per difference, naming the process and what changed."""
        out = [f"process {d.proc}: event {d.index + 1}: {d.what}" for d in self.divergences]
        out += [f"missing process {p}{self._prog(p)}: in golden, not in current" for p in self.missing]
        out += [f"extra process {p}{self._prog(p)}: in current, not in golden" for p in self.extra]
        return out

    def _prog(self, proc: str) -> str:
        return f" ({self.programs[proc]})" if proc in self.programs else ""

    def render(self, abi: Abi) -> str:
        """The report: per divergence its context and both sides in the show rendering."""
        if self.ok:
            used = self.rules_used()
            return "same behaviour" + (f" (under rules: {used})" if used else "")
        lines = []
        for d in self.divergences:
            lines.append(f"process {d.proc}: first divergence at event {d.index + 1} ({d.kind}): {d.what}")
            lines += recorded_lines("    ", d.proc, d.context, abi)
            lines += recorded_lines("  - ", d.proc, d.golden, abi)
            lines += recorded_lines("  + ", d.proc, d.current, abi)
        lines += self.messages()[len(self.divergences):]
        lines.append(self.rules_line())
        return "\n".join(lines)

    def rules_used(self) -> str:
        """The rules that rewrote something, with how often: "a (3), b (1)"."""
        return ", ".join(f"{r} ({self.rewrites[r]})" for r in self.rules if self.rewrites.get(r))

    def rules_line(self) -> str:
        """Which equivalence rules were in force, and which of them rewrote events."""
        if not self.rules:
            return "rules in force: none"
        used = self.rules_used()
        return f"rules in force: {', '.join(self.rules)}" + (f"; rewrote: {used}" if used else "; none rewrote anything")


def recorded_lines(prefix: str, proc: str, events: list[Event], abi: Abi) -> list[str]:
    """Events as their traces recorded them: an event a rule wrote is shown as
    the events it was made from, each marked with the ids of the rules."""
    lines: list[str] = []
    shown: set[int] = set()         # two events a rule wrote from one recorded event show it once
    for e in events:
        if not e.origin:
            lines.append(f"{prefix}[{proc}] {format_event(e, abi)}")
            continue
        mark = f"    <- rule {', '.join(e.rules)}"
        lines += [f"{prefix}[{p}] {format_event(o, abi)}{mark}" for p, o in e.origin if id(o) not in shown]
        shown.update(id(o) for _, o in e.origin)
    return lines


def compare(golden: Streams, current: Streams, rewrites: list[Rule],
            golden_name: str | None = None,
            recorded: tuple[str | None, str | None] = (BEFORE_EVERY_RULE, None)) -> DiffResult:
    """Behaviour diff of golden vs current after the equivalence rules in force
    between them (golden_name: the golden's file name, for the rules' scope; an
    era-bridging rule only across eras).  recorded: the commits each side was
    recorded from, for rules about traces recorded before a change (bare
    streams: the golden counts as recorded before every rule, the current
    as a fresh recording)."""
    active = rules_between(golden, current, rewrites, golden_name)
    counts: dict[str, int] = {}
    g = apply_rewrites(golden, rules_for_trace(active, recorded[0]), counts)
    c = apply_rewrites(current, rules_for_trace(active, recorded[1]), counts)
    res = DiffResult(rules=[r.id for r in active], rewrites=counts)
    for proc in g:
        if proc not in c:
            res.missing.append(proc)
            _note_program(res, g, proc)
        else:
            d = first_divergence(proc, g[proc], c[proc])
            if d:
                res.divergences.append(d)
    for proc in c:
        if proc not in g:
            res.extra.append(proc)
            _note_program(res, c, proc)
    return res


def _note_program(res: DiffResult, streams: Streams, proc: str) -> None:
    """Remember the program proc was started with: the args of the parent's creating call."""
    parent = proc.rsplit("/", 1)[0]
    for ev in streams.get(parent, []):
        if ev.data.get("ret") == proc:
            args = ev.data.get("args", {})
            argv = args.get("argv") if isinstance(args.get("argv"), list) else None
            res.programs[proc] = " ".join(argv) if argv else str(args.get("path", ev.data["name"]))
            return


def first_divergence(proc: str, g: list[Event], c: list[Event]) -> Divergence | None:
    """The first index where the two event lists differ, classified; None if equal."""
    n = min(len(g), len(c))
    i = next((k for k in range(n) if g[k] != c[k]), n)
    if i == len(g) == len(c):
        return None
    ctx = g[max(0, i - CONTEXT):i]
    skip_g, skip_c = _resync(g, c, i)
    if skip_c:
        extra = c[i:i + skip_c]
        what = "extra event" if skip_c == 1 else f"{skip_c} extra events"
        return Divergence(proc, i, "extra", [], extra, ctx,
                          f"{what} in current: {', '.join(_brief(e) for e in extra)}")
    if skip_g:
        gone = g[i:i + skip_g]
        what = "event" if skip_g == 1 else f"{skip_g} events"
        return Divergence(proc, i, "missing", gone, [], ctx,
                          f"{what} missing from current: {', '.join(_brief(e) for e in gone)}")
    return Divergence(proc, i, "changed", g[i:i + 1], c[i:i + 1], ctx,
                      describe_change(g[i].data, c[i].data) + _rewritten_by(g[i], c[i]))


def _rewritten_by(*evs: Event) -> str:
    """' (as rewritten by rule X)' when a rule wrote one of the events compared."""
    ids = list(dict.fromkeys(r for e in evs for r in e.rules))
    return f" (as rewritten by rule {', '.join(ids)})" if ids else ""


def _resync(g: list[Event], c: list[Event], i: int) -> tuple[int, int]:
    """(events to skip in g, in c) so both continue alike after position i.

    Tries pure deletions/insertions of up to RESYNC events; the continuation must
    agree for up to two events (or both end).  (0, 0) means "a changed event"."""
    for k in range(1, RESYNC + 1):
        if _agrees(g, i + k, c, i):
            return k, 0
        if _agrees(g, i, c, i + k):
            return 0, k
    return 0, 0


def _agrees(g: list[Event], gi: int, c: list[Event], ci: int) -> bool:
    if gi > len(g) or ci > len(c):
        return False
    a, b = g[gi:gi + 2], c[ci:ci + 2]
    n = min(len(a), len(b))
    return a[:n] == b[:n] and (n == 2 or len(g) - gi == len(c) - ci)


def _brief(ev: Event) -> str:
    """A short name of an event as its trace recorded it: 'write()', 'exit (exited with 1)',
    or for an event a rule wrote, what it was made from and what it was compared as:
    'fork()+execve() (rule spawn-is-fork-exec: compared as spawn_args())'."""
    if ev.origin:
        recorded = "+".join(_brief(o) for _, o in ev.origin)
        return f"{recorded} (rule {', '.join(ev.rules)}: compared as {_brief(replace(ev, origin=()))})"
    d = ev.data
    if d["type"] == "syscall":
        return f"{call_name(d)}()"
    if d["type"] in ("exit", "halt"):
        return f"{d['type']} ({wait_status(d['status'])})"
    return d["type"]


def describe_change(a: dict[str, Any], b: dict[str, Any]) -> str:
    """What differs between two events of the same position, in words."""
    if a["type"] != b["type"]:
        return f"{a['type']} record → {b['type']} record"
    if a["type"] == "syscall":
        return _describe_syscall(a, b)
    if a["type"] in ("exit", "halt") and a["status"] != b["status"]:
        what = "exit status" if a["type"] == "exit" else "halt (init's) status"
        return (f"{what} changed: {wait_status(a['status'])} → {wait_status(b['status'])} "
                f"(status {a['status']} → {b['status']})")
    keys = sorted(set(a) | set(b))
    return "; ".join(f"{a['type']} {k} changed: {a.get(k)} → {b.get(k)}"
                     for k in keys if a.get(k) != b.get(k))


def _describe_syscall(a: dict[str, Any], b: dict[str, Any]) -> str:
    name = call_name(a)
    if name != call_name(b):
        return f"call changed: {name} → {call_name(b)}"
    parts = []
    for arg in list(dict.fromkeys(list(a["args"]) + list(b["args"]))):
        va, vb = a["args"].get(arg), b["args"].get(arg)
        if va != vb:
            named = describe_number_change(name, arg, va, vb, args=a["args"])
            parts.append(f"{name} argument {arg}: {named or _describe_value(va, vb, arg)}")
    if a.get("err") != b.get("err"):
        parts.append(f"{name} errno changed: {a.get('err') or 'no error'} → {b.get('err') or 'no error'}")
    elif a.get("ret") != b.get("ret"):
        parts.append(f"{name} return value changed: {a.get('ret', '?')} → {b.get('ret', '?')}")
    if a.get("input") != b.get("input"):
        parts.append(f"{name} console input flag changed")
    return "; ".join(parts) or "changed"


def _describe_value(va: Any, vb: Any, arg: str) -> str:
    """How one argument value changed: the first differing byte or element."""
    if isinstance(va, dict) and isinstance(vb, dict) and "data" in va and "data" in vb:
        da, db = va["data"], vb["data"]
        i = next((k for k in range(min(len(da), len(db))) if da[k] != db[k]), None)
        if i is not None:
            return f"data byte {i} changed: {quote(da[i])} → {quote(db[i])}"
        n = min(len(da), len(db))
        tail = f"; golden has {quote(da[n:], 32)} more" if len(da) > n else \
            f"; current has {quote(db[n:], 32)} more" if len(db) > n else ""
        return f"length changed: {va.get('len')} → {vb.get('len')}{tail}"
    if isinstance(va, list) and isinstance(vb, list):
        i = next((k for k in range(min(len(va), len(vb))) if va[k] != vb[k]), None)
        if i is not None:
            return f"{arg}[{i}] changed: {_plain(va[i])} → {_plain(vb[i])}"
        return f"{len(va)} elements → {len(vb)}"
    return f"{_plain(va)} → {_plain(vb)}"


def _plain(v: Any) -> str:
    return quote(v) if isinstance(v, str) else str(v)
