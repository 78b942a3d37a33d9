"""A small cpio (newc) writer for the Linux peer's initramfs.

Python writes the archive itself so it can hold a character device node
(/dev/console, 5:1) without root: the Linux kernel opens /dev/console for
init's stdin/stdout/stderr, and an initramfs without it leaves init silent.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

NEWC_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


@dataclass(frozen=True)
class Entry:
    """One archive member: a path without leading '/', its mode (type and
    permission bits), its data (regular files only) and rdev for devices."""
    name: str
    mode: int
    data: bytes = b""
    rdev_major: int = 0
    rdev_minor: int = 0


def directory(name: str) -> Entry:
    """A directory entry, mode 0755."""
    return Entry(name, stat.S_IFDIR | 0o755)


def char_device(name: str, major: int, minor: int) -> Entry:
    """A character device node, mode 0600."""
    return Entry(name, stat.S_IFCHR | 0o600, rdev_major=major, rdev_minor=minor)


def regular_file(name: str, data: bytes, perm: int = 0o755) -> Entry:
    """A regular file with the given bytes."""
    return Entry(name, stat.S_IFREG | perm, data)


def _pad4(n: int) -> bytes:
    """The zero bytes that bring an offset of n up to a multiple of 4."""
    return b"\0" * (-n % 4)


def encode_entry(entry: Entry, ino: int) -> bytes:
    """One newc member: 110-byte header, NUL-terminated name, data, each
    padded to 4 bytes (the header counts from the archive start, and every
    member starts aligned, so padding by lengths is enough)."""
    name = entry.name.encode() + b"\0"
    fields = [ino, entry.mode, 0, 0, 1, 0, len(entry.data), 0, 0,
              entry.rdev_major, entry.rdev_minor, len(name), 0]
    header = NEWC_MAGIC + b"".join(b"%08X" % f for f in fields)
    head = header + name
    return head + _pad4(len(head)) + entry.data + _pad4(len(entry.data))


def encode_archive(entries: list[Entry]) -> bytes:
    """The whole archive: each entry (inode numbers from 1), then the trailer."""
    out = [encode_entry(e, i + 1) for i, e in enumerate(entries)]
    out.append(encode_entry(Entry(TRAILER, 0), 0))
    return b"".join(out)


def linux_peer_entries(levbench: Path, levbench_big: Path) -> list[Entry]:
    """The Linux peer's tree: /init is levbench, /bin holds both programs
    (levbench execs /bin/levbench and /bin/levbench-big), /dev/console."""
    bench = levbench.read_bytes()
    return [
        directory("bin"),
        regular_file("bin/levbench", bench),
        regular_file("bin/levbench-big", levbench_big.read_bytes()),
        directory("dev"),
        char_device("dev/console", 5, 1),
        regular_file("init", bench),
    ]
