#!/usr/bin/env python3
"""Where the kernel's time goes in one operation, counted in QEMU's translated
blocks (docs/bench.md, "Where a fork's time went").

    /usr/bin/python3 scripts/tbprof.py fork                 # fork+exit+wait
    /usr/bin/python3 scripts/tbprof.py pipe --counts 200 600 --top 20

Boots Levitate twice with `levbench repeat OP N` (N = each of --counts) and
TRACE_BLOCKS set (scripts/levitate-qemu: QEMU's -d exec,nochain logs every
translated block it runs), names each block by the kernel symbol it starts
in (`nm` of build/kernel.elf; user code is "<user>"), and prints the
difference of the two runs divided by the difference of N: blocks per
operation, by function, without the boot and start-up.  Under TCG a block
is the unit of work (a call, a return, a branch or each iteration of a
`rep` instruction ends one), so this counts the kernel's path as QEMU runs
it; it says nothing of TLB refills or host load.  Expects a built tree
(`make all`); the logs are big (~80 bytes a block) and go to a temporary
folder that is removed.
"""
from __future__ import annotations

import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import build_levbench, levitate_initramfs  # noqa: E402

OPS = ("getpid", "fork", "forkexec", "pipe", "execbig")
BLOCK = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
USER = "<user>"
USER_TOP = 0x0000800000000000


class Symbols:
    """Kernel text symbols from `nm -n` output: the name a pc falls in."""

    def __init__(self, nm_output: str) -> None:
        self.addrs: list[int] = []
        self.names: list[str] = []
        for line in nm_output.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])

    def name(self, pc: int) -> str:
        if pc < USER_TOP:
            return USER
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else "?"


def count_blocks(lines, symbols: Symbols) -> Counter[str]:
    """Blocks run per function, from QEMU's "Trace" log lines."""
    counts: Counter[str] = Counter()
    for line in lines:
        m = BLOCK.match(line)
        if m:
            counts[symbols.name(int(m.group(1), 16))] += 1
    return counts


def per_operation(low: Counter[str], high: Counter[str], ops: int) -> list[tuple[str, float]]:
    """(function, blocks per operation) of the difference of two runs ops
    operations apart, the total first, then by cost."""
    rows = [(name, (high[name] - low[name]) / ops) for name in set(low) | set(high)]
    rows = [r for r in rows if r[1] > 0]
    rows.sort(key=lambda r: (-r[1], r[0]))
    total = (sum(high.values()) - sum(low.values())) / ops
    return [("TOTAL", total)] + rows


def run_counted(repo: Path, kernel: Path, cpio: Path, op: str, n: int, log: Path,
                symbols: Symbols) -> Counter[str]:
    """One boot running `levbench repeat op n` with every block logged."""
    env = {**os.environ, "TRACE_BLOCKS": str(log)}
    subprocess.run([str(repo / "scripts" / "levitate-qemu"), "--batch", "--kernel", str(kernel),
                    "--initrd", str(cpio), "--", "/bin/levbench", "repeat", op, str(n)],
                   env=env, stdout=subprocess.DEVNULL, check=True)
    with log.open(errors="replace") as f:
        counts = count_blocks(f, symbols)
    log.unlink()
    return counts


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("op", choices=OPS, help="the operation levbench repeats")
    p.add_argument("--counts", nargs=2, type=int, default=(100, 300), metavar=("N1", "N2"),
                   help="operations in the two runs (default 100 300)")
    p.add_argument("--top", type=int, default=30, help="functions to show (default 30)")
    p.add_argument("--kernel", type=Path, default=Path("build/kernel.bin"))
    p.add_argument("--elf", type=Path, default=Path("build/kernel.elf"))
    args = p.parse_args(argv)
    if not 0 <= args.counts[0] < args.counts[1]:
        p.error("--counts wants N1 < N2, both >= 0")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    for f in (args.kernel, args.elf):
        if not f.exists():
            print(f"tbprof: {f} missing: run make all first", file=sys.stderr)
            return 2
    symbols = Symbols(subprocess.run(["nm", "-n", str(args.elf)], capture_output=True,
                                     text=True, check=True).stdout)
    with tempfile.TemporaryDirectory(prefix="tbprof-") as tmp:
        work = Path(tmp)
        build_levbench(repo, work / "extra")
        cpio = levitate_initramfs(repo, work / "extra", work)
        low, high = (run_counted(repo, args.kernel, cpio, args.op, n, work / "blocks.log", symbols)
                     for n in args.counts)
    rows = per_operation(low, high, args.counts[1] - args.counts[0])
    print(f"translated blocks per '{args.op}' (runs of {args.counts[0]} and {args.counts[1]})")
    for name, per_op in rows[:args.top + 1]:
        print(f"{per_op:10.1f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
