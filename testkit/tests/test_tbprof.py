"""scripts/tbprof.py's pure parts: naming blocks by kernel symbol, and the
per-operation difference of two runs (the QEMU runs themselves are a
developer's tool, not run here)."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))

from tbprof import Symbols, count_blocks, per_operation  # noqa: E402

NM = """ffffffff80100000 T kmain
ffffffff80100100 t memset
ffffffff80100180 T memcpy
ffffffff80100200 r some_rodata
ffffffff80100300 W weak_fn
"""


def block(pc: int) -> str:
    return f"Trace 0: 0x7f0000001000 [00000000/{pc:016x}/00000040/ff000200] \n"


def test_blocks_are_named_by_the_symbol_they_start_in() -> None:
    syms = Symbols(NM)
    log = [block(0xffffffff80100104), block(0xffffffff80100100), block(0x401000),
           "Linking TBs 0x1 [ffff] index 0 -> 0x2 [ffff]\n", block(0xffffffff80100310),
           block(0xffffffff80100250), block(0xffffffff80000000)]
    assert count_blocks(log, syms) == Counter({"memset": 2, "<user>": 1, "weak_fn": 1,
                                                "memcpy": 1, "?": 1})


def test_per_operation_subtracts_the_runs_and_divides() -> None:
    low = Counter({"memset": 100, "kmain": 50, "gone": 7})
    high = Counter({"memset": 700, "kmain": 50, "fork": 200})
    assert per_operation(low, high, 200) == [("TOTAL", (950 - 157) / 200),
                                             ("memset", 3.0), ("fork", 1.0)]


def test_bad_counts_are_one_clear_line() -> None:
    r = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "tbprof.py"), "fork",
                        "--counts", "300", "100"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "N1 < N2" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.qemu
def test_levbench_repeat_runs_each_operation(tmp_path) -> None:
    """The workload tbprof profiles: `levbench repeat OP N` runs and exits 0
    for each operation; an unknown one is status 2 with one line."""
    if not (REPO_ROOT / "build" / "rootfs" / "bin" / "init").exists():
        pytest.skip("build/rootfs is missing: build Levitate first (make)")
    from bench_build import build_levbench, levitate_initramfs
    build_levbench(REPO_ROOT, tmp_path / "extra")
    cpio = levitate_initramfs(REPO_ROOT, tmp_path / "extra", tmp_path)

    def boot(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(REPO_ROOT / "scripts" / "levitate-qemu"), "--batch",
                               "--timeout", "60", "--initrd", str(cpio), "--",
                               "/bin/levbench", "repeat", *words],
                              capture_output=True, text=True)
    for op in ("getpid", "fork", "forkexec", "pipe", "execbig"):
        assert boot(op, "3").returncode == 0, op
    bad = boot("nope", "3")
    assert bad.returncode == 2
    assert "repeat wants an operation" in bad.stdout + bad.stderr
