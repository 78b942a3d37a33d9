#!/usr/bin/python3
"""Generate every file derived from abi/syscalls.tbl.

    gen.py           write the outputs (only those whose text changed) and
                     append newly removed rows to abi/removed.lst
    gen.py --check   regenerate in memory; exit 1 naming each stale or missing file

Both exit 2, printing "abi/syscalls.tbl:LINE: what is wrong" for each problem,
when the table (or abi/removed.lst) is bad.  --root DIR works on another tree
(the tests use a scratch copy).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from abitable import TABLE_PATH, Syscall, TableError, parse_table
from removed import REMOVED_PATH, Removed, check_removed, parse_removed, updated_removed
from render_kernel import syscall_decl_h, syscall_nr_h, syscall_table_c
from render_user import abi_json, abi_md, los_abi_args_h, los_abi_h
from symtable import SYMBOLS_PATH, SymbolSet, parse_symbols

EXIT_STALE = 1
EXIT_BAD_TABLE = 2


class BadTable(Exception):
    """The table or the removed list has problems; args[0] is the list of them."""


def abi_hash(table_bytes: bytes) -> str:
    """The ABI's identity: the first 16 hex digits of sha256 of the table file."""
    return hashlib.sha256(table_bytes).hexdigest()[:16]


def render_all(rows: list[Syscall], table_bytes: bytes, removed_text: str,
               removed_rows: list[Removed], sets: list[SymbolSet] | None = None) -> dict[str, str]:
    """Every output's path (relative to the root) and its text."""
    h = abi_hash(table_bytes)
    sets = sets or []
    return {
        "kernel/gen/syscall_nr.h": syscall_nr_h(rows),
        "kernel/gen/syscall_decl.h": syscall_decl_h(rows),
        "kernel/gen/syscall_table.c": syscall_table_c(rows, h),
        "userspace/include/los_abi.h": los_abi_h(rows, h),
        "userspace/include/los_abi_args.h": los_abi_args_h(rows, h),
        "testkit/testkit/abi.json": abi_json(rows, h, sets),
        "docs/abi.md": abi_md(rows, h, sets),
        REMOVED_PATH: updated_removed(removed_text, rows, removed_rows),
    }


def _read_text(path: Path) -> str:
    """The file's text, or "" when it does not exist."""
    return path.read_text(encoding="utf-8") if path.exists() else ""


def generate(root: Path) -> dict[str, str]:
    """Read and validate the table; return every output's text.  Raises BadTable."""
    try:
        table_bytes = (root / TABLE_PATH).read_bytes()
        table_text = table_bytes.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadTable([TableError(TABLE_PATH, 0, f"cannot read: {e}")]) from e
    rows, errors = parse_table(table_text)
    removed_text = _read_text(root / REMOVED_PATH)
    removed_rows, removed_errors = parse_removed(removed_text)
    errors += removed_errors
    sets, symbol_errors = parse_symbols(_read_text(root / SYMBOLS_PATH), root)
    errors += symbol_errors + check_set_uses(rows, sets)
    if not errors:
        errors += check_removed(rows, removed_rows)
    if errors:
        raise BadTable(sorted(errors, key=lambda e: (e.path, e.line)))
    rows = sorted(rows, key=lambda r: r.nr)
    return render_all(rows, table_bytes, removed_text, removed_rows, sets)


def check_set_uses(rows: list[Syscall], sets: list[SymbolSet]) -> list[TableError]:
    """Every argument's @set names a set of abi/symbols.tbl; a by(ARG) set's ARG is
    another argument of the call."""
    known = {s.name: s for s in sets}
    errors = []
    for r in rows:
        for a in r.args:
            s = known.get(a.sym) if a.sym is not None else None
            if a.sym is not None and s is None:
                errors.append(TableError(TABLE_PATH, r.line, f"argument '{a.name}': no symbol set "
                                         f"'{a.sym}' in {SYMBOLS_PATH}"))
            elif s is not None and s.by is not None and s.by not in {x.name for x in r.args} - {a.name}:
                errors.append(TableError(TABLE_PATH, r.line, f"argument '{a.name}': set '{a.sym}' "
                                         f"depends on '{s.by}', not another argument of {r.name}"))
    return errors


def write_outputs(root: Path, outputs: dict[str, str]) -> list[str]:
    """Write each output whose text differs from the file's; return their paths.

    Unchanged files are left alone so their timestamps do not trigger rebuilds.
    """
    written = []
    for rel, text in outputs.items():
        path = root / rel
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    return written


def stale_outputs(root: Path, outputs: dict[str, str]) -> list[str]:
    """'missing: PATH' or 'stale: PATH' for each output that differs on disk."""
    problems = []
    for rel, text in outputs.items():
        path = root / rel
        if not path.exists():
            problems.append(f"missing: {rel}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"stale: {rel}")
    return problems


def parse_cmdline(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Generate the ABI files from abi/syscalls.tbl.")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 naming each stale or missing output")
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                    help="tree to work on (default: this checkout)")
    return ap.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run the command line; returns the exit status."""
    args = parse_cmdline(argv)
    try:
        outputs = generate(args.root)
    except BadTable as bad:
        errors: list[TableError] = bad.args[0]
        for err in errors:
            print(err, file=sys.stderr)
        return EXIT_BAD_TABLE
    if args.check:
        problems = stale_outputs(args.root, outputs)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            print("gen.py: generated ABI files are out of date; run `make abi`", file=sys.stderr)
            return EXIT_STALE
        return 0
    for rel in write_outputs(args.root, outputs):
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
