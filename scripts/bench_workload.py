"""The real-workload rows of `make bench`: Debian's BusyBox (busybox-static,
the same binary on both sides) running three workloads on Levitate and on
Linux 6.1, in the same QEMU, timed in the guest by the same program.

- ash: a loop of LOOP_COMMANDS external commands (`/bin/busybox true`, a
  path, so ash forks and execs it every time);
- sort: `busybox sort` of DATA_BYTES of generated text;
- gzip: `busybox gzip -c` of the same text.

userspace/bench/wltime.c times each run (fork to end of wait, CLOCK_MONOTONIC)
and prints "WORKLOAD NAME NS STATUS"; /bench/run.sh runs every workload
`rounds` times, then prints the md5sum of sort's and gzip's outputs ("CHECK
NAME SUM"), which must equal what the same BusyBox gives on the host: a
workload that runs fast but wrong is reported as a failure, never a figure.
The data are generated on the host (a fixed seed) and put in both initramfs
images.  See docs/bench.md.
"""
from __future__ import annotations

import hashlib
import random
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

from bench_build import MUSL_CFLAGS, levitate_initramfs
from bench_cpio import Entry, char_device, directory, encode_archive, regular_file
from bench_qemu import BootError, Machine
from bench_report import Figure

DATA_BYTES = 3 << 20
LOOP_COMMANDS = 1000
ROUNDS = 3
SEED = 19
SCRIPT_PATH = "bench/run.sh"
DATA_PATH = "bench/data.txt"
LEVITATE_PROGRAM = ["/bin/busybox", "sh", "/" + SCRIPT_PATH]

# (name in WORKLOAD lines, figure key, row label)
WORKLOADS = (
    ("ash_true", "wl_ash_true_s", "ash: {n} x /bin/busybox true (fork+exec each)"),
    ("sort", "wl_sort_s", "busybox sort, {mib} MiB of text"),
    ("gzip", "wl_gzip_s", "busybox gzip -c, {mib} MiB of text"),
)
CHECKED = ("sort", "gzip")
LINE = re.compile(r"^(WORKLOAD|CHECK)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$")


@dataclass(frozen=True)
class Params:
    """What one boot runs: data size, commands in ash's loop, rounds."""
    data_bytes: int = DATA_BYTES
    loop: int = LOOP_COMMANDS
    rounds: int = ROUNDS


@dataclass
class Result:
    """One boot's output: every timed run per workload (seconds), the
    md5sums of the checked outputs, and what went wrong."""
    samples: dict[str, list[float]] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def make_data(size: int, seed: int = SEED) -> bytes:
    """size bytes (at least; whole lines) of text lines: one to eight words of
    a generated vocabulary and a number, deterministic for a seed."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(4000)]
    lines, total = [], 0
    while total < size:
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 8))]
        line = (" ".join(words) + f" {rng.randint(0, 10**6)}\n").encode()
        lines.append(line)
        total += len(line)
    return b"".join(lines)


def run_script(params: Params) -> str:
    """/bench/run.sh: every workload params.rounds times under wltime, then the
    md5sums of the checked outputs.  Plain POSIX sh for BusyBox's ash."""
    loop = (f"i=0; while [ $i -lt {params.loop} ]; do /bin/busybox true; "
            "i=$((i+1)); done")
    return f"""PATH=/bin:/usr/bin; export PATH
echo "WORKLOAD start"
r=0
while [ $r -lt {params.rounds} ]; do
	/bin/wltime ash_true /bin/busybox sh -c '{loop}'
	/bin/wltime sort /bin/busybox sort -o /tmp/sorted /{DATA_PATH}
	/bin/wltime -o /tmp/data.gz gzip /bin/busybox gzip -c /{DATA_PATH}
	r=$((r+1))
done
echo "CHECK sort $(/bin/busybox md5sum < /tmp/sorted)"
echo "CHECK gzip $(/bin/busybox md5sum < /tmp/data.gz)"
echo "WORKLOAD end"
"""


def parse_output(text: str) -> Result:
    """The runs and checks in a console's text (\\r allowed); a run with a
    non-zero status, or no "WORKLOAD end", is a failure."""
    res = Result()
    ended = False
    for raw in text.replace("\r", "").split("\n"):
        line = raw.strip()
        ended = ended or line == "WORKLOAD end"
        m = LINE.match(line)
        if not m or m[2] == "script":
            continue
        kind, name, value, status = m.groups()
        if kind == "CHECK":
            res.checks[name] = value
        elif status is None or not value.isdigit():
            continue
        elif status != "0":
            res.failures.append(f"{name} exited with wait status {status}")
        else:
            res.samples.setdefault(name, []).append(int(value) / 1e9)
    if not ended:
        res.failures.append("the script did not finish (no 'WORKLOAD end')")
    return res


def expected_checks(busybox: Path, data: bytes) -> dict[str, str]:
    """md5sums of what the same BusyBox's sort and gzip -c give for data,
    run on the host (the binary is static x86_64 Linux)."""
    sort = subprocess.run([str(busybox), "sort"], input=data, capture_output=True, check=True)
    gzip = subprocess.run([str(busybox), "gzip", "-c"], input=data, capture_output=True,
                          check=True)
    return {"sort": hashlib.md5(sort.stdout).hexdigest(),
            "gzip": hashlib.md5(gzip.stdout).hexdigest()}


def fetch_busybox(repo: Path) -> Path | str:
    """Debian's busybox-static binary (scripts/fetch-deb), or why not."""
    got = subprocess.run([str(repo / "scripts" / "fetch-deb"), "busybox-static"],
                         capture_output=True, text=True)
    if got.returncode != 0:
        return f"busybox-static: {got.stderr.strip()[-200:]}"
    busybox = Path(got.stdout.strip()) / "bin" / "busybox"
    return busybox if busybox.is_file() else f"no {busybox}"


def build_wltime(repo: Path, out: Path) -> Path:
    """Compile userspace/bench/wltime.c with musl-gcc into out."""
    out.parent.mkdir(parents=True, exist_ok=True)
    src = repo / "userspace" / "bench" / "wltime.c"
    subprocess.run(["musl-gcc", *MUSL_CFLAGS, "-o", str(out), str(src)], check=True)
    return out


def guest_files(busybox: Path, wltime: Path, params: Params) -> dict[str, tuple[bytes, int]]:
    """The files both images hold: path -> (bytes, permission bits)."""
    return {"bin/busybox": (busybox.read_bytes(), 0o755),
            "bin/wltime": (wltime.read_bytes(), 0o755),
            SCRIPT_PATH: (run_script(params).encode(), 0o644),
            DATA_PATH: (make_data(params.data_bytes), 0o644)}


def levitate_image(repo: Path, work: Path, files: dict[str, tuple[bytes, int]]) -> Path:
    """build/rootfs/ plus files, as the bench's levbench image is made,
    into work/levitate.cpio."""
    extra = work / "extra"
    if extra.exists():
        shutil.rmtree(extra)
    for name, (data, perm) in files.items():
        path = extra / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(perm)
    return levitate_initramfs(repo, extra, work)


def linux_entries(files: dict[str, tuple[bytes, int]]) -> list[Entry]:
    """The Linux peer's tree: files, wltime again as /init, /dev/console,
    an empty /tmp (sticky, world-writable, as on Linux systems)."""
    entries = [directory("bin"), directory("bench"), directory("dev"),
               char_device("dev/console", 5, 1),
               Entry("tmp", 0o041777), regular_file("init", files["bin/wltime"][0])]
    entries += [regular_file(name, data, perm) for name, (data, perm) in sorted(files.items())]
    return entries


def boot(machine: Machine, program: list[str], timeout: float) -> Result:
    """One boot running the script; its parsed output.  Raises BootError when
    QEMU ends badly or runs out of time."""
    argv = ["--batch", *machine.args] + (["--", *program] if program else [])
    child = pexpect.spawn(str(machine.qemu), argv, encoding="latin-1", timeout=timeout)
    try:
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
        raise BootError(f"workload: no end within {timeout:.0f} s: {child.before[-400:]!r}") from None
    child.close()
    if child.exitstatus != 0:
        raise BootError(f"workload: exit status {child.exitstatus}: {child.before[-400:]!r}")
    return parse_output(child.before)


def merge(results: list[Result], expected: dict[str, str]) -> Result:
    """Every boot's runs together; a check that differs from the host's
    BusyBox (or is missing) becomes a failure."""
    total = Result()
    for res in results:
        for name, values in res.samples.items():
            total.samples.setdefault(name, []).extend(values)
        total.failures += res.failures
        for name in CHECKED:
            got = res.checks.get(name)
            if got != expected.get(name):
                total.failures.append(f"{name}: output md5 {got} != host BusyBox's "
                                      f"{expected.get(name)}")
    return total


def figures(levitate: Result, linux: Result | None, params: Params) -> list[Figure]:
    """One row per workload: medians in seconds, Levitate and Linux."""
    rows = []
    for name, key, label in WORKLOADS:
        fig = Figure(key, label.format(n=params.loop, mib=round(params.data_bytes / (1 << 20), 1)),
                     "s")
        fig.samples["levitate"] = levitate.samples.get(name, [])
        fig.samples["linux"] = linux.samples.get(name, []) if linux else []
        fig.values = {c: statistics.median(v) if v else None for c, v in fig.samples.items()}
        rows.append(fig)
    return rows


@dataclass
class Outcome:
    """The workload rows and the notes that go under the table."""
    figures: list[Figure]
    notes: list[str]


def measure(repo: Path, work: Path, qemu: Path, linux_kernel: Path | None,
            linux_append: str, params: Params, boots: int,
            log: Callable[[str], None]) -> Outcome:
    """Build both images, boot the sides in turn `boots` times each (so a
    slow minute of the host falls on both, not on one side's whole
    measurement), check the outputs against the host's BusyBox, and make
    the rows.  A side that fails gives no figure and a note saying why."""
    busybox = fetch_busybox(repo)
    if isinstance(busybox, str):
        return Outcome([], [f"workload rows: skipped ({busybox})"])
    work.mkdir(parents=True, exist_ok=True)
    files = guest_files(busybox, build_wltime(repo, work / "wltime"), params)
    expected = expected_checks(busybox, files[DATA_PATH][0])
    sides = [Side("Levitate", Machine(qemu, ("--initrd", str(levitate_image(repo, work, files)))),
                  LEVITATE_PROGRAM)]
    if linux_kernel is not None:
        cpio = work / "linux.cpio"
        cpio.write_bytes(encode_archive(linux_entries(files)))
        sides.append(Side("Linux", Machine(qemu, ("--kernel", str(linux_kernel), "--initrd",
                                                   str(cpio), "--append", linux_append)), []))
    boot_in_turn(sides, boots)
    notes: list[str] = []
    results = [side.result(expected, log, notes) for side in sides]
    levitate, linux = results[0], (results[1] if len(results) > 1 else None)
    notes.append(f"workload rows: BusyBox {busybox.parent.parent.name} on both sides, "
                 f"{boots} boot(s) x {params.rounds} rounds each, the sides booted in turn, "
                 "medians; outputs checked against the same BusyBox on the host")
    return Outcome(figures(levitate or Result(), linux, params), notes)


def boot_in_turn(sides: list[Side], boots: int) -> None:
    """Each side booted `boots` times, the sides in turn: A B A B, never
    A A B B."""
    for _ in range(boots):
        for side in sides:
            side.boot_once()


@dataclass
class Side:
    """One side's machine and program, and its boots so far (a boot that
    failed ends the side: its error is kept, no more boots)."""
    name: str
    machine: Machine
    program: list[str]
    results: list[Result] = field(default_factory=list)
    error: str = ""

    def boot_once(self) -> None:
        if self.error:
            return
        try:
            self.results.append(boot(self.machine, self.program, timeout=900.0))
        except BootError as err:
            self.error = str(err)

    def result(self, expected: dict[str, str], log: Callable[[str], None],
               notes: list[str]) -> Result | None:
        """The boots merged and checked; None (and a note) when the side
        failed, since a wrong or partial run gives no figure."""
        if self.error:
            notes.append(f"workload on {self.name}: boot failed: {self.error}")
            return None
        res = merge(self.results, expected)
        if res.failures:
            notes.append(f"workload on {self.name}: FAILED: " + "; ".join(res.failures))
            return None
        log(f"workload on {self.name}: " + ", ".join(
            f"{k} {statistics.median(v):.3f} s" for k, v in res.samples.items()))
        return res
