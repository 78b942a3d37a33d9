"""Kernel coverage (docs/coverage.md): the counter dumps, the .gcda writer, and one
boot of the coverage kernel read back by gcov and lcov.

The writer is checked against libgcov itself: a .gcda written by a real
`gcc --coverage` program must come back byte for byte from read_gcda +
write_gcda.  The boot test runs /bin/true on build/coverage/kernel.bin and
needs the counters to say what ran (execve) and what did not (uname).
The QEMU tests share one worker (xdist_group): their fixture builds the
coverage kernel, and two builds in one tree at once would race.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import proctree
from conftest import REPO_ROOT
from testkit.coverage import capture, collect, read_info, summary
from testkit.gcov import (DUMP_MAGIC, Function, GcovError, merge, read_dump, read_gcda,
                          write_gcda)

OBJDIR = REPO_ROOT / "build" / "coverage"
PROBE = """
int twice(int x) { return x > 3 ? x * 2 : x + 1; }
int never(void) { return 7; }
int main(int argc, char **argv) { (void)argv; return twice(argc) - 2; }
"""


def varint(v: int) -> bytes:
    out = bytearray()
    while v >= 0x80:
        out.append(v & 0x7F | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def dump(stamp: int, values: list[int], end: bool = True) -> bytes:
    """A one-unit, one-function dump in kernel/lib/gcov.c's stream format."""
    name = b"/b/coverage/kernel/x.c.gcda"
    unit = (b"U" + varint(0x4232322A) + varint(stamp) + varint(9) + varint(len(name)) + name
            + varint(1) + varint(1) + varint(1) + varint(77) + varint(5) + varint(6)
            + varint(len(values)) + b"".join(varint(v) for v in values))
    return DUMP_MAGIC + unit + (b"E" if end else b"")


def test_dump_reads_and_boots_sum() -> None:
    a, b = read_dump(dump(1, [1, 300, 0])), read_dump(dump(1, [2, 0, 1 << 40]))
    assert a[0].functions[0] == Function(77, 5, 6, {0: [1, 300, 0]})
    merge(a[0], b[0])
    assert a[0].functions[0].counters[0] == [3, 300, 1 << 40]


def test_dump_cut_short_or_from_another_build_is_refused() -> None:
    with pytest.raises(GcovError, match="cut short"):
        read_dump(dump(1, [1, 2], end=False))
    with pytest.raises(GcovError, match="not a coverage dump"):
        read_dump(b"hello")
    with pytest.raises(GcovError, match="different builds"):
        merge(read_dump(dump(1, [1]))[0], read_dump(dump(2, [1]))[0])


def test_gcda_writer_matches_libgcov(tmp_path: Path) -> None:
    """A real program's .gcda (counters set and all-zero) round-trips exactly."""
    (tmp_path / "probe.c").write_text(PROBE)
    subprocess.run(["gcc", "--coverage", "-O0", "probe.c", "-o", "probe"], cwd=tmp_path,
                   check=True)
    subprocess.run(["./probe"], cwd=tmp_path)
    data = (tmp_path / "probe.gcda").read_bytes()
    unit, runs, sum_max = read_gcda(data)
    assert runs == 1 and len(unit.functions) == 3
    assert any(not any(f.counters[0]) for f in unit.functions if f)   # never()
    assert write_gcda(unit, runs, sum_max) == data


def test_gcda_writer_output_is_what_gcov_reads(tmp_path: Path) -> None:
    """Counters changed by hand are what gcov then reports (not just a copy)."""
    (tmp_path / "probe.c").write_text(PROBE)
    subprocess.run(["gcc", "--coverage", "-O0", "probe.c", "-o", "probe"], cwd=tmp_path,
                   check=True)
    subprocess.run(["./probe"], cwd=tmp_path)
    unit, runs, _ = read_gcda((tmp_path / "probe.gcda").read_bytes())
    for fn in unit.functions:
        assert fn is not None
        fn.counters[0] = [c * 5 for c in fn.counters[0]]
    (tmp_path / "probe.gcda").write_bytes(write_gcda(unit, runs * 5, unit.arc_max()))
    counts = gcov_functions(tmp_path / "probe.gcda")
    assert counts["main"] == 5 and counts["twice"] == 5 and counts["never"] == 0


def gcov_functions(gcda: Path) -> dict[str, int]:
    """Function -> execution count, as GCC's own gcov reads gcda (and its .gcno)."""
    out = subprocess.run(["gcov", "--stdout", "--json-format", gcda.name], cwd=gcda.parent,
                         capture_output=True, text=True, check=True)
    files = json.loads(out.stdout)["files"]
    return {f["name"]: f["execution_count"] for src in files for f in src["functions"]}


@pytest.fixture(scope="module")
def coverage_boot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Counters of one boot of the coverage kernel running /bin/true."""
    if not (REPO_ROOT / "build" / "initramfs.cpio").exists():
        pytest.skip("build/initramfs.cpio is missing: build Levitate first (make)")
    subprocess.run(["make", "-s", "-C", str(REPO_ROOT), "coverage-kernel"], check=True)
    counters = tmp_path_factory.mktemp("counters")
    env = dict(os.environ, LEVITATE_COVERAGE=str(counters))
    run = proctree.run([str(REPO_ROOT / "scripts" / "levitate-qemu"), "--batch", "--",
                          "/bin/true"], env=env, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stdout.decode(errors="replace")
    return counters


def unit_files(counters: Path, dest: Path, *sources: str) -> list[Path]:
    """The .gcda (from the boot's counters) and .gcno of each kernel source, in dest."""
    units = collect([counters]).units
    out = []
    for src in sources:
        name = str((OBJDIR / f"{src}.gcda").resolve())
        assert name in units, f"no counters for {src}"
        gcda = dest / Path(name).name
        gcda.write_bytes(write_gcda(units[name], 1, units[name].arc_max()))
        shutil.copy(OBJDIR / f"{src}.gcno", gcda.with_suffix(".gcno"))
        out.append(gcda)
    return out


@pytest.mark.qemu
@pytest.mark.xdist_group("coverage-kernel")
def test_coverage_kernel_dumps_every_unit(coverage_boot: Path) -> None:
    c = collect([coverage_boot])
    assert (c.boots, c.broken) == (1, [])
    notes = {str(p.resolve().with_suffix(".gcda")) for p in (OBJDIR / "kernel").rglob("*.gcno")}
    assert set(c.units) == notes, "every instrumented file registers its counters"


@pytest.mark.qemu
@pytest.mark.xdist_group("coverage-kernel")
def test_gcov_sees_what_ran_and_what_did_not(coverage_boot: Path, tmp_path: Path) -> None:
    exec_gcda, misc_gcda = unit_files(coverage_boot, tmp_path, "kernel/proc/exec.c",
                                      "kernel/syscall/sys_misc.c")
    assert gcov_functions(exec_gcda)["sys_execve"] >= 1      # /bin/true was exec'd
    assert gcov_functions(misc_gcda)["sys_uname"] == 0       # nothing called uname


@pytest.mark.qemu
@pytest.mark.xdist_group("coverage-kernel")
def test_lcov_reads_the_counters(coverage_boot: Path, tmp_path: Path) -> None:
    unit_files(coverage_boot, tmp_path, "kernel/proc/exec.c", "kernel/syscall/sys_misc.c")
    info = tmp_path / "coverage.info"
    capture(REPO_ROOT, tmp_path, info)
    files = read_info(info, REPO_ROOT)
    assert files["kernel/proc/exec.c"].functions_hit >= 1
    misc = files["kernel/syscall/sys_misc.c"]
    assert 0 < misc.functions_hit < misc.functions
    assert summary(files)["kernel/syscall"].lines_hit == misc.lines_hit


@pytest.mark.qemu
@pytest.mark.xdist_group("coverage-kernel")
def test_panic_and_halt_dump_first(coverage_boot: Path) -> None:
    """Every power_off call of the coverage kernel goes through the dump; the
    normal kernel has no gcov runtime and no counters at all."""
    del coverage_boot   # built by the fixture
    def disassembly(*only: str) -> str:
        return subprocess.run(["objdump", "-d", "--no-show-raw-insn", *only,
                               str(OBJDIR / "kernel.elf")],
                              capture_output=True, text=True, check=True).stdout
    assert "call" in disassembly("--disassemble=panic").split("<__wrap_power_off>")[0]
    plain = [line for line in disassembly().splitlines() if "call" in line and "<power_off>" in line]
    assert len(plain) == 1, "only the wrapper calls power_off itself"
    normal = subprocess.run(["nm", str(REPO_ROOT / "build" / "kernel.elf")],
                            capture_output=True, text=True, check=True).stdout
    assert "__gcov_init" not in normal and "__gcov0." not in normal
