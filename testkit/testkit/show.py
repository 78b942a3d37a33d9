"""strace-like rendering of normalized events and of the process tree.

    [init/1] write(1, "hi\n", 3) = 3
    [init/1] openat(AT_FDCWD (-100), "/nope", O_RDONLY|O_LARGEFILE (0x8000), 0) = -1 ENOENT
    [init/1] syscall_999() = -1 ENOSYS
    [init/1] +++ exited with 0 +++

An argument whose values have names in the ABI table (symbols.py) shows them,
with the raw value beside; a number the table does not know shows as syscall_NR.
"""
from __future__ import annotations

import json
from typing import Any

from testkit.abi import BUF_KINDS, INT_KINDS, Abi, default_abi
from testkit.normalize import Event, Streams
from testkit.procs import ProcessTree
from testkit.symbols import Symbols, signal_name

DEFAULT_LIMIT = 64      # buffer bytes shown before "..."


def quote(s: str, limit: int | None = None) -> str:
    """C-style quoted string of byte characters; cut at limit with '...' after the quote."""
    cut = limit is not None and len(s) > limit
    body = s[:limit] if cut else s
    out = []
    for ch in body:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    return '"' + "".join(out) + '"' + ("..." if cut else "")


def wait_status(status: int) -> str:
    """A Linux wait status in words: 'exited with 1' or 'killed by SIGSEGV'."""
    if status & 0x7F == 0:
        return f"exited with {(status >> 8) & 0xFF}"
    return f"killed by {signal_name(status & 0x7F)}"


def format_value(v: Any, kind: str | None, limit: int | None = DEFAULT_LIMIT,
                 sym: str | None = None, symbols: Symbols | None = None,
                 args: dict[str, Any] | None = None) -> str:
    """One argument value, rendered by its ABI kind; by name (raw value beside)
    when it is a number of a symbol set sym (a by set picks it from args)."""
    if isinstance(v, dict) and "fault" in v:
        return f"<bad address {v['fault']}>"
    sym = symbols.resolve(sym, args) if symbols is not None else None
    if sym is not None and symbols is not None and type(v) is int:
        return symbols.format(sym, v)
    if kind == "ptr":
        return "NULL" if v == "0x0" else str(v)
    if kind in INT_KINDS:
        return str(v)
    if kind == "cstr" and isinstance(v, str):
        return quote(v)
    if kind == "argv" and isinstance(v, list):
        return "[" + ", ".join(format_value(a, "cstr", limit) for a in v) + "]"
    if kind in BUF_KINDS and isinstance(v, dict):
        if "data" not in v:
            return "<no data>"
        cut = quote(v["data"], limit)
        return cut + ("..." if v.get("trunc") and not cut.endswith("...") else "")
    if isinstance(v, str):
        return quote(v)
    return json.dumps(v)


def format_ret(data: dict[str, Any], abi: Abi) -> str:
    if "ret" not in data:
        return "?"
    if "err" in data:
        return f"-1 {data['err']}"
    ret = data["ret"]
    call = abi.call(data["name"]) if isinstance(data.get("name"), str) else None
    if call and call.ret == "ptr" and type(ret) is int:
        return hex(ret)
    return str(ret)


def call_name(data: dict[str, Any]) -> str:
    """A syscall record's name; syscall_NR for a number the table does not know
    (recorded with "name": null)."""
    name = data.get("name")
    return name if isinstance(name, str) else f"syscall_{data.get('nr', '?')}"


def describe_number_change(call: str, arg: str, a: Any, b: Any, abi: Abi | None = None,
                           args: dict[str, Any] | None = None) -> str | None:
    """How a named argument's number changed, by name with the raw values beside
    ('F_GETFD (1) → F_SETFD (2)', '... (0x88241) → ... (0x8241): O_CLOEXEC cleared');
    None when the table names no value of it.  abi: the testkit's own by default;
    args: the call's arguments (fcntl's arg is named by its cmd)."""
    abi = abi or default_abi()
    c = abi.call(call)
    sym = abi.symbols.resolve(dict(c.syms).get(arg), args) if c else None
    return abi.symbols.change(sym, a, b) if sym else None


def format_event(ev: Event, abi: Abi, limit: int | None = DEFAULT_LIMIT) -> str:
    """One event as one line, without the process prefix."""
    d = ev.data
    t = d["type"]
    if t == "syscall":
        call = abi.call(d["name"]) if isinstance(d.get("name"), str) else None
        kinds = dict(call.args) if call else {}
        syms = dict(call.syms) if call else {}
        args_in = d.get("args") or {}
        names = [n for n in kinds if n in args_in] + [n for n in args_in if n not in kinds]
        args = ", ".join(format_value(args_in[n], kinds.get(n), limit, syms.get(n), abi.symbols, args_in)
                         for n in names)
        line = f"{call_name(d)}({args}) = {format_ret(d, abi)}"
        return line + ("  <console input>" if d.get("input") else "")
    if t == "exit":
        return f"+++ {wait_status(d['status'])} (status {d['status']}) +++"
    if t == "fault":
        return (f"--- fault: vector {d['vector']} error {d['error']} addr {d['addr']} "
                f"rip {d['rip']}, {signal_name(d['signal'])} ---")
    if t == "halt":
        return f"=== halt: init {wait_status(d['status'])} (status {d['status']}) ==="
    if t == "panic":
        return f"!!! kernel panic: {d['msg']} !!!"
    return json.dumps(d)


def render_streams(streams: Streams, abi: Abi, only: str | None = None,
                   interleaved: bool = False, limit: int | None = DEFAULT_LIMIT) -> list[str]:
    """Lines '[proc] event', grouped per process (tree order) or in seq order."""
    pairs = [(name, ev) for name, evs in streams.items() if only in (None, name) for ev in evs]
    if interleaved:
        pairs.sort(key=lambda p: p[1].seq)
    return [f"[{name}] {format_event(ev, abi, limit)}" for name, ev in pairs]


def render_tree(tree: ProcessTree) -> list[str]:
    """One line per process, indented by depth: name, pid, program, how it ended."""
    lines = []
    for name, p in tree.procs.items():
        depth = name.count("/")
        argv = p.argv()
        prog = " ".join(argv) if argv else "(started by the kernel)" if p.pid == 1 else "?"
        end = next((wait_status(r["status"]) for r in p.records if r["type"] == "exit"), "no exit record")
        lines.append(f"{'  ' * depth}{name}  (pid {p.pid})  {prog}  [{end}]")
    return lines
