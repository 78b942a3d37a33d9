"""The syscall table as the testkit sees it: testkit/testkit/abi.json.

abi.json is generated from abi/syscalls.tbl by abi/gen.py (`make abi`); it is
the testkit's only source of argument names and kinds.  Removed calls stay in
it, so old traces still decode.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from testkit.symbols import Symbols, symbols_of
from testkit.trace import Trace, TraceError

INT_KINDS = ("int", "uint", "fd", "pid", "size", "off", "flags")
BUF_KINDS = ("buf_in", "buf_out", "iov_in")
PTR_RE = re.compile(r"^0x[0-9a-fA-F]+$")


class AbiError(Exception):
    """abi.json is missing or malformed."""


@dataclass(frozen=True)
class Call:
    """One syscall: number, name, return kind, (name, kind) per argument, and
    (name, symbol set) per argument whose values have names (symbols.py)."""
    nr: int
    name: str
    ret: str
    status: str
    args: tuple[tuple[str, str], ...]
    syms: tuple[tuple[str, str], ...] = ()

    def arg_kind(self, name: str) -> str | None:
        for arg_name, kind in self.args:
            if arg_name == name:
                return kind
        return None


@dataclass(frozen=True)
class Abi:
    """All calls by name, the table's hash, and the symbol sets."""
    hash: str
    calls: dict[str, Call]
    symbols: Symbols = Symbols()

    def call(self, name: str) -> Call | None:
        return self.calls.get(name)


def default_path() -> Path:
    return Path(__file__).resolve().parent / "abi.json"


@lru_cache(maxsize=1)
def default_abi() -> Abi:
    """The testkit's own abi.json, read once."""
    return load_abi()


def load_abi(path: str | Path | None = None) -> Abi:
    """Read abi.json (default: beside this module); AbiError when absent or malformed."""
    p = Path(path) if path else default_path()
    try:
        data = json.loads(p.read_text())
    except OSError as e:
        raise AbiError(f"{p}: {e.strerror}; run `make abi` to generate it") from None
    except json.JSONDecodeError as e:
        raise AbiError(f"{p}: malformed JSON: {e}") from None
    try:
        calls = {row["name"]: _call_of(row) for row in data["syscalls"]}
        return Abi(str(data["hash"]), calls, symbols_of(data))
    except (KeyError, TypeError) as e:
        raise AbiError(f"{p}: unexpected shape ({e!r})") from None


def _call_of(row: dict[str, Any]) -> Call:
    args = tuple((a["name"], a["kind"]) for a in row["args"])
    syms = tuple((a["name"], a["sym"]) for a in row["args"] if "sym" in a)
    return Call(int(row["nr"]), row["name"], row["ret"], row.get("status", "active"), args, syms)


def check_trace(trace: Trace, abi: Abi) -> list[TraceError]:
    """Every syscall record names a known call with its arguments decoded by kind."""
    errors = []
    for rec, line in zip(trace.records, trace.lines):
        if rec["type"] != "syscall":
            continue
        what = _check_call(rec, abi)
        if what:
            errors.append(TraceError(trace.path, line, what))
    return errors


def _check_call(rec: dict[str, Any], abi: Abi) -> str | None:
    call = abi.call(rec["name"])
    if call is None:
        return f"unknown syscall {rec['name']!r} (nr {rec['nr']}) in this ABI"
    if call.nr != rec["nr"]:
        return f"syscall {call.name}: nr {rec['nr']}, the ABI says {call.nr}"
    want = [n for n, _ in call.args]
    if set(rec["args"]) != set(want):       # JSON members are unordered: compare names only
        return f"syscall {call.name}: args {sorted(rec['args'])}, the ABI says {want}"
    for name, kind in call.args:
        if not value_fits_kind(rec["args"][name], kind):
            return f"syscall {call.name}: argument {name!r} is not a valid {kind}: " \
                   f"{json.dumps(rec['args'][name])[:60]}"
    return None


def _is_fault(v: Any) -> bool:
    return isinstance(v, dict) and set(v) == {"fault"} and isinstance(v["fault"], str) \
        and bool(PTR_RE.match(v["fault"]))


def value_fits_kind(v: Any, kind: str) -> bool:
    """Whether an argument value has the JSON shape docs/trace-format.md gives its kind."""
    if kind in INT_KINDS:
        return type(v) is int
    if kind == "ptr":
        return isinstance(v, str) and bool(PTR_RE.match(v))
    if kind == "cstr":
        return isinstance(v, str) or _is_fault(v)
    if kind == "argv":
        return (isinstance(v, list) and all(isinstance(s, str) for s in v)) or _is_fault(v)
    if kind in BUF_KINDS:
        return _is_buffer(v)
    if kind == "fds_out":
        return v is None or (isinstance(v, list) and len(v) == 2 and all(type(x) is int for x in v))
    return False


def _is_buffer(v: Any) -> bool:
    """{"data":STR,"len":N[,"trunc":true]}, {"len":0} on error, or a fault address."""
    if not isinstance(v, dict) or type(v.get("len")) is not int:
        return False
    if "fault" in v:
        return isinstance(v["fault"], str) and set(v) <= {"fault", "len"}
    if not set(v) <= {"data", "len", "trunc"}:
        return False
    if "data" in v and not isinstance(v["data"], str):
        return False
    return v.get("trunc", True) is True
