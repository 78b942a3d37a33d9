"""Names of syscall argument values: O_CLOEXEC <-> 0x80000, SIGCHLD <-> 17.

The sets come from abi/symbols.tbl through abi.json (`make abi`); their values
are the kernel's own #defines.  An argument uses a set when the syscall table
says so (`flags:flags@open_flags`), so the names shown for an argument are the
ones that argument can mean.

For rules (testkit/testkit/rules/**) and everything else that needs a number:

    resolve_constant("O_CLOEXEC")            -> 0x80000
    resolve_constant("O_RDONLY|O_CLOEXEC")   -> 0x80000   (names joined by |)
    resolve_constant("NOPE")                 -> UnknownConstant (a ValueError)

For display (show.py): `Symbols.format(set, value)` gives
`O_RDONLY|O_CLOEXEC|O_LARGEFILE (0x88000)` or `AT_FDCWD (-100)`: the names,
then the raw value (hex for bits, decimal for enums) in parentheses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


ENUM_HEX_FROM = 0x1000      # enum values this large are codes (0x5413), not counts


class UnknownConstant(ValueError):
    """A name no symbol set defines."""


@dataclass(frozen=True)
class Field:
    """Bits under mask that hold one value: one of names, or of set ref."""
    name: str
    mask: int
    names: tuple[tuple[str, int], ...] = ()
    ref: str | None = None


@dataclass(frozen=True)
class SymbolSet:
    """bits: flags that combine (with fields); enum: one value of several; by: the
    set named by the case of another argument's value (by, cases)."""
    name: str
    style: str
    names: tuple[tuple[str, int], ...]
    fields: tuple[Field, ...] = ()
    by: str | None = None
    cases: tuple[tuple[str, str], ...] = ()

    def every_name(self) -> list[tuple[str, int]]:
        out = list(self.names)
        for f in self.fields:
            out += [(f.name, f.mask), *f.names]
        return out


@dataclass(frozen=True)
class Symbols:
    """Every set by name; empty when abi.json has none (an old or fixture table)."""
    sets: dict[str, SymbolSet] = field(default_factory=dict)

    def value_of(self, name: str) -> int:
        """A name's value, or UnknownConstant."""
        for s in self.sets.values():
            for n, v in s.every_name():
                if n == name:
                    return v
        raise UnknownConstant(f"unknown constant {name!r}: no set of abi/symbols.tbl names it")

    def resolve(self, set_name: str | None, args: dict[str, Any] | None = None) -> str | None:
        """The set a value is named from: a by set's case for the call's other argument."""
        s = self.sets.get(set_name or "")
        if s is None or s.by is None:
            return set_name if s is not None else None
        other = (args or {}).get(s.by)
        return next((ref for name, ref in s.cases if self._value(name) == other), None)

    def _value(self, name: str) -> int | None:
        try:
            return self.value_of(name)
        except UnknownConstant:
            return None

    def symbolic(self, set_name: str, value: int) -> str | None:
        """value in names ('O_RDONLY|O_CLOEXEC', 'SIGCHLD'); None when no name applies."""
        s = self.sets.get(set_name)
        if s is None or type(value) is not int or s.by is not None:
            return None
        if s.style == "enum":
            return next((n for n, v in s.names if v == value), None)
        return self._bits(s, value)

    def format(self, set_name: str, value: Any) -> str:
        """Names with the raw value beside: 'O_RDONLY|O_CLOEXEC (0x80000)', 'AT_FDCWD (-100)';
        the plain number when no name applies."""
        sym = self.symbolic(set_name, value)
        return _raw(value, self.sets.get(set_name)) if sym is None else f"{sym} ({_raw(value, self.sets[set_name])})"

    def change(self, set_name: str, a: Any, b: Any) -> str | None:
        """How a value of the set changed, by name: 'F_GETFD (1) → F_SETFD (2)', and for
        flags what was set or cleared: '... (0x88241) → ... (0x8241): O_CLOEXEC cleared';
        None when neither value has a name."""
        if type(a) is not int or type(b) is not int or \
                self.symbolic(set_name, a) is None and self.symbolic(set_name, b) is None:
            return None
        text = f"{self.format(set_name, a)} → {self.format(set_name, b)}"
        s = self.sets[set_name]
        if s.style != "bits" or a < 0 or b < 0:
            return text
        what = [f"{self._field(f, a & f.mask) or hex(a & f.mask)} → {self._field(f, b & f.mask) or hex(b & f.mask)}"
                for f in s.fields if a & f.mask != b & f.mask]
        fields = sum((f.mask for f in s.fields), 0)
        for bits, how in ((a & ~b & ~fields, "cleared"), (b & ~a & ~fields, "set")):
            if bits:
                what.append(f"{self._flags(s, bits)} {how}")
        return f"{text}: {', '.join(what)}" if what else text

    def _flags(self, s: SymbolSet, bits: int) -> str:
        """bits (outside the fields) by the set's flag names, the rest in hex."""
        parts = []
        for n, v in s.names:
            if v and bits & v == v:
                parts.append(n)
                bits &= ~v
        return "|".join(parts + ([hex(bits)] if bits else []))

    def _bits(self, s: SymbolSet, value: int) -> str | None:
        """Fields first, then names whose bits are all set, then the rest in hex."""
        if value < 0:
            return None
        parts, rest = [], value
        for f in s.fields:
            name = self._field(f, value & f.mask)
            if name is not None:
                parts.append(name)
                rest &= ~f.mask
        for n, v in s.names:
            if (v == 0 and value == 0) or (v != 0 and rest & v == v):
                parts.append(n)
                rest &= ~v
        if not parts:
            return None
        return "|".join(parts + ([hex(rest)] if rest else []))

    def _field(self, f: Field, bits: int) -> str | None:
        if f.ref is not None:
            return self.symbolic(f.ref, bits) if bits else None
        return next((n for n, v in f.names if v == bits), None)


def _raw(value: Any, s: SymbolSet | None) -> str:
    """A number as its set reads best: flags in hex, small enums (fds, signals,
    commands) in decimal, large ones (ioctl requests) in hex."""
    if type(value) is not int or s is None:
        return str(value)
    if (s.style == "bits" and value > 0) or abs(value) >= ENUM_HEX_FROM:
        return hex(value)
    return str(value)


def symbols_of(data: dict[str, Any]) -> Symbols:
    """The sets of abi.json's "symbols" member (absent: none); KeyError/TypeError if malformed."""
    sets = {}
    for name, s in data.get("symbols", {}).items():
        fields = tuple(Field(f["name"], int(f["mask"]), _pairs(f.get("names", [])), f.get("set"))
                       for f in s.get("fields", []))
        cases = tuple((str(v), str(ref)) for v, ref in s.get("cases", []))
        sets[name] = SymbolSet(name, s["style"], _pairs(s.get("names", [])), fields, s.get("arg"), cases)
    return Symbols(sets)


def _pairs(rows: list[list[Any]]) -> tuple[tuple[str, int], ...]:
    return tuple((str(n), int(v)) for n, v in rows)


def default_symbols() -> Symbols:
    """The sets of the testkit's own abi.json."""
    from testkit.abi import default_abi     # abi.py imports this module
    return default_abi().symbols


def resolve_constant(name: str) -> int:
    """The value of a constant named in abi/symbols.tbl ('AT_FDCWD', 'F_SETFD', 'SIGCHLD'),
    or of names joined by '|' ('O_WRONLY|O_CREAT'); UnknownConstant otherwise."""
    parts = [p.strip() for p in name.split("|")]
    if not all(parts):
        raise UnknownConstant(f"malformed constant {name!r}")
    value = 0
    for p in parts:
        value |= default_symbols().value_of(p)
    return value


def signal_name(sig: int) -> str:
    """'SIGSEGV' for 11; 'signal 99' for a number no set names."""
    return default_symbols().symbolic("signal", sig) or f"signal {sig}"


def value_of(name: str) -> int | None:
    """One name's value; None when no set names it (the lookup the rule engine's
    rule_constants.py asks for)."""
    try:
        return default_symbols().value_of(name)
    except UnknownConstant:
        return None
