"""Kernel coverage reports: counter dumps -> .gcda files -> lcov -> HTML and a summary.

The coverage kernel (build/coverage/, scripts/coverage.mk) leaves one dump per
boot in a counters folder (scripts/levitate-qemu with LEVITATE_COVERAGE set).
collect() sums them, write_gcdas() puts the .gcda files beside the .gcno
notes, capture() runs Debian's lcov over them, summary() totals lines and
functions per kernel folder.  docs/coverage.md is the user's guide.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from testkit.gcov import GcovError, Unit, gcno_stamp, merge, read_dump, write_gcda

# The folders the summary reports, most specific first; anything else under
# kernel/ counts as "kernel" (main.c).
FOLDERS = ("kernel/arch/x86_64", "kernel/fs", "kernel/proc", "kernel/mm", "kernel/syscall",
           "kernel/trace", "kernel/lib", "kernel/gen")


@dataclass
class Counters:
    """The summed counters of every complete dump found, per .gcda file name."""
    units: dict[str, Unit] = field(default_factory=dict)
    boots: int = 0                     # complete dumps summed
    empty: int = 0                     # boots of a kernel without counters (no dump at all)
    broken: list[str] = field(default_factory=list)   # dumps that could not be read, and why

    def sum_max(self) -> int:
        return max((u.arc_max() for u in self.units.values()), default=0)


def collect(folders: list[Path]) -> Counters:
    """Sum every *.gcov dump in folders.  An empty file is a boot of a kernel
    without counters (e.g. a test that names its own --kernel); a dump cut
    short (QEMU killed mid-dump) is listed in broken and left out."""
    c = Counters()
    for path in sorted(p for d in folders for p in d.glob("*.gcov")):
        data = path.read_bytes()
        if not data:
            c.empty += 1
            continue
        try:
            units = read_dump(data, str(path))
        except GcovError as e:
            c.broken.append(str(e))
            continue
        for u in units:
            if u.filename in c.units:
                merge(c.units[u.filename], u)
            else:
                c.units[u.filename] = u
        c.boots += 1
    return c


def write_gcdas(c: Counters, objdir: Path) -> int:
    """Write one .gcda per unit beside its .gcno in objdir (old .gcda files are
    removed first); returns how many.  GcovError when a dump names a file
    outside objdir or its stamp differs from the .gcno's (a rebuilt kernel)."""
    objdir = objdir.resolve()
    for old in objdir.rglob("*.gcda"):
        old.unlink()
    for name, unit in c.units.items():
        path = Path(name)
        if objdir not in path.parents:
            raise GcovError(f"{name}: counters of a kernel built outside {objdir}")
        notes = path.with_suffix(".gcno")
        if notes.exists() and gcno_stamp(notes) != (unit.version, unit.stamp):
            raise GcovError(f"{name}: the counters are from an older build of the coverage "
                            "kernel: remove them and run again")
        path.write_bytes(write_gcda(unit, c.boots, c.sum_max()))
    return len(c.units)


def lcov_env(root: Path) -> tuple[Path, dict[str, str]]:
    """lcov's bin folder and environment: Debian's lcov and its PerlIO::gzip,
    fetched into .deb-cache/ by scripts/fetch-deb (never installed system-wide)."""
    def fetch(pkg: str) -> Path:
        out = subprocess.run([str(root / "scripts" / "fetch-deb"), pkg], capture_output=True,
                             text=True)
        if out.returncode != 0:
            raise GcovError(f"cannot fetch {pkg}: {out.stderr.strip()}")
        return Path(out.stdout.strip())
    lcov, gzip = fetch("lcov"), fetch("libperlio-gzip-perl")
    perl5 = sorted((gzip / "usr" / "lib" / "x86_64-linux-gnu" / "perl5").glob("*"))
    env = dict(os.environ)
    env["PERL5LIB"] = os.pathsep.join([str(p) for p in perl5] +
                                      ([env["PERL5LIB"]] if env.get("PERL5LIB") else []))
    return lcov / "usr" / "bin", env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise GcovError(f"{what} failed:\n{out.stderr.strip() or out.stdout.strip()}")


def capture(root: Path, objdir: Path, info: Path) -> None:
    """lcov tracefile `info` from the .gcda files in objdir (sources under root)."""
    bindir, env = lcov_env(root)
    _run(["perl", str(bindir / "lcov"), "--quiet", "--capture", "--directory", str(objdir),
          "--base-directory", str(root), "--output-file", str(info)], env, "lcov --capture")


def genhtml(root: Path, info: Path, outdir: Path, title: str) -> None:
    """The HTML report of `info` in outdir (index.html), sources shown relative to root."""
    bindir, env = lcov_env(root)
    _run(["perl", str(bindir / "genhtml"), "--quiet", "--prefix", str(root), "--title", title,
          "--output-directory", str(outdir), str(info)], env, "genhtml")


@dataclass
class Tally:
    lines_hit: int = 0
    lines: int = 0
    functions_hit: int = 0
    functions: int = 0

    def add(self, other: Tally) -> None:
        self.lines_hit += other.lines_hit
        self.lines += other.lines
        self.functions_hit += other.functions_hit
        self.functions += other.functions


def folder_of(source: str, root: Path) -> str:
    rel = os.path.relpath(source, root)
    return next((f for f in FOLDERS if rel.startswith(f + "/")), "kernel")


def read_info(info: Path, root: Path) -> dict[str, Tally]:
    """Per source file (relative to root): lines and functions found and hit,
    counted from the tracefile's DA (line) and FNDA (function) records."""
    lines: dict[str, dict[int, int]] = {}
    funcs: dict[str, dict[str, int]] = {}
    source = ""
    for line in info.read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "SF":
            source = os.path.relpath(value, root)
            lines.setdefault(source, {})
            funcs.setdefault(source, {})
        elif key == "DA":
            number, count = value.split(",")[:2]
            lines[source][int(number)] = lines[source].get(int(number), 0) + int(count)
        elif key == "FNDA":
            count, name = value.split(",", 1)
            funcs[source][name] = funcs[source].get(name, 0) + int(count)
    return {src: Tally(sum(1 for c in lines[src].values() if c), len(lines[src]),
                       sum(1 for c in funcs[src].values() if c), len(funcs[src]))
            for src in lines}


def unreached(info: Path, root: Path) -> dict[str, list[str]]:
    """Per source file (relative to root): the functions no run executed, in line order."""
    found: dict[str, dict[str, tuple[int, int]]] = {}
    source = ""
    for line in info.read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "SF":
            source = os.path.relpath(value, root)
        elif key == "FN":
            number, name = value.split(",", 1)
            old = found.setdefault(source, {}).get(name, (int(number), 0))
            found[source][name] = (old[0], old[1])
        elif key == "FNDA":
            count, name = value.split(",", 1)
            number, old_count = found.setdefault(source, {}).get(name, (0, 0))
            found[source][name] = (number, old_count + int(count))
    return {src: [n for n, (_, c) in sorted(fns.items(), key=lambda kv: kv[1][0]) if not c]
            for src, fns in sorted(found.items()) if any(not c for _, c in fns.values())}


def summary(files: dict[str, Tally]) -> dict[str, Tally]:
    """Tallies per kernel folder (FOLDERS, then "kernel"), plus "total"."""
    folders: dict[str, Tally] = {}
    total = Tally()
    for source, t in files.items():
        folders.setdefault(folder_of(source, Path(".")), Tally()).add(t)
        total.add(t)
    ordered = {f: folders[f] for f in (*FOLDERS, "kernel") if f in folders}
    ordered["total"] = total
    return ordered


def render_summary(folders: dict[str, Tally]) -> str:
    """One line per folder: lines and functions covered, with percentages."""
    def pct(hit: int, n: int) -> str:
        return f"{100.0 * hit / n:5.1f}%" if n else "    -"
    return "\n".join(
        f"{name:<20} lines {t.lines_hit:5}/{t.lines:<5} {pct(t.lines_hit, t.lines)}"
        f"   functions {t.functions_hit:4}/{t.functions:<4} {pct(t.functions_hit, t.functions)}"
        for name, t in folders.items())
