"""Load and validate a JSONL trace (docs/trace-format.md, docs/trace-schema.json).

A trace file is one JSON object per line.  A golden file may start with one
`meta` line (no seq).  Every other line is a record with a gap-free `seq`
starting at 0 with the `boot` record, whose `format` selects the reader.

Adding a format version: write `_check_record_vN` (and its field table),
add it to `_readers()`, and keep the older readers: committed goldens keep
their version forever.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


class TraceError(Exception):
    """A malformed trace; the message is "file:line: what" ("file: what" when
    line is 0: the file as a whole, e.g. one that cannot be read)."""

    def __init__(self, where: str, line: int, what: str) -> None:
        super().__init__(f"{where}:{line}: {what}" if line else f"{where}: {what}")
        self.where = where
        self.line = line
        self.what = what


# Field tables: name -> Python type(s).  The JSON Schema in
# docs/trace-schema.json says the same; tests/test_schema.py checks they agree.
META_FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "meta": ({"type": str, "scenario": str, "description": str,
              "recorded_from": str, "input": list, "run": (list, type(None))}, {}),
}

V1_FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # record type -> (required fields, optional fields)
    "boot": ({"seq": int, "type": str, "format": int, "kernel": str, "abi": str,
              "cmdline": str}, {}),
    "syscall": ({"seq": int, "type": str, "pid": int, "nr": int, "name": (str, type(None)),
                 "args": dict}, {"ret": int, "err": (str, type(None)), "input": bool, "trunc": bool}),
    "exit": ({"seq": int, "type": str, "pid": int, "status": int}, {}),
    "fault": ({"seq": int, "type": str, "pid": int, "vector": int, "error": int,
               "addr": str, "rip": str, "signal": int}, {}),
    "panic": ({"seq": int, "type": str, "msg": str}, {}),
    "halt": ({"seq": int, "type": str, "status": int}, {}),
}

# Version 3 adds the signal records (docs/trace-format.md).  A `signal` has
# `pid` only when a process's action sent it (kill, a pipe write, its exit).
V3_FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    **V1_FIELDS,
    "signal": ({"seq": int, "type": str, "to": int, "sig": int, "code": int},
               {"pid": int, "ignored": bool}),
    "sigdeliver": ({"seq": int, "type": str, "pid": int, "sig": int, "action": str}, {}),
}
SIGNAL_ACTIONS = ("handler", "ignore", "terminate", "core", "stop", "continue")
NSIG = 64

INCOMPLETE = ("incomplete trace: no halt or panic record (cut short, or the run "
              "ended without the guest powering off, e.g. Ctrl-A x)")
NORETURN_CALLS = ("exit", "exit_group")   # trace-format.md: these have no ret
ERRNO_MIN = -4095                         # ret in -4095..-1 is an error


@dataclass
class Trace:
    """A validated trace: records in seq order, each with its file line."""
    path: str
    version: int
    records: list[dict[str, Any]]
    lines: list[int]
    meta: dict[str, Any] | None = None
    complete: bool = True       # ends with halt or panic
    warnings: list[str] = field(default_factory=list)

    def boot(self) -> dict[str, Any]:
        return self.records[0]

    def line_of(self, rec: dict[str, Any]) -> int:
        return self.lines[rec["seq"]]

    def require_complete(self) -> None:
        """Raise TraceError unless the trace ends with its halt or panic record."""
        if not self.complete:
            raise TraceError(self.path, 0, INCOMPLETE)


def load(path: str | Path) -> Trace:
    """Read and validate the trace at path; raises TraceError naming file:line."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise TraceError(str(p), 0, f"cannot read: {e.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TraceError(str(p), 1 + data.count(b"\n", 0, e.start), "not UTF-8") from None
    return loads(text, str(p))


def loads(text: str, where: str = "<trace>") -> Trace:
    """Validate trace text; `where` names it in errors."""
    objs = _parse_lines(text, where)
    meta = None
    if objs and objs[0][1].get("type") == "meta":
        meta = objs.pop(0)[1]
        _check_fields(meta, META_FIELDS["meta"], where, 1)
        _check_meta(meta, where)
    if not objs:
        raise TraceError(where, 1 if meta is None else 2, "no boot record (empty trace)")
    line, boot = objs[0]
    if boot.get("type") != "boot":
        raise TraceError(where, line, f"first record is {boot.get('type')!r}, expected 'boot'")
    version = boot.get("format")
    readers = _readers()
    if type(version) is not int or version not in readers:
        known = ", ".join(str(v) for v in sorted(readers))
        raise TraceError(where, line,
                         f"unknown trace format version {version!r} (this testkit reads {known})")
    return readers[version](objs, meta, where)


def _readers() -> dict[int, Callable[[list[tuple[int, dict[str, Any]]], dict[str, Any] | None, str], Trace]]:
    """Trace format version -> reader.  Version 2 changed what strings hold
    (whole, where v1 cut them at 255 bytes), not the record structure;
    version 3 adds the `signal` and `sigdeliver` records."""
    return {1: _read_v1, 2: _read_v2, 3: _read_v3}


def _read_v2(objs: list[tuple[int, dict[str, Any]]], meta: dict[str, Any] | None,
             where: str) -> Trace:
    trace = _read_v1(objs, meta, where)
    trace.version = 2
    return trace


def _read_v3(objs: list[tuple[int, dict[str, Any]]], meta: dict[str, Any] | None,
             where: str) -> Trace:
    trace = _read_records(objs, meta, where, V3_FIELDS)
    trace.version = 3
    return trace


def _parse_lines(text: str, where: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line; a bad last line without newline is 'truncated'."""
    lines = text.split("\n")
    ends_with_newline = lines[-1] == ""
    if ends_with_newline:
        lines.pop()
    out = []
    for i, raw in enumerate(lines, 1):
        last = i == len(lines)
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            if last and not ends_with_newline:
                raise TraceError(where, i, "truncated last line (no newline, not valid JSON)") from None
            what = "empty line" if raw.strip() == "" else f"malformed JSON: {e.msg} at column {e.colno}"
            raise TraceError(where, i, what) from None
        if not isinstance(obj, dict):
            raise TraceError(where, i, f"expected a JSON object, got {type(obj).__name__}")
        out.append((i, obj))
    return out


def _type_name(t: Any) -> str:
    names = {int: "integer", str: "string", dict: "object", list: "array",
             bool: "boolean", type(None): "null"}
    if isinstance(t, tuple):
        return " or ".join(names[x] for x in t)
    return names[t]


def _is_type(value: Any, t: Any) -> bool:
    """isinstance, except that a JSON boolean is not an integer."""
    types = t if isinstance(t, tuple) else (t,)
    return any(type(value) is x or (x is dict and isinstance(value, dict)) for x in types)


def _check_fields(obj: dict[str, Any], spec: tuple[dict[str, Any], dict[str, Any]],
                  where: str, line: int) -> None:
    """Required fields present, every field known and of its type."""
    required, optional = spec
    kind = obj.get("type")
    for name, t in required.items():
        if name not in obj:
            raise TraceError(where, line, f"{kind} record: missing field '{name}'")
    for name, value in obj.items():
        t = required.get(name, optional.get(name))
        if t is None:
            raise TraceError(where, line, f"{kind} record: unknown field '{name}'")
        if not _is_type(value, t):
            raise TraceError(where, line, f"{kind} record: field '{name}' should be "
                             f"{_type_name(t)}, got {json.dumps(value)[:40]}")


def _check_meta(meta: dict[str, Any], where: str) -> None:
    if not all(isinstance(x, str) for x in meta["input"]):
        raise TraceError(where, 1, "meta record: 'input' must be an array of strings")
    if meta["run"] is not None and not all(isinstance(x, str) for x in meta["run"]):
        raise TraceError(where, 1, "meta record: 'run' must be an array of strings or null")


def _read_v1(objs: list[tuple[int, dict[str, Any]]], meta: dict[str, Any] | None,
             where: str) -> Trace:
    """Validate version-1 records (docs/trace-format.md) and build the Trace."""
    return _read_records(objs, meta, where, V1_FIELDS)


def _read_records(objs: list[tuple[int, dict[str, Any]]], meta: dict[str, Any] | None,
                  where: str, fields: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> Trace:
    """Validate records against one version's field table and build the Trace."""
    records, lines = [], []
    ended_at = None
    for expected_seq, (line, rec) in enumerate(objs):
        if "seq" in rec and type(rec["seq"]) is int and rec["seq"] != expected_seq:
            raise TraceError(where, line, f"seq {rec['seq']}, expected {expected_seq} "
                             f"(a record was lost or reordered)")
        _check_record(rec, where, line, expected_seq, fields)
        if ended_at is not None:
            raise TraceError(where, line, f"{rec['type']} record after the "
                             f"{ended_at[1]} record at line {ended_at[0]}")
        if rec["type"] in ("halt", "panic"):
            ended_at = (line, rec["type"])
        records.append(rec)
        lines.append(line)
    return Trace(where, 1, records, lines, meta, complete=ended_at is not None)


def _check_record(rec: dict[str, Any], where: str, line: int, seq: int,
                  fields: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> None:
    kind = rec.get("type")
    if kind == "meta":
        raise TraceError(where, line, "meta record is only allowed on the first line")
    if kind not in fields:
        raise TraceError(where, line, f"unknown record type {kind!r}")
    _check_fields(rec, fields[kind], where, line)
    if kind == "boot" and seq != 0:
        raise TraceError(where, line, "boot record after the start of the trace")
    if kind == "syscall":
        _check_syscall_v1(rec, where, line)
    if kind in ("signal", "sigdeliver"):
        _check_signal_v3(rec, where, line)


def _check_signal_v3(rec: dict[str, Any], where: str, line: int) -> None:
    """A signal number 1..64; a delivery names one of the known actions."""
    if not 1 <= rec["sig"] <= NSIG:
        raise TraceError(where, line, f"{rec['type']} record: signal {rec['sig']} not in 1..{NSIG}")
    if rec["type"] == "sigdeliver" and rec["action"] not in SIGNAL_ACTIONS:
        raise TraceError(where, line, f"sigdeliver record: unknown action {rec['action']!r} "
                         f"(expected one of {', '.join(SIGNAL_ACTIONS)})")


def _check_syscall_v1(rec: dict[str, Any], where: str, line: int) -> None:
    """ret absent only for calls that do not return; err present exactly on errors."""
    name = rec["name"]
    if "ret" not in rec:
        if name not in NORETURN_CALLS:
            raise TraceError(where, line, f"syscall {name}: missing field 'ret'")
        if "err" in rec:
            raise TraceError(where, line, f"syscall {name}: 'err' without 'ret'")
        return
    is_error = ERRNO_MIN <= rec["ret"] <= -1
    if is_error and "err" not in rec:
        raise TraceError(where, line, f"syscall {name}: ret {rec['ret']} is an error but 'err' is missing")
    if not is_error and "err" in rec:
        raise TraceError(where, line, f"syscall {name}: 'err' set but ret {rec['ret']} is not an error")
