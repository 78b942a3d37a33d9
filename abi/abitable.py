"""Parse and validate abi/syscalls.tbl.

The table is the one place a syscall number is defined; everything in this
module exists so that a mistake in it is reported as "file:line: what is wrong"
instead of turning into a broken header or a kernel that dispatches wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TABLE_PATH = "abi/syscalls.tbl"

# Kinds, in the order of enum arg_kind / ret_kind / syscall_status in
# kernel/syscall/syscall.h (the C side names them ARG_<KIND>, RET_<KIND>, SC_<STATUS>).
ARG_KINDS = ("int", "uint", "fd", "pid", "size", "off", "flags",
             "ptr", "cstr", "argv", "buf_in", "buf_out", "iov_in", "fds_out")
LEN_KINDS = ("buf_in", "buf_out", "iov_in")       # take (LEN) naming another argument
LENGTH_ARG_KINDS = ("int", "uint", "size")        # kinds a LEN argument may have
RET_KINDS = ("int", "size", "fd", "pid", "ptr", "off", "noreturn")
STATUSES = ("active", "stub", "removed")

MAX_ARGS = 6                  # x86_64 passes six syscall arguments in registers
LEVITATE_FIRST_NR = 1024      # Linux numbers below, Levitate's own calls from here
LEVITATE_DOC_PREFIX = "Levitate:"
MAX_NR = 0xFFFFFFFF           # struct syscall_desc.nr is a u32
NCOLUMNS = 7

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
ARG_RE = re.compile(r"(?P<name>[^:\s]+)\s*:\s*(?P<kind>[A-Za-z_0-9]+)"
                    r"(?:\s*\(\s*(?P<len>[^)\s]*)\s*\))?"
                    r"(?:\s*@\s*(?P<sym>[^\s,]*))?\Z")
SYM_KINDS = ("int", "uint", "fd", "pid", "flags")  # kinds whose values may be named (@set)

# Argument names become C parameter names in gen/syscall_decl.h, so they must
# not be C keywords or the kernel's own type names from lib/types.h.
C_RESERVED = frozenset("""
    auto break case char const continue default do double else enum extern float
    for goto if inline int long register restrict return short signed sizeof
    static struct switch typedef union unsigned void volatile while _Bool
    _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn
    _Static_assert _Thread_local asm typeof
    u8 u16 u32 u64 i8 i16 i32 i64 size_t ssize_t uintptr_t uptr bool true false
    NULL a
""".split())   # 'a' is the argument array of the generated call_<name> wrappers


@dataclass(frozen=True)
class Arg:
    """One argument: its name, kind, for buffer kinds the name of its length, and
    the symbol set (abi/symbols.tbl) its values are named from, if any."""
    name: str
    kind: str
    len: str | None = None
    sym: str | None = None


@dataclass(frozen=True)
class Syscall:
    """One table row; line is its 1-based line number in the table file."""
    line: int
    nr: int
    name: str
    entry: str
    status: str
    ret: str
    args: tuple[Arg, ...]
    doc: str

    def len_index(self, arg: Arg) -> int:
        """Index of arg's length argument, or -1 when arg has none."""
        if arg.len is None:
            return -1
        return [a.name for a in self.args].index(arg.len)

    @property
    def dispatched(self) -> bool:
        """True when the kernel has a handler for it (active or stub)."""
        return self.status != "removed"


@dataclass(frozen=True)
class TableError:
    """One problem, located in a file; str() gives the 'path:line: message' form
    (line 0 means the whole file: 'path: message')."""
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class _Errors:
    """Collects the problems found while parsing one row (or the whole table)."""
    line: int
    found: list[TableError] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.found.append(TableError(TABLE_PATH, self.line, message))


def parse_table(text: str) -> tuple[list[Syscall], list[TableError]]:
    """Parse the whole table.

    Returns the rows (in file order) and every problem found; the rows are only
    trustworthy when the error list is empty.  Blank lines and lines starting
    with '#' are skipped.
    """
    rows: list[Syscall] = []
    errors: list[TableError] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        errs = _Errors(lineno)
        row = _parse_row(stripped, errs)
        errors.extend(errs.found)
        if row is not None:
            rows.append(row)
    errors.extend(_check_unique(rows))
    return rows, errors


def _parse_row(text: str, errs: _Errors) -> Syscall | None:
    """Parse one row; records its problems in errs.  None when it is unusable."""
    cols = [c.strip() for c in text.split("|")]
    if len(cols) != NCOLUMNS:
        errs.add(f"expected {NCOLUMNS} '|'-separated columns "
                 f"(nr|name|entry|status|ret|args|doc), found {len(cols)}")
        return None
    nr_text, name, entry, status, ret, args_text, doc = cols
    nr = _parse_nr(nr_text, errs)
    if not IDENT_RE.match(name):
        errs.add(f"bad name '{name}': must be a C identifier")
    _check_entry(entry, errs)
    if status not in STATUSES:
        errs.add(f"unknown status '{status}' (expected one of {', '.join(STATUSES)})")
    if ret not in RET_KINDS:
        errs.add(f"unknown ret kind '{ret}' (expected one of {', '.join(RET_KINDS)})")
    args = _parse_args(args_text, errs)
    if not doc:
        errs.add("empty doc: say in one line what the call does")
    if nr is not None:
        _check_levitate_range(nr, doc, errs)
    if nr is None or args is None:
        return None
    return Syscall(errs.line, nr, name, entry, status, ret, args, doc)


def _parse_nr(text: str, errs: _Errors) -> int | None:
    """The row's number, or None (with an error) when it is not a valid one."""
    if re.fullmatch(r"-\s*[0-9]+", text):
        errs.add(f"negative nr '{text}'")
        return None
    if not re.fullmatch(r"[0-9]+", text):
        errs.add(f"nr '{text}' is not a non-negative decimal integer")
        return None
    nr = int(text)
    if nr > MAX_NR:
        errs.add(f"nr {nr} does not fit in 32 bits")
        return None
    return nr


def _check_entry(entry: str, errs: _Errors) -> None:
    """The entry must be a C identifier shaped 'sys_<something>'."""
    if not IDENT_RE.match(entry) or not entry.startswith("sys_") or entry == "sys_":
        errs.add(f"bad entry '{entry}': must be a C identifier 'sys_<name>'")


def _check_levitate_range(nr: int, doc: str, errs: _Errors) -> None:
    """Levitate's own calls (doc 'Levitate: ...') live at 1024 and up, Linux's below."""
    own = doc.startswith(LEVITATE_DOC_PREFIX)
    if own and nr < LEVITATE_FIRST_NR:
        errs.add(f"nr {nr} is in Linux's range: Levitate's own calls "
                 f"(doc '{LEVITATE_DOC_PREFIX} ...') are numbered from {LEVITATE_FIRST_NR}")
    if not own and nr >= LEVITATE_FIRST_NR:
        errs.add(f"nr {nr} is in Levitate's range (>= {LEVITATE_FIRST_NR}): "
                 f"its doc must start with '{LEVITATE_DOC_PREFIX}'")


def _parse_args(text: str, errs: _Errors) -> tuple[Arg, ...] | None:
    """The argument list 'name:kind, ...'; None when any argument is malformed."""
    if not text:
        return ()
    args: list[Arg] = []
    ok = True
    for item in (s.strip() for s in text.split(",")):
        arg = _parse_arg(item, errs)
        if arg is None:
            ok = False
        else:
            args.append(arg)
    if len(text.split(",")) > MAX_ARGS:
        errs.add(f"{len(text.split(','))} arguments: at most {MAX_ARGS}")
        ok = False
    names = [a.name for a in args]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        errs.add(f"duplicate argument name '{dup}'")
        ok = False
    if ok:
        ok = _check_lengths(args, errs)
    return tuple(args) if ok else None


def _parse_arg(item: str, errs: _Errors) -> Arg | None:
    """One 'name:kind', 'name:kind(LEN)' or 'name:kind@SET'; None (with an error) when malformed."""
    m = ARG_RE.match(item)
    if not m:
        errs.add(f"bad argument '{item}': expected name:kind, name:kind(LEN) or name:kind@SET")
        return None
    name, kind, length, sym = m.group("name"), m.group("kind"), m.group("len"), m.group("sym")
    if not IDENT_RE.match(name) or name in C_RESERVED:
        errs.add(f"bad argument name '{name}': must be a C identifier, "
                 "not a C keyword or kernel type name")
        return None
    if kind not in ARG_KINDS:
        errs.add(f"unknown arg kind '{kind}' for '{name}' "
                 f"(expected one of {', '.join(ARG_KINDS)})")
        return None
    if kind in LEN_KINDS and not length:
        errs.add(f"argument '{name}' of kind {kind} needs {kind}(LEN) naming its length argument")
        return None
    if kind not in LEN_KINDS and length is not None:
        errs.add(f"argument '{name}' of kind {kind} takes no (LEN)")
        return None
    if sym is not None and (kind not in SYM_KINDS or not IDENT_RE.match(sym)):
        errs.add(f"argument '{name}': @{sym} needs a set name and a kind of "
                 f"{', '.join(SYM_KINDS)}, not {kind}")
        return None
    return Arg(name, kind, length, sym)


def _check_lengths(args: list[Arg], errs: _Errors) -> bool:
    """Every LEN names another argument of the call, of an integer kind."""
    by_name = {a.name: a for a in args}
    ok = True
    for arg in args:
        if arg.len is None:
            continue
        target = by_name.get(arg.len)
        if target is None or target is arg:
            errs.add(f"{arg.kind}({arg.len}) of '{arg.name}': '{arg.len}' names no "
                     "other argument of this call")
            ok = False
        elif target.kind not in LENGTH_ARG_KINDS:
            errs.add(f"{arg.kind}({arg.len}) of '{arg.name}': length argument "
                     f"'{arg.len}' has kind {target.kind}, "
                     f"expected one of {', '.join(LENGTH_ARG_KINDS)}")
            ok = False
    return ok


def _check_unique(rows: list[Syscall]) -> list[TableError]:
    """Numbers and names are unique; so are the entries of dispatched rows."""
    errors: list[TableError] = []
    seen: dict[tuple[str, object], Syscall] = {}
    for row in rows:
        keys: list[tuple[str, object]] = [("nr", row.nr), ("name", row.name)]
        if row.dispatched:
            keys.append(("entry", row.entry))
        for what, value in keys:
            first = seen.setdefault((what, value), row)
            if first is not row:
                errors.append(TableError(TABLE_PATH, row.line,
                              f"duplicate {what} {value} (first used by "
                              f"{first.name} on line {first.line})"))
    return errors
