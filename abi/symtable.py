"""Parse abi/symbols.tbl: named values of syscall arguments (O_CLOEXEC, SIGCHLD).

The syscall table says which set an argument's values come from
(`flags:flags@open_flags`); this table says what each set holds.  A name takes
its value from the kernel's own sources (`#define NAME value` anywhere under
kernel/, generated and test files aside), so the testkit decodes exactly what
the kernel implements; a name the kernel does not define carries its value in
the table (`CLONE_VM=0x100`), checked against musl's headers by abi/tests, and
against the kernel's once it defines the name too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from abitable import IDENT_RE, TableError

SYMBOLS_PATH = "abi/symbols.tbl"
STYLES = ("bits", "enum")
BY_RE = re.compile(r"by\((\w+)\)\Z")          # style by(ARG): the set depends on ARG's value
CASE_RE = re.compile(r"([A-Za-z_]\w*):([A-Za-z_]\w*)\Z")
NCOLUMNS = 3
SKIP_DIRS = ("kernel/gen", "kernel/tests")     # generated, and host tests' own fakes

DEFINE_RE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)\s+(.*?)\s*(?:/\*.*|//.*)?$")
INT_RE = re.compile(r"\(?\s*(-?)\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*\s*\)?\Z")
# NAME, NAME=VALUE, then optionally (A B ...) or (@set): a field of a bits set
TOKEN_RE = re.compile(r"([A-Za-z_]\w*)(?:=(\S+?))?(?=\(|\s|\Z)(?:\(([^)]*)\))?")


@dataclass(frozen=True)
class Field:
    """Bits under mask holding one value: of names, or of another set (ref)."""
    name: str
    mask: int
    names: tuple[tuple[str, int], ...]
    ref: str | None


@dataclass(frozen=True)
class SymbolSet:
    """One set: bits (flags that combine), enum (one value of several), or by(ARG):
    the set of the case naming ARG's value (fcntl's arg: FD_CLOEXEC after F_SETFD)."""
    line: int
    name: str
    style: str
    names: tuple[tuple[str, int], ...]
    fields: tuple[Field, ...]
    by: str | None = None
    cases: tuple[tuple[str, str], ...] = ()      # (name of ARG's value, set)


def c_int(text: str) -> int | None:
    """A C integer literal's value (octal, hex, a sign, U/L suffixes, parens); None otherwise."""
    m = INT_RE.match(text.strip())
    if not m:
        return None
    digits = m.group(2)
    base = 16 if digits[:2].lower() == "0x" else 8 if len(digits) > 1 and digits[0] == "0" else 10
    value = int(digits, base)
    return -value if m.group(1) else value


def kernel_defines(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Every '#define NAME text' under root/kernel: NAME -> [(file, text), ...]."""
    found: dict[str, list[tuple[str, str]]] = {}
    kernel = root / "kernel"
    for path in sorted(kernel.rglob("*.[ch]")) if kernel.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if rel.startswith(SKIP_DIRS):
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = DEFINE_RE.match(line)
            if m and m.group(2):
                found.setdefault(m.group(1), []).append((rel, m.group(2)))
    return found


class _Resolver:
    """Values of names: the table's own NAME=VALUE, else the kernel's one #define."""

    def __init__(self, defines: dict[str, list[tuple[str, str]]]) -> None:
        self.defines = defines
        self.errors: list[TableError] = []
        self.line = 0

    def error(self, message: str) -> None:
        self.errors.append(TableError(SYMBOLS_PATH, self.line, message))

    def value(self, name: str, literal: str | None) -> int | None:
        if literal is not None:
            v = c_int(literal)
            if v is None:
                self.error(f"{name}={literal}: not an integer literal")
                return None
            kernel = {c_int(text) for _, text in self.defines.get(name, [])}
            if kernel and kernel != {v}:    # the kernel came to define it: the same value
                self.error(f"{name}={literal}: the kernel defines {name} otherwise "
                           f"({self.defines[name][0][0]}); take its value, give none here")
            return v
        values = {(c_int(text), text) for _, text in self.defines.get(name, [])}
        if not values:
            self.error(f"{name}: the kernel defines no such name; give NAME=VALUE")
            return None
        nums = {v for v, _ in values}
        if None in nums:
            self.error(f"{name}: the kernel's #define is not an integer literal")
            return None
        if len(nums) > 1:
            where = ", ".join(f for f, _ in self.defines[name])
            self.error(f"{name}: the kernel defines it with different values ({where})")
            return None
        return nums.pop()


def parse_symbols(text: str, root: Path) -> tuple[list[SymbolSet], list[TableError]]:
    """Every set of the table, values resolved against root's kernel sources."""
    res = _Resolver(kernel_defines(root))
    sets: list[SymbolSet] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        res.line = lineno
        s = _parse_set(stripped, res)
        if s is not None:
            sets.append(s)
    res.errors += _check_sets(sets)
    return sets, res.errors


def _parse_set(text: str, res: _Resolver) -> SymbolSet | None:
    cols = [c.strip() for c in text.split("|")]
    if len(cols) != NCOLUMNS:
        res.error(f"expected {NCOLUMNS} '|'-separated columns (set|style|names), found {len(cols)}")
        return None
    name, style, names_text = cols
    if not IDENT_RE.match(name):
        res.error(f"bad set name '{name}': must be an identifier")
    by = BY_RE.match(style)
    if by:
        return _parse_by(name, by.group(1), names_text, res)
    if style not in STYLES:
        res.error(f"unknown style '{style}' (expected one of {', '.join(STYLES)}, by(ARG))")
    names: list[tuple[str, int]] = []
    fields: list[Field] = []
    pos = 0
    for m in TOKEN_RE.finditer(names_text):
        if names_text[pos:m.start()].strip():
            res.error(f"cannot read '{names_text[pos:m.start()].strip()}' in the names")
        pos = m.end()
        item = _parse_token(m, style, res)
        if isinstance(item, Field):
            fields.append(item)
        elif item is not None:
            names.append(item)
    if names_text[pos:].strip():
        res.error(f"cannot read '{names_text[pos:].strip()}' in the names")
    if not names and not fields:
        res.error(f"set '{name}' names no values")
    return SymbolSet(res.line, name, style, tuple(names), tuple(fields))


def _parse_by(name: str, arg: str, text: str, res: _Resolver) -> SymbolSet | None:
    """by(ARG) | VALUE:set ...: the cases; their names and sets are checked with the others."""
    cases = []
    for item in text.split():
        m = CASE_RE.match(item)
        if m is None:
            res.error(f"by({arg}): '{item}' is not VALUE_NAME:set")
            return None
        cases.append((m.group(1), m.group(2)))
    if not cases:
        res.error(f"set '{name}' names no cases")
        return None
    return SymbolSet(res.line, name, "by", (), (), arg, tuple(cases))


def _parse_token(m: re.Match[str], style: str, res: _Resolver) -> tuple[str, int] | Field | None:
    """NAME[=VALUE] -> (name, value); MASK[=VALUE](A B | @set) -> a Field."""
    name, literal, inner = m.group(1), m.group(2), m.group(3)
    value = res.value(name, literal)
    if value is None:
        return None
    if inner is None:
        return name, value
    if style != "bits":
        res.error(f"{name}(...): fields belong to bits sets only")
        return None
    inner = inner.strip()
    if inner.startswith("@"):
        return Field(name, value, (), inner[1:])
    members = []
    for member in inner.split():
        mm = re.fullmatch(r"([A-Za-z_]\w*)(?:=(\S+))?", member)
        v = res.value(mm.group(1), mm.group(2)) if mm else None
        if mm is None:
            res.error(f"{name}(...): bad member '{member}'")
        elif v is not None:
            if v & ~value:
                res.error(f"{mm.group(1)} ({v:#x}) has bits outside its field {name} ({value:#x})")
            members.append((mm.group(1), v))
    return Field(name, value, tuple(members), None)


def _check_sets(sets: list[SymbolSet]) -> list[TableError]:
    """Set names unique, field references known, and one value per name everywhere
    (a rule says O_CLOEXEC and must get one number)."""
    errors: list[TableError] = []
    by_name: dict[str, SymbolSet] = {}
    seen: dict[str, tuple[int, str]] = {}
    for s in sets:
        if by_name.setdefault(s.name, s) is not s:
            errors.append(TableError(SYMBOLS_PATH, s.line, f"duplicate set '{s.name}'"))
        for name, value in all_names(s):
            first = seen.setdefault(name, (value, s.name))
            if first[0] != value:
                errors.append(TableError(SYMBOLS_PATH, s.line, f"{name} is {value:#x} here, "
                              f"{first[0]:#x} in set '{first[1]}'"))
    for s in sets:
        for f in s.fields:
            if f.ref is not None and f.ref not in by_name:
                errors.append(TableError(SYMBOLS_PATH, s.line, f"{f.name}(@{f.ref}): no set '{f.ref}'"))
        for value, ref in s.cases:
            if value not in seen:
                errors.append(TableError(SYMBOLS_PATH, s.line, f"{value}:{ref}: no set names {value}"))
            if ref not in by_name or by_name[ref].style == "by":
                errors.append(TableError(SYMBOLS_PATH, s.line, f"{value}:{ref}: no bits or enum set '{ref}'"))
    return errors


def all_names(s: SymbolSet) -> list[tuple[str, int]]:
    """Every (name, value) the set defines: its names, field masks and members."""
    out = list(s.names)
    for f in s.fields:
        out.append((f.name, f.mask))
        out += list(f.names)
    return out
