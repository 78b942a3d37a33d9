"""Read strace's text output into events: whole calls, exits, signals.

The text is what `strace -f -n -xx -X raw -y ...` writes to its -o file
(strace_convert.strace_options gives the exact options): each line starts with
the pid and, with -n, the call's number in brackets.  With -f, a call that
another process interrupted is written in two pieces,

    83    [  61] wait4(-1,  <unfinished ...>
    ...
    83    [  61] <... wait4 resumed>0x7ffc577987f0, 0, NULL) = 84

which are joined here into one call placed at the resumed line (where the
call returned, as Levitate records it).  Arguments are split at the top-level
commas but not decoded: strace_convert.py decodes them by their ABI kinds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

NORETURN = ("exit", "exit_group")      # strace prints "= ?": they never return

_LINE = re.compile(r"^(?:(\d+)\s+)?(?:\[\s*(-?[\d?]+)\]\s+)?(.*)$")
_EXITED = re.compile(r"^\+\+\+ exited with (\d+) \+\+\+$")
_KILLED = re.compile(r"^\+\+\+ killed by (SIG\w+)( \(core dumped\))? \+\+\+$")
_SIGNAL = re.compile(r"^--- (SIG\w+|stopped by SIG\w+) ?(.*?) ?---$")
_RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")
_UNFINISHED = " <unfinished ...>"
_CALL = re.compile(r"^(\w+)\((.*)$")


class StraceError(Exception):
    """strace output this reader cannot follow; the message names the line."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(f"strace output line {line}: {what}")
        self.line = line


@dataclass
class Call:
    """One system call: args are strace's top-level argument texts."""
    line: int
    pid: int | None
    nr: int | None
    name: str
    args: list[str]
    ret: str | None                 # "0", "0x7f..", "3<...>", "-1", "?"; None: never returned
    errname: str | None = None      # "ENOENT", "ERESTARTSYS"
    started: int | None = None      # the line of its "<unfinished ...>" start, when split


@dataclass
class Started:
    """Where a call strace split in two began: what it did while others ran (a
    kill's signal reached its target) happened after this line."""
    line: int
    pid: int | None
    name: str


@dataclass
class Exit:
    line: int
    pid: int | None
    status: int                     # Linux wait status (code << 8, or the signal number)


@dataclass
class Signal:
    line: int
    pid: int | None
    name: str                       # "SIGCHLD", or "stopped by SIGSTOP"
    info: str                       # "{si_signo=17, si_code=0x1, si_pid=84, ...}", "" when stopped

    @property
    def stopped(self) -> bool:
        """A group-stop (`--- stopped by SIGTSTP ---`), not a delivery."""
        return self.name.startswith("stopped by ")

    @property
    def signame(self) -> str:
        return self.name.removeprefix("stopped by ")

    def fields(self) -> dict[str, str]:
        """The siginfo's fields as strace printed them ({} for a group-stop);
        StraceError names the line when it is not {key=value, ...}."""
        if self.stopped:
            return {}
        t = self.info.strip()
        if not (t.startswith("{") and t.endswith("}")):
            raise StraceError(self.line, f"{self.name}: unreadable siginfo: {t[:80]}")
        out = {}
        for part in split_args(self.line, t[1:-1]):
            key, eq, value = part.partition("=")
            if not eq:
                raise StraceError(self.line, f"{self.name}: unreadable siginfo field: {part[:40]}")
            out[key.strip()] = value.strip()
        return out


Event = Call | Exit | Signal | Started


@dataclass
class Parsed:
    """Events in output order, and unfinished calls no resumed line completed."""
    events: list[Event] = field(default_factory=list)
    abandoned: list[Call] = field(default_factory=list)
    first_pid: int | None = None     # the process strace started (its first line)


def parse(text: str, signals: dict[str, int]) -> Parsed:
    """All events of strace's output; signals maps names to numbers (for killed-by)."""
    out = Parsed()
    pending: dict[int | None, tuple[int, int | None, str, str]] = {}
    seen = False
    for n, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        m = _LINE.match(raw)
        assert m is not None                         # the pattern matches any line
        pid = int(m.group(1)) if m.group(1) else None
        if not seen:
            out.first_pid, seen = pid, True
        nr = int(m.group(2)) if m.group(2) and m.group(2).lstrip("-").isdigit() else None
        _parse_rest(out, pending, n, pid, nr, m.group(3), signals)
    for line, nr, name, _ in pending.values():
        out.abandoned.append(Call(line, None, nr, name, [], None))
    return out


def _parse_rest(out: Parsed, pending: dict[int | None, tuple[int, int | None, str, str]],
                n: int, pid: int | None, nr: int | None, rest: str, signals: dict[str, int]) -> None:
    """One line after its pid and number prefix."""
    if rest.startswith("+++"):
        out.events.append(Exit(n, pid, _exit_status(n, rest, signals)))
        if pid in pending:
            line, pnr, name, _ = pending.pop(pid)
            out.abandoned.append(Call(line, pid, pnr, name, [], None))
        return
    if rest.startswith("---"):
        m = _SIGNAL.match(rest)
        if not m:
            raise StraceError(n, f"unreadable signal line: {rest[:80]}")
        out.events.append(Signal(n, pid, m.group(1), m.group(2)))
        return
    resumed = _RESUMED.match(rest)
    if resumed:
        if pid not in pending or pending[pid][2] != resumed.group(1):
            raise StraceError(n, f"<... {resumed.group(1)} resumed> without its unfinished start")
        line, pnr, name, head = pending.pop(pid)
        if name in NORETURN:
            return                                   # recorded at its start already
        call = _call(n, pid, pnr if pnr is not None else nr, name, head + " " + resumed.group(2))
        call.started = line
        out.events.append(call)
        return
    m = _CALL.match(rest)
    if not m:
        raise StraceError(n, f"not a call, exit or signal: {rest[:80]}")
    if rest.endswith(_UNFINISHED):
        head = m.group(2)[:-len(_UNFINISHED)]
        pending[pid] = (n, nr, m.group(1), head)
        if m.group(1) in NORETURN:                   # it will never resume: record it now
            out.events.append(Call(n, pid, nr, m.group(1), split_args(n, head), None))
        else:
            out.events.append(Started(n, pid, m.group(1)))
        return
    out.events.append(_call(n, pid, nr, m.group(1), m.group(2)))


def _exit_status(n: int, rest: str, signals: dict[str, int]) -> int:
    m = _EXITED.match(rest)
    if m:
        return int(m.group(1)) << 8
    m = _KILLED.match(rest)
    if m and m.group(1) in signals:
        return signals[m.group(1)] | (0x80 if m.group(2) else 0)
    raise StraceError(n, f"unreadable exit line: {rest[:80]}")


def _call(n: int, pid: int | None, nr: int | None, name: str, text: str) -> Call:
    """A whole call from the text after "name(": arguments, ") = ", result."""
    args_end = _closing_paren(n, text)
    args = split_args(n, text[:args_end])
    result = text[args_end + 1:].strip()
    if not result.startswith("="):
        raise StraceError(n, f"{name}: no result after the arguments")
    words = result[1:].split()
    ret = words[0] if words else "?"
    errname = words[1] if len(words) > 1 and re.fullmatch(r"E[A-Z0-9_]+", words[1]) else None
    return Call(n, pid, nr, name, args, None if ret == "?" and errname is None else ret, errname)


def _structure(n: int, text: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, nesting depth before it) for each character outside
    string literals and comments: the punctuation that gives strace's text its shape."""
    depth, i = 0, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i = _string_end(n, text, i)
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i)
            if end < 0:
                raise StraceError(n, "unclosed comment")
            i = end + 2
            continue
        yield i, c, depth
        depth += 1 if c in "([{<" else -1 if c in ")]}>" else 0
        i += 1


def _closing_paren(n: int, text: str) -> int:
    """Index of the ")" that closes the argument list (text starts after "(")."""
    for i, c, depth in _structure(n, text):
        if c == ")" and depth == 0:
            return i
    raise StraceError(n, "the argument list is not closed")


def _string_end(n: int, text: str, i: int) -> int:
    """Index just past the string literal starting at text[i] (a quote)."""
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    raise StraceError(n, "unclosed string")


def split_args(n: int, text: str) -> list[str]:
    """Top-level comma-separated pieces, stripped ("" for no arguments)."""
    parts, start = [], 0
    for i, c, depth in _structure(n, text):
        if c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    last = text[start:].strip()
    if last or parts:
        parts.append(last)
    return parts
