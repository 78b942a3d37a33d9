"""strace output -> Levitate's JSONL trace (docs/linux-oracle.md).

A call the ABI table knows (matched by number, the name is the table's) has
its arguments decoded by the table's kinds, exactly as Levitate's kernel
records them (kernel/trace/trace.c): buffers with their bytes cut at 4096 and
their full length, C strings and argv whole, pipe descriptors, pointers as
hex.  strace_options() chooses strace's options so that this is exact: -xx
(every string byte in hex), -X raw (flags as numbers), -y (descriptor paths,
to tell console reads), and verbose=!CALLS for the calls whose pointer
arguments Levitate records as addresses, so strace prints the addresses
instead of what they point to.

A call the table does not know keeps its Linux name and number, with its
arguments as strace wrote them (strings decoded), so it shows in diffs.

rt_sigaction and rt_sigprocmask are the exception: strace decodes what their
pointers point to (the converter follows dispositions and masks from them,
strace_signals.py), so a non-NULL pointer it decoded is recorded as
DECODED_ADDRESS, an address no user pointer has (the testkit masks addresses).

Pids: the process strace started (Levitate's /bin/init) becomes pid 1, as on
Levitate; a pid argument or result naming Linux's own pid 1 (the oracle's
/init, outside the trace) becomes 0, what Levitate's init sees as its parent.
Signals become format 3's `signal` and `sigdeliver` records (strace_signals.py).
"""
from __future__ import annotations

import errno
import json
import re
from dataclasses import dataclass, field
from typing import Any

from testkit.abi import Abi, BUF_KINDS, INT_KINDS
from testkit.abi import Call as AbiCall
from testkit.strace_parse import NORETURN, Call, Exit, Parsed, Signal, Started, StraceError, parse, split_args
from testkit.strace_signals import SIGNALS, SignalModel

FORMAT = 3
BUF_CUT = 4096                     # kernel/trace/trace.c TRACE_BUF_CUT
STRING_LIMIT = 65536               # strace -s: C strings and argv elements longer are cut
LINUX_LAST_NR = 511                # numbers above are Levitate's own calls, unknown to strace
CONSOLES = re.compile(r"^/dev/(console|tty\w*)$")
KERNEL_ERRNOS = {"ERESTARTSYS": 512, "ERESTARTNOINTR": 513, "ERESTARTNOHAND": 514,
                 "ENOIOCTLCMD": 515, "ERESTART_RESTARTBLOCK": 516}
CLONE_NAMES = {"child_stack": "stack", "stack": "stack", "flags": "flags", "parent_tid": "parent_tid",
               "parent_tidptr": "parent_tid", "child_tidptr": "child_tid", "tls": "tls"}
PID_RETURNING = ("pid",)
SIGNED_KINDS = ("int", "fd", "pid", "off")      # kernel/trace/trace.c: json_i64; the others json_u64
# Calls strace decodes (not raw, not addresses): the signal model reads their structures.
DECODED_FOR_SIGNALS = {"rt_sigaction": ("act", "oldact"), "rt_sigprocmask": ("set", "oldset")}
DECODED_ADDRESS = "0xffffffffffffffff"    # a pointer strace decoded: its value is not shown


def strace_options(abi: Abi) -> list[str]:
    """strace's options for a recording whose output convert() reads exactly."""
    raw, addr_only = raw_and_address_calls(abi)
    opts = ["-f", "-n", "-q", "-X", "raw", "-xx", "-y", "-v", "-s", str(STRING_LIMIT)]
    opts += ["-e", "raw=" + ",".join(raw)] if raw else []
    return opts + (["-e", "verbose=!" + ",".join(addr_only)] if addr_only else [])


def raw_and_address_calls(abi: Abi) -> tuple[list[str], list[str]]:
    """The table's Linux calls whose arguments are all numbers or addresses (strace
    prints their registers raw: every argument, even one the call ignores, exactly
    as the kernel records it), and the other calls with an address argument that
    strace must not dereference (no argv, fds_out or iov_in to decode)."""
    raw, addr_only = [], []
    for c in sorted(abi.calls.values(), key=lambda c: c.name):
        if c.nr > LINUX_LAST_NR or c.status == "removed" or not c.args or c.name in DECODED_FOR_SIGNALS:
            continue
        kinds = {k for _, k in c.args}
        if kinds <= set(INT_KINDS) | {"ptr"}:
            raw.append(c.name)
        elif "ptr" in kinds and not kinds & {"argv", "fds_out", "iov_in"}:
            addr_only.append(c.name)
    return raw, addr_only


@dataclass
class Conversion:
    """The records (boot first, halt last when the root process exited), the
    signal lines read, and calls cut off by their process's death (not written)."""
    records: list[dict[str, Any]]
    signals: list[Signal] = field(default_factory=list)
    abandoned: list[Call] = field(default_factory=list)

    def jsonl(self) -> str:
        return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in self.records)


def signal_numbers() -> dict[str, int]:
    """strace's signal names and their numbers (the kernel's real-time range)."""
    return dict(SIGNALS)


def convert(text: str, abi: Abi, kernel: str, cmdline: str) -> Conversion:
    """Convert strace's whole output; StraceError names a line it cannot read."""
    parsed: Parsed = parse(text, signal_numbers())
    root = parsed.first_pid
    conv = Conversion([{"seq": 0, "type": "boot", "format": FORMAT, "kernel": kernel,
                        "abi": abi.hash, "cmdline": cmdline}], abandoned=parsed.abandoned)
    pids = _PidMap(root)
    by_nr = {c.nr: c for c in abi.calls.values()}

    def emit(rec: dict[str, Any]) -> None:
        conv.records.append({"seq": len(conv.records), **rec})

    model = SignalModel(emit, pids)
    model.learn(parsed.events)
    split = {ev.started: ev for ev in parsed.events if isinstance(ev, Call) and ev.started is not None}
    for ev in parsed.events:
        me = pids(ev.pid)
        if isinstance(ev, Started):
            if ev.line in split and _call_record(split[ev.line], abi, by_nr, pids) is not None:
                model.before_call(split[ev.line], me)      # its signals went out while it ran
        elif isinstance(ev, Signal):
            conv.signals.append(ev)
            model.on_signal(ev, me)
        elif isinstance(ev, Exit):
            model.on_exit(ev, me)
            emit(_exit_record(ev, pids))
            if ev.pid == root:
                emit({"type": "halt", "status": ev.status})
                break
        else:
            rec = _call_record(ev, abi, by_nr, pids)
            if rec is None:
                continue
            if ev.started is None:
                model.before_call(ev, me)
            emit(rec)
            model.after_call(ev, me)
    return conv


class _PidMap:
    """Linux pids as the trace shows them: root -> 1, Linux's pid 1 -> 0."""

    def __init__(self, root: int | None) -> None:
        self.root = root

    def __call__(self, pid: int | None) -> int:
        if pid is None or pid == self.root:
            return 1
        return 0 if pid == 1 else pid


def _exit_record(ev: Exit, pids: _PidMap) -> dict[str, Any]:
    return {"type": "exit", "pid": pids(ev.pid), "status": ev.status}


def _nr_of(call: Call, known: AbiCall | None) -> int:
    """The call's number as Levitate records it: rax as an unsigned 64-bit
    value (strace may print -1, or only the name syscall_0xffffffffffffffff)."""
    nr = call.nr if call.nr is not None else known.nr if known else None
    if nr is None and call.name.startswith("syscall_0x"):
        nr = int(call.name[len("syscall_"):], 16)
    return (nr if nr is not None else -1) & 0xFFFFFFFFFFFFFFFF


def _call_record(call: Call, abi: Abi, by_nr: dict[int, AbiCall], pids: _PidMap) -> dict[str, Any] | None:
    """The syscall record of one call; None for a call its process never returned from.
    The table's call is found by number (by name when strace printed no number)."""
    if call.ret is None and call.name not in NORETURN:
        return None
    known = by_nr.get(call.nr) if call.nr is not None else abi.call(call.name)
    ret = None if call.name in NORETURN else _ret_value(call)
    rec: dict[str, Any] = {"type": "syscall", "pid": pids(call.pid),
                           "nr": _nr_of(call, known),
                           "name": known.name if known else call.name}
    if known is None and call.name.startswith("syscall_"):
        rec["name"], rec["args"] = None, {}      # Linux does not know it either: as Levitate records it
    elif known is None:
        rec["args"] = {f"arg{i}": _plain(a) for i, a in enumerate(call.args)}
    else:
        rec["args"] = _decode_args(call, known, ret, pids)
        if known.ret in PID_RETURNING and type(ret) is int and ret > 0:
            ret = pids(ret)
    if ret is not None:
        rec["ret"] = ret
        if -4095 <= ret <= -1:
            rec["err"] = call.errname
    if known and known.name == "read" and type(ret) is int and ret >= 0 and _is_console(call.args[0]):
        rec["input"] = True
    if any(isinstance(v, CutString) for v in _values(rec["args"])):
        rec["trunc"] = True       # a C string longer than strace's -s: the record says so
    return rec


class CutString(str):
    """A C string strace cut at its -s limit (serialized as a plain string)."""


def _values(args: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for v in args.values():
        out += v if isinstance(v, list) else [v]
    return out


def _ret_value(call: Call) -> int:
    """The raw return value: -errno for an error (strace shows -1 or ?, then the name)."""
    if call.errname is not None:
        num = KERNEL_ERRNOS.get(call.errname) or getattr(errno, call.errname, None)
        if num is None:
            raise StraceError(call.line, f"{call.name}: unknown errno {call.errname}")
        return -num
    try:
        return _register(_int(call.ret or ""), True)
    except ValueError:
        raise StraceError(call.line, f"{call.name}: unreadable return value {call.ret!r}") from None


# --- argument decoding by ABI kind -------------------------------------------------

def _decode_args(call: Call, known: AbiCall, ret: int | None, pids: _PidMap) -> dict[str, Any]:
    texts = _by_abi_position(call, known)
    raw_ints: dict[str, int] = {}
    out: dict[str, Any] = {}
    for name, kind in known.args:
        t = texts.get(name)
        if kind in INT_KINDS:
            v = _register(_int_arg(call, name, t), kind in SIGNED_KINDS)
            raw_ints[name] = v
            out[name] = pids(v) if kind == "pid" and v > 0 else v
    for name, kind in known.args:
        if kind in INT_KINDS:
            continue
        t = texts.get(name)
        try:
            out[name] = _decode(kind, t, call, known, ret, raw_ints)
        except ValueError as e:
            raise StraceError(call.line, f"{call.name}: argument {name} ({kind}): {e}") from None
    return {name: out[name] for name, _ in known.args}     # the table's order, for reading


def _by_abi_position(call: Call, known: AbiCall) -> dict[str, str]:
    """strace's argument texts by ABI argument name: by position, or by strace's
    own key=value names (clone).  Arguments strace did not print are absent."""
    names = [n for n, _ in known.args]
    if call.args and all(re.match(r"^\w+=", a) for a in call.args):
        out = {}
        for a in call.args:
            key, _, value = a.partition("=")
            out[CLONE_NAMES.get(key, key)] = value
        return out
    return dict(zip(names, call.args))


def _register(v: int, signed: bool) -> int:
    """A 64-bit register as the kernel's trace prints it (strace -e raw prints hex)."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if signed and v >> 63 else v


def _int_arg(call: Call, name: str, text: str | None) -> int:
    """An integer argument; one strace did not print (Linux ignores it) is 0."""
    if text is None:
        return 0
    try:
        return _int(text)
    except ValueError:
        raise StraceError(call.line, f"{call.name}: argument {name} is not a number: {text[:60]}") from None


def _int(text: str) -> int:
    """strace's numbers: decimal, 0x hex, 0 octal, NULL, A|B, fd<path>, trailing comment."""
    t = re.sub(r"/\*.*?\*/", "", text).strip()
    t = re.sub(r"<[^>]*>$", "", t)
    if t == "NULL":
        return 0
    if "|" in t:
        v = 0
        for part in t.split("|"):
            v |= _int(part)
        return v
    if re.fullmatch(r"-?0[0-7]+", t):
        return int(t.replace("0", "0o", 1) if not t.startswith("-") else "-0o" + t[2:], 0)
    return int(t, 0)


def _decode(kind: str, text: str | None, call: Call, known: AbiCall, ret: int | None,
            ints: dict[str, int]) -> Any:
    if kind == "ptr":
        decoded = text is not None and text.strip()[:1] in ("{", "[", "~")
        return DECODED_ADDRESS if decoded and known.name in DECODED_FOR_SIGNALS else _ptr(text)
    if kind == "cstr":
        return _cstr(text)
    if kind == "argv":
        return _argv(text)
    if kind == "fds_out":
        return _fds(text) if ret is not None and ret >= 0 else None
    if kind in BUF_KINDS:
        return _buffer(kind, text, call, known, ret, ints)
    raise ValueError(f"unknown kind {kind}")


def _ptr(text: str | None) -> str:
    if text is None or text.strip() == "NULL":
        return "0x0"
    t = re.sub(r"/\*.*?\*/", "", text).strip()
    if not re.fullmatch(r"0x[0-9a-fA-F]+|\d+", t):
        raise ValueError(f"strace printed what it points to, not the address: {text[:60]}")
    return hex(int(t, 0))


def _fault(text: str | None) -> dict[str, str]:
    return {"fault": _ptr(text)}


def _string(text: str) -> tuple[str, bool] | None:
    """A strace string literal (with -xx every byte is \\xHH) as latin-1 text, and
    whether strace cut it ("..." after the closing quote); None if not a string."""
    t = text.strip()
    cut = t.endswith('"...')
    if cut:
        t = t[:-3]
    if len(t) < 2 or t[0] != '"' or t[-1] != '"':
        return None
    body = t[1:-1]
    return _unescape(body), cut


def _unescape(body: str) -> str:
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "f": "\f", "\\": "\\", '"': '"'}
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
        elif body[i + 1] == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif body[i + 1] in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            assert m is not None
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        else:
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
    return "".join(out)


def _cstr(text: str | None) -> Any:
    s = _string(text or "NULL")
    if s is None:
        return _fault(text)
    data, cut = s
    return CutString(data) if cut else data


def _argv(text: str | None) -> list[Any]:
    """argv/envp as the kernel records them: an unreadable array (strace shows its
    address, or NULL) is [], an unreadable element {"fault": its address}."""
    t = (text or "NULL").strip()
    if not t.startswith("["):
        return []
    out: list[Any] = []
    for item in split_args(0, t[1:-1]):
        if item == "...":
            continue
        s = _string(item)
        if s is None:
            out.append(_fault(item))
        else:
            out.append(CutString(s[0]) if s[1] else s[0])
    return out


def _fds(text: str | None) -> list[int]:
    t = (text or "").strip()
    if not t.startswith("["):
        raise ValueError(f"expected [fd, fd]: {t[:40]}")
    return [_int(x) for x in split_args(0, t[1:-1])]


def _buffer(kind: str, text: str | None, call: Call, known: AbiCall, ret: int | None,
            ints: dict[str, int]) -> dict[str, Any]:
    """{"data","len"[,"trunc"]} as kernel/trace/trace.c writes it."""
    if kind == "buf_out" and (ret is None or ret < 0):
        return {"len": 0}
    if kind == "iov_in":
        data, total = _iov(text)
    else:
        s = _string(text or "NULL")
        if s is None:       # strace could not read it: the kernel shows no bytes of it
            n = ints.get(_len_arg(known), 0) if kind == "buf_in" else ret or 0
            _ptr(text)
            return {"data": "", "len": n, "trunc": True} if n else {"data": "", "len": 0}
        data = s[0]
        total = ints.get(_len_arg(known), len(data)) if kind == "buf_in" else ret or 0
        if known.name == "getcwd" and len(data) == total - 1:
            data += "\0"                 # strace prints the path, the call also returns its NUL
    is_input = known.name == "read" and call.args and _is_console(call.args[0])
    cut = total if is_input else BUF_CUT
    out: dict[str, Any] = {"data": data[:min(cut, total)], "len": total}
    if min(cut, total) < total:
        out["trunc"] = True
    return out


def _len_arg(known: AbiCall) -> str:
    """The length of a buf_in: the call's size argument (write's count)."""
    return next((name for name, k in known.args if k == "size"), "")


def _iov(text: str | None) -> tuple[str, int]:
    """writev's iovecs: their bytes concatenated and the sum of their lengths."""
    t = (text or "").strip()
    if not t.startswith("["):
        return "", 0
    data, total = [], 0
    for item in split_args(0, t[1:-1]):
        if item == "...":
            continue
        fields = dict(f.partition("=")[::2] for f in split_args(0, item.strip("{}")))
        n = _int(fields.get("iov_len", "0"))
        s = _string(fields.get("iov_base", ""))
        data.append(s[0][:n] if s else "")
        total += n
    return "".join(data), total


def _is_console(fd_text: str) -> bool:
    """Whether strace's -y path of this descriptor is a terminal (the console)."""
    m = re.search(r"<(.*)>$", fd_text.strip())
    return bool(m and CONSOLES.match(_unescape(m.group(1))))


def _plain(text: str) -> Any:
    """An argument of a call the table does not know: numbers and strings decoded."""
    s = _string(text)
    if s is not None:
        return s[0]
    try:
        return _int(text)
    except ValueError:
        return text
