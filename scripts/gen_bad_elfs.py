#!/usr/bin/python3
"""Write malformed ELF executables, each made from a real static musl binary.

    gen_bad_elfs.py --list            the file names, one per line (for make)
    gen_bad_elfs.py SOURCE OUTDIR     write every file into OUTDIR

Each file breaks one rule the kernel's ELF check (kernel/proc/elf.c) must
enforce; execve of any of them must answer ENOEXEC (or ENOMEM for the one
too big for RAM) and leave the caller intact (userspace/hostile/hostile_elf.c,
docs/hostile.md).  Nothing here is committed: the build regenerates them.
"""

from __future__ import annotations

import argparse
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
PT_LOAD, PT_INTERP = 1, 3
PF_X = 1
KERNEL_TEXT = 0xFFFFFFFF80100000
NONCANONICAL = 0x0000800000000000
HUGE_MEMSZ = 64 << 30             # 64 GiB: in the user range, never in RAM


@dataclass
class Elf:
    """A parsed executable: its bytes, header fields and program headers."""
    data: bytearray
    ehdr: list[object]
    phdrs: list[list[int]]

    # Field indexes of EHDR and PHDR, by name.
    E = {"ident": 0, "type": 1, "machine": 2, "version": 3, "entry": 4, "phoff": 5,
         "shoff": 6, "flags": 7, "ehsize": 8, "phentsize": 9, "phnum": 10}
    P = {"type": 0, "flags": 1, "offset": 2, "vaddr": 3, "paddr": 4, "filesz": 5,
         "memsz": 6, "align": 7}

    def loads(self) -> list[list[int]]:
        """The PT_LOAD headers, in file order (the same lists, so edits stick)."""
        return [p for p in self.phdrs if p[0] == PT_LOAD]

    def set_e(self, name: str, value: object) -> None:
        self.ehdr[self.E[name]] = value

    def e(self, name: str) -> int:
        value = self.ehdr[self.E[name]]
        assert isinstance(value, int)
        return value

    def render(self) -> bytes:
        """The bytes with the (possibly edited) headers written back."""
        out = bytearray(self.data)
        EHDR.pack_into(out, 0, *self.ehdr)
        phoff = self.e("phoff")
        if phoff + len(self.phdrs) * PHDR.size <= len(out):
            for i, p in enumerate(self.phdrs):
                PHDR.pack_into(out, phoff + i * PHDR.size, *p)
        return bytes(out)


def parse(data: bytes) -> Elf:
    """Parse a 64-bit little-endian ELF executable; SystemExit if it is not one."""
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit("gen_bad_elfs: source is not a 64-bit ELF file")
    ehdr = list(EHDR.unpack_from(data, 0))
    elf = Elf(bytearray(data), ehdr, [])
    phoff, phnum = elf.e("phoff"), elf.e("phnum")
    elf.phdrs = [list(PHDR.unpack_from(data, phoff + i * PHDR.size)) for i in range(phnum)]
    if len(elf.loads()) < 2:
        sys.exit("gen_bad_elfs: source needs two PT_LOAD segments")
    return elf


def p_set(p: list[int], name: str, value: int) -> None:
    p[Elf.P[name]] = value


def p_get(p: list[int], name: str) -> int:
    return p[Elf.P[name]]


# Each maker takes a fresh parse of the source and returns the bad file's bytes.

def empty(elf: Elf) -> bytes:
    return b""


def truncated_header(elf: Elf) -> bytes:
    return elf.render()[:40]


def bad_magic(elf: Elf) -> bytes:
    elf.set_e("ident", b"\x7fELG" + bytes(elf.ehdr[0])[4:])   # type: ignore[arg-type]
    return elf.render()


def class32(elf: Elf) -> bytes:
    ident = bytearray(elf.ehdr[0])                            # type: ignore[arg-type]
    ident[4] = 1                                              # ELFCLASS32
    elf.set_e("ident", bytes(ident))
    return elf.render()


def big_endian(elf: Elf) -> bytes:
    ident = bytearray(elf.ehdr[0])                            # type: ignore[arg-type]
    ident[5] = 2                                              # ELFDATA2MSB
    elf.set_e("ident", bytes(ident))
    return elf.render()


def wrong_machine(elf: Elf) -> bytes:
    elf.set_e("machine", 183)                                 # EM_AARCH64
    return elf.render()


def shared_object(elf: Elf) -> bytes:
    elf.set_e("type", 3)                                      # ET_DYN: needs a loader
    return elf.render()


def no_phdrs(elf: Elf) -> bytes:
    elf.set_e("phnum", 0)
    return elf.render()


def bad_phentsize(elf: Elf) -> bytes:
    elf.set_e("phentsize", 32)
    return elf.render()


def phdrs_outside_file(elf: Elf) -> bytes:
    out = elf.render()
    elf.set_e("phoff", len(out) - 16)                         # the table runs off the end
    return elf.render()


def phoff_huge(elf: Elf) -> bytes:
    elf.set_e("phoff", (1 << 64) - 8)                         # phoff + size wraps
    return elf.render()


def truncated_segments(elf: Elf) -> bytes:
    last = elf.loads()[-1]
    return elf.render()[:p_get(last, "offset") + 16]          # headers whole, data cut


def segment_offset_outside(elf: Elf) -> bytes:
    p_set(elf.loads()[0], "offset", len(elf.data) + 0x10000)
    return elf.render()


def kernel_segment(elf: Elf) -> bytes:
    p = elf.loads()[-1]
    p_set(p, "vaddr", KERNEL_TEXT + p_get(p, "offset") % 4096)
    return elf.render()


def noncanonical_segment(elf: Elf) -> bytes:
    p = elf.loads()[-1]
    p_set(p, "vaddr", NONCANONICAL + p_get(p, "offset") % 4096)
    return elf.render()


def segment_wraps(elf: Elf) -> bytes:
    p = elf.loads()[-1]
    p_set(p, "memsz", (1 << 64) - p_get(p, "vaddr") + 0x1000)   # vaddr + memsz wraps
    return elf.render()


def null_page_segment(elf: Elf) -> bytes:
    p = elf.loads()[0]
    p_set(p, "vaddr", p_get(p, "offset") % 4096)              # page 0 stays unmapped
    return elf.render()


def filesz_gt_memsz(elf: Elf) -> bytes:
    p = next(p for p in elf.loads() if p_get(p, "filesz") > 0)
    p_set(p, "memsz", p_get(p, "filesz") - 1)
    return elf.render()


def overlapping_segments(elf: Elf) -> bytes:
    first, second = elf.loads()[0], elf.loads()[1]
    # The second segment moved onto the first, same page offset so only the
    # overlap (not the alignment) is wrong.
    p_set(second, "vaddr", p_get(first, "vaddr") + p_get(second, "offset") % 4096)
    return elf.render()


def memsz_larger_than_ram(elf: Elf) -> bytes:
    p = elf.loads()[-1]
    p_set(p, "memsz", HUGE_MEMSZ)
    return elf.render()


def entry_outside_segments(elf: Elf) -> bytes:
    top = max(p_get(p, "vaddr") + p_get(p, "memsz") for p in elf.loads())
    elf.set_e("entry", top + 0x100000)
    return elf.render()


def entry_not_executable(elf: Elf) -> bytes:
    p = next(p for p in elf.loads() if not p_get(p, "flags") & PF_X)
    elf.set_e("entry", p_get(p, "vaddr"))
    return elf.render()


def interpreter(elf: Elf) -> bytes:
    p = next(p for p in elf.phdrs if p[0] != PT_LOAD)
    p_set(p, "type", PT_INTERP)                               # asks for a dynamic loader
    return elf.render()


def misaligned_segment(elf: Elf) -> bytes:
    p = elf.loads()[-1]
    p_set(p, "vaddr", p_get(p, "vaddr") + 1)                  # vaddr % 4096 != offset % 4096
    return elf.render()


MAKERS: dict[str, Callable[[Elf], bytes]] = {f.__name__: f for f in (
    empty, truncated_header, bad_magic, class32, big_endian, wrong_machine, shared_object,
    no_phdrs, bad_phentsize, phdrs_outside_file, phoff_huge, truncated_segments,
    segment_offset_outside, kernel_segment, noncanonical_segment, segment_wraps,
    null_page_segment, filesz_gt_memsz, overlapping_segments, memsz_larger_than_ram,
    entry_outside_segments, entry_not_executable, interpreter, misaligned_segment,
)}


def write_all(source: Path, outdir: Path) -> None:
    """Every bad file from source, into outdir (made if missing), mode 755."""
    data = source.read_bytes()
    outdir.mkdir(parents=True, exist_ok=True)
    for name, make in MAKERS.items():
        out = make(parse(data))
        if name != "empty" and out == data:
            sys.exit(f"gen_bad_elfs: {name} left the file unchanged")
        path = outdir / name
        path.write_bytes(out)
        path.chmod(0o755)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print the file names and exit")
    ap.add_argument("source", nargs="?", type=Path, help="a static musl ELF executable")
    ap.add_argument("outdir", nargs="?", type=Path, help="where to write the files")
    args = ap.parse_args()
    if args.list:
        print("\n".join(MAKERS))
        return 0
    if args.source is None or args.outdir is None:
        ap.error("SOURCE and OUTDIR are required")
    write_all(args.source, args.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
