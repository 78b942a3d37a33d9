"""Kernel coverage counters: the coverage kernel's dumps, and GCC 12's .gcda files.

A dump is what kernel/lib/gcov.c writes to its port at power-off (the stream
is described there): per compilation unit, its identity (version, stamp,
checksum, .gcda file name) and, per function, its arc counters.  Dumps from
many boots of one build merge by summing counters.  write_gcda turns a unit
into the .gcda file libgcov would have written (GCC 12's layout; read_gcda is
its inverse, so a real libgcov file round-trips byte for byte).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

DUMP_MAGIC = b"LEVGCOV1"
GCDA_MAGIC = 0x67636461            # "gcda" as a 32-bit word
GCNO_MAGIC = 0x67636E6F            # "gcno"
TAG_FUNCTION = 0x01000000
TAG_COUNTER_BASE = 0x01A10000      # + kind << 17
TAG_OBJECT_SUMMARY = 0xA1000000
FUNCTION_LENGTH = 12               # ident, lineno checksum, cfg checksum (bytes since GCC 12)
ARCS = 0                           # the only counter kind -fprofile-arcs emits (merged by adding)


class GcovError(Exception):
    """A dump or .gcda that cannot be read or merged; the message says which and why."""


@dataclass
class Function:
    ident: int
    lineno_checksum: int
    cfg_checksum: int
    counters: dict[int, list[int]]     # counter kind -> values


@dataclass
class Unit:
    """One compilation unit's counters; a None function is owned by another unit."""
    filename: str                      # the .gcda path the compiler chose
    version: int
    stamp: int
    checksum: int
    kinds: list[int]
    functions: list[Function | None] = field(default_factory=list)

    def arc_max(self) -> int:
        return max((v for f in self.functions if f for v in f.counters.get(ARCS, [])), default=0)


# ---- the coverage kernel's dump stream ----

class _Reader:
    def __init__(self, data: bytes, where: str) -> None:
        self.data, self.pos, self.where = data, 0, where

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise GcovError(f"{self.where}: cut short at byte {self.pos} (the boot ended mid-dump)")
        self.pos += 1
        return self.data[self.pos - 1]

    def varint(self) -> int:
        value, shift = 0, 0
        while True:
            b = self.byte()
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    def raw(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise GcovError(f"{self.where}: cut short at byte {self.pos} (the boot ended mid-dump)")
        self.pos += n
        return self.data[self.pos - n:self.pos]


def read_dump(data: bytes, where: str = "dump") -> list[Unit]:
    """The units of one boot's dump; GcovError when it is not a complete dump."""
    r = _Reader(data, where)
    if not data.startswith(DUMP_MAGIC):
        raise GcovError(f"{where}: not a coverage dump (no {DUMP_MAGIC.decode()} magic)")
    r.pos = len(DUMP_MAGIC)
    units = []
    while (tag := r.byte()) != ord("E"):
        if tag != ord("U"):
            raise GcovError(f"{where}: unexpected record {tag:#x} at byte {r.pos - 1}")
        units.append(_read_unit(r))
    if r.pos != len(data):
        raise GcovError(f"{where}: {len(data) - r.pos} stray bytes after the end record")
    return units


def _read_unit(r: _Reader) -> Unit:
    version, stamp, checksum = r.varint(), r.varint(), r.varint()
    filename = r.raw(r.varint()).decode("utf-8", "replace")
    mask = r.varint()
    kinds = [k for k in range(32) if mask >> k & 1]
    if kinds != [ARCS]:
        raise GcovError(f"{r.where}: {filename}: counter kinds {kinds}: only arc counters "
                        "(-fprofile-arcs) are supported")
    unit = Unit(filename, version, stamp, checksum, kinds)
    for _ in range(r.varint()):
        if not r.varint():
            unit.functions.append(None)
            continue
        fn = Function(r.varint(), r.varint(), r.varint(), {})
        for kind in kinds:
            fn.counters[kind] = [r.varint() for _ in range(r.varint())]
        unit.functions.append(fn)
    return unit


def merge(into: Unit, other: Unit) -> None:
    """Add other's counters to into's (two boots of the same build of one unit)."""
    if (into.version, into.stamp, into.checksum) != (other.version, other.stamp, other.checksum):
        raise GcovError(f"{into.filename}: counters from two different builds; "
                        "remove the old counters and run again")
    if len(into.functions) != len(other.functions):
        raise GcovError(f"{into.filename}: function lists differ between boots")
    for a, b in zip(into.functions, other.functions):
        if (a is None) != (b is None) or (a and b and a.ident != b.ident):
            raise GcovError(f"{into.filename}: function lists differ between boots")
        if a and b:
            for kind, values in b.counters.items():
                if len(a.counters[kind]) != len(values):
                    raise GcovError(f"{into.filename}: counter counts differ between boots")
                a.counters[kind] = [x + y for x, y in zip(a.counters[kind], values)]


# ---- .gcda files (GCC 12) ----

def _words(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def write_gcda(unit: Unit, runs: int, sum_max: int) -> bytes:
    """The .gcda bytes libgcov writes for unit after `runs` runs (sum_max: the
    program's largest arc counter).  An all-zero counter array is written as
    its negated length and no values, and a zero word ends the file, as libgcov does."""
    out = [_words(GCDA_MAGIC, unit.version, unit.stamp, unit.checksum,
                  TAG_OBJECT_SUMMARY, 8, runs, sum_max)]
    for fn in unit.functions:
        if fn is None:
            out.append(_words(TAG_FUNCTION, 0))
            continue
        out.append(_words(TAG_FUNCTION, FUNCTION_LENGTH, fn.ident, fn.lineno_checksum,
                          fn.cfg_checksum))
        for kind in unit.kinds:
            values = fn.counters[kind]
            tag = TAG_COUNTER_BASE + (kind << 17)
            if any(values):
                out.append(_words(tag, 8 * len(values)) + struct.pack(f"<{len(values)}Q", *values))
            else:
                out.append(_words(tag, (-8 * len(values)) & 0xFFFFFFFF))
    out.append(_words(0))              # the end marker
    return b"".join(out)


def _is_counter_tag(tag: int) -> bool:
    return TAG_COUNTER_BASE <= tag < TAG_COUNTER_BASE + (32 << 17) and \
        (tag - TAG_COUNTER_BASE) % (1 << 17) == 0


def read_gcda(data: bytes, filename: str = "gcda") -> tuple[Unit, int, int]:
    """(unit, runs, sum_max) from .gcda bytes written by libgcov or write_gcda."""
    if len(data) < 16 or struct.unpack_from("<I", data)[0] != GCDA_MAGIC:
        raise GcovError(f"{filename}: not a .gcda file")
    version, stamp, checksum = struct.unpack_from("<3I", data, 4)
    unit, runs, sum_max, pos = Unit(filename, version, stamp, checksum, []), 0, 0, 16
    while pos + 4 <= len(data) and struct.unpack_from("<I", data, pos)[0] != 0:
        if pos + 8 > len(data):
            break
        tag, length = struct.unpack_from("<Ii", data, pos)
        pos += 8
        if tag == TAG_OBJECT_SUMMARY:
            runs, sum_max = struct.unpack_from("<2I", data, pos)
        elif tag == TAG_FUNCTION:
            unit.functions.append(Function(*struct.unpack_from("<3I", data, pos), {})
                                  if length else None)
        elif _is_counter_tag(tag):
            kind = (tag - TAG_COUNTER_BASE) >> 17
            if kind not in unit.kinds:
                unit.kinds.append(kind)
            fn = unit.functions[-1] if unit.functions else None
            if fn is None:
                raise GcovError(f"{filename}: counters outside a function at byte {pos - 8}")
            n = abs(length) // 8
            fn.counters[kind] = ([0] * n if length < 0
                                 else list(struct.unpack_from(f"<{n}Q", data, pos)))
        else:
            raise GcovError(f"{filename}: unknown record {tag:#x} at byte {pos - 8}")
        pos += max(length, 0)
    if pos + 4 != len(data):
        raise GcovError(f"{filename}: cut short or no end marker")
    return unit, runs, sum_max


def gcno_stamp(path: Path) -> tuple[int, int]:
    """(version, stamp) of a .gcno notes file: the build a .gcda must match."""
    data = path.read_bytes()[:12]
    if len(data) < 12 or struct.unpack_from("<I", data)[0] != GCNO_MAGIC:
        raise GcovError(f"{path}: not a .gcno file")
    version, stamp = struct.unpack_from("<2I", data, 4)
    return version, stamp
