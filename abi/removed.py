"""abi/removed.lst: every syscall number ever marked removed, reserved forever.

The table alone cannot tell that a number was once removed: someone could
flip a removed row back to active, or give its number to a new call, and old
golden traces would then decode wrongly.  This append-only list remembers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from abitable import TABLE_PATH, Syscall, TableError

REMOVED_PATH = "abi/removed.lst"

REMOVED_HEADER = """\
# Syscall numbers ever marked 'removed' in abi/syscalls.tbl, one 'nr name' a line.
# A number listed here is reserved forever: its row must stay in the table,
# with the same name and status 'removed'.  abi/gen.py appends to this file
# when a row becomes removed; never edit or delete a line.
"""


@dataclass(frozen=True)
class Removed:
    """One entry of the list; line is its 1-based line in the list file."""
    line: int
    nr: int
    name: str


def parse_removed(text: str) -> tuple[list[Removed], list[TableError]]:
    """Parse the list: entries in file order, and every malformed line."""
    entries: list[Removed] = []
    errors: list[TableError] = []
    seen: dict[int, Removed] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([0-9]+)\s+([A-Za-z_][A-Za-z0-9_]*)", line)
        if not m:
            errors.append(TableError(REMOVED_PATH, lineno,
                                     f"expected 'nr name', found '{line}'"))
            continue
        entry = Removed(lineno, int(m.group(1)), m.group(2))
        first = seen.setdefault(entry.nr, entry)
        if first is not entry:
            errors.append(TableError(REMOVED_PATH, lineno,
                                     f"nr {entry.nr} listed twice (first on line {first.line})"))
            continue
        entries.append(entry)
    return entries, errors


def check_removed(rows: list[Syscall], removed: list[Removed]) -> list[TableError]:
    """A removed number keeps its row: same name, status 'removed', forever."""
    errors: list[TableError] = []
    by_nr = {row.nr: row for row in rows}
    for old in removed:
        row = by_nr.get(old.nr)
        if row is None:
            errors.append(TableError(REMOVED_PATH, old.line,
                          f"removed call {old.name} ({old.nr}) has no row in {TABLE_PATH}: "
                          "a removed row stays in the table forever"))
        elif row.name != old.name:
            errors.append(TableError(TABLE_PATH, row.line,
                          f"nr {row.nr} is a removed number (was {old.name}, "
                          f"{REMOVED_PATH}:{old.line}): a removed number is never used again"))
        elif row.status != "removed":
            errors.append(TableError(TABLE_PATH, row.line,
                          f"{row.name} ({row.nr}) was removed ({REMOVED_PATH}:{old.line}) "
                          f"and cannot become '{row.status}' again: a removed number is "
                          "never used again; add the call under a new number"))
    return errors


def updated_removed(text: str, rows: list[Syscall], removed: list[Removed]) -> str:
    """The list's new text: text plus a line for each row newly marked removed.

    An empty or missing list starts with REMOVED_HEADER.  Rows are appended in
    number order, so the result does not depend on the table's row order.
    """
    known = {old.nr for old in removed}
    new = sorted((r for r in rows if r.status == "removed" and r.nr not in known),
                 key=lambda r: r.nr)
    out = text if text.strip() else REMOVED_HEADER
    if new and not out.endswith("\n"):
        out += "\n"
    return out + "".join(f"{r.nr} {r.name}\n" for r in new)
