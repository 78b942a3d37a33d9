"""Symbolic constants in equivalence rules: one function, resolve_constant.

A rule may write `"flags": "O_CLOEXEC"` or `"O_RDONLY|O_CLOEXEC"` where a number
is recorded.  The names and their values come from testkit/testkit/symbols.py
(the ABI table and the kernel's headers) when it is there; until then from the
few names below, which the shipped rules use.  The rule engine asks only
resolve_constant, so the table behind it can change without touching a rule.
"""
from __future__ import annotations

import re
from typing import Callable

# Only what the shipped rules and the language's tests name; symbols.py is the real table.  Values are
# Linux's (x86_64), which Levitate's headers define too (kernel/fs/fs_abi.h,
# kernel/proc/signal.h).
_FALLBACK: dict[str, int] = {
    "AT_FDCWD": -100,
    "F_SETFD": 2,
    "FD_CLOEXEC": 1,
    "O_CLOEXEC": 0o2000000,
    "SIGINT": 2,
    "SIGQUIT": 3,
    "SIGCHLD": 17,
    "SIGTSTP": 20,
}

CONSTANT_RE = re.compile(r"[A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*\Z")


class UnknownConstant(Exception):
    """A name no table knows."""


def _symbols_lookup() -> Callable[[str], int | None] | None:
    """symbols.py's name -> value lookup, if that module exists."""
    try:
        from testkit import symbols  # type: ignore[attr-defined]
    except ImportError:
        return None
    fn = getattr(symbols, "value_of", None)
    return fn if callable(fn) else None


def is_constant(text: str) -> bool:
    """Whether text is written like a constant expression: NAME or NAME|NAME..."""
    return CONSTANT_RE.match(text) is not None


def resolve_constant(name: str) -> int:
    """The value of a constant name, or of NAME|NAME (bits or-ed); UnknownConstant if any is unknown."""
    value = 0
    lookup = _symbols_lookup()
    for part in name.split("|"):
        v = lookup(part) if lookup else None
        if v is None:
            v = _FALLBACK.get(part)
        if v is None:
            raise UnknownConstant(f"unknown constant {part!r}")
        value |= v
    return value
