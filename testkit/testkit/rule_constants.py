"""Symbolic constants in equivalence rules: one function, resolve_constant.

A rule may write `"flags": "O_CLOEXEC"` or `"O_RDONLY|O_CLOEXEC"` where a number
is recorded.  The names and their values are testkit/testkit/symbols.py's (the
ABI table's sets, valued from the kernel's own headers): one table, shared with
the symbolic display of arguments.
"""
from __future__ import annotations

import re

from testkit import symbols

CONSTANT_RE = re.compile(r"[A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*\Z")


class UnknownConstant(Exception):
    """A name no table knows."""


def is_constant(text: str) -> bool:
    """Whether text is written like a constant expression: NAME or NAME|NAME..."""
    return CONSTANT_RE.match(text) is not None


def resolve_constant(name: str) -> int:
    """The value of a constant name, or of NAME|NAME (bits or-ed); UnknownConstant if any is unknown."""
    value = 0
    for part in name.split("|"):
        v = symbols.value_of(part)
        if v is None:
            raise UnknownConstant(f"unknown constant {part!r}")
        value |= v
    return value
