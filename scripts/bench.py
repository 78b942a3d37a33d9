#!/usr/bin/python3
"""make bench: Levitate (tracing off and on) side by side with Linux in the
same QEMU, one table on stdout, JSON in build/bench/results.json.

    /usr/bin/python3 scripts/bench.py [--boots N] [--runs N] [--no-linux] [--no-build]

Expects a built tree (`make all`).  Progress goes to stderr.  See docs/bench.md.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import (build_levbench, clean_build_seconds, fetch_linux_kernel,  # noqa: E402
                         levitate_initramfs, linux_initramfs)
from bench_qemu import (BenchRun, BootError, Machine, run_levbench,  # noqa: E402
                        time_to_exit, time_to_prompt)
import bench_workload  # noqa: E402
from bench_report import (CONFIGS, GUEST_FIGURES, NOTE, Figure, floor_figures,  # noqa: E402
                          judge_below, judge_speedup, median, per_key_medians,
                          results_json, format_table, traced_syscall_cost)

LINUX_APPEND = "console=ttyS0 quiet panic=-1"
# Linux/Levitate at least this much, tracing off (docs/bench.md, "Targets";
# issue 19 raised fork and exec from 4x and added the 1 MiB exec).
SPEEDUP_TARGETS = {"getpid_ns": 4.0, "fork_exit_wait_ns": 20.0, "fork_exec_wait_ns": 20.0,
                   "pipe_roundtrip_ns": 6.0, "exec_big_ns": 8.0}
FLOOR_KERNEL = Path("build") / "floor" / "kernel.bin"


@dataclass
class Setup:
    """What the runs boot: the machines per configuration (linux is None
    when the peer is missing, with the reason; floor is the floor kernel,
    make floor-kernel), and where traces go."""
    levitate: Machine
    traced: Machine
    floor: Machine
    linux: Machine | None
    linux_missing: str
    linux_kernel: str


def log(msg: str) -> None:
    """Progress on stderr, so stdout holds only the report."""
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def repeat(n: int, what: str, once: Callable[[], float]) -> list[float]:
    """Run once() n times, logging the median; returns every sample."""
    samples = [once() for _ in range(n)]
    log(f"{what}: median {median(samples):.4f} of {n}")
    return samples


def prepare(repo: Path, work: Path, with_linux: bool) -> Setup:
    """Build levbench, both initramfs images, and find the Linux kernel."""
    extra = work / "extra"
    bench, big = build_levbench(repo, extra)
    lev_cpio = levitate_initramfs(repo, extra, work)
    qemu = repo / "scripts" / "levitate-qemu"
    trace = work / "trace.jsonl"
    levitate = Machine(qemu, ("--initrd", str(lev_cpio)))
    traced = levitate.with_args("--trace", str(trace))
    floor = levitate.with_args("--kernel", str(repo / FLOOR_KERNEL))
    if not with_linux:
        return Setup(levitate, traced, floor, None, "skipped by --no-linux", "")
    kernel = fetch_linux_kernel(repo / ".bench-cache")
    if isinstance(kernel, str):
        return Setup(levitate, traced, floor, None, kernel, "")
    linux = Machine(qemu, ("--kernel", str(kernel), "--initrd",
                           str(linux_initramfs(bench, big, work)), "--append", LINUX_APPEND))
    return Setup(levitate, traced, floor, linux, "", kernel.name)


def boot_figures(setup: Setup, boots: int) -> list[Figure]:
    """Boot to prompt (off, traced) and the /bin/true floor."""
    prompt = Figure("boot_to_prompt_s", "boot to shell prompt (host)", "s")
    prompt.samples["levitate"] = repeat(boots, "boot to prompt", lambda: time_to_prompt(setup.levitate))
    prompt.samples["traced"] = repeat(boots, "boot to prompt, traced",
                                      lambda: time_to_prompt(setup.traced))
    floor = Figure("qemu_true_s", "QEMU start to exit, init runs /bin/true", "s")
    floor.samples["levitate"] = repeat(boots, "/bin/true floor",
                                       lambda: time_to_exit(setup.levitate, ["/bin/true"]))
    for f in (prompt, floor):
        f.values = {c: median(f.samples.get(c, [])) for c in CONFIGS}
    judge_below(prompt, "levitate", 0.25, "< 0.25 s")
    return [prompt, floor]


def guest_figures(runs: dict[str, list[BenchRun]]) -> list[Figure]:
    """Boot-to-levbench and levbench's figures per configuration, judged."""
    start = Figure("boot_to_init_output_s", "boot to first output of levbench (host)", "s")
    figs = [start]
    for key, label in GUEST_FIGURES:
        figs.append(Figure(key, label, "ns"))
    for config, config_runs in runs.items():
        start.samples[config] = [r.start_s for r in config_runs]
        for f in figs[1:]:
            f.samples[config] = [r.figures[f.key] for r in config_runs if f.key in r.figures]
    for f in figs:
        f.values = {c: median(f.samples.get(c, [])) for c in CONFIGS}
        if f.key in SPEEDUP_TARGETS:
            judge_speedup(f, SPEEDUP_TARGETS[f.key])
    return figs + [traced_syscall_cost(figs[1])]


def build_figures(repo: Path, jobs: int, enabled: bool) -> tuple[list[Figure], str]:
    """The clean build's wall time and CPU time (user + system), and a note
    when it was skipped or failed."""
    wall = Figure("clean_build_s", f"clean build, make -j{jobs} all (worktree of HEAD)", "s")
    cpu = Figure("clean_build_cpu_s", "clean build, CPU time (user + system)", "s")
    if not enabled:
        return [wall, cpu], "build time: skipped (--no-build)"
    log("clean build in a temporary worktree")
    got = clean_build_seconds(repo, jobs)
    if isinstance(got, str):
        return [wall, cpu], f"build time: {got}"
    for fig, value in zip((wall, cpu), got):
        fig.samples["levitate"] = [value]
        fig.values = {"levitate": value}
    return [wall, cpu], ""


def workload_rows(repo: Path, work: Path, setup: Setup,
                  args: argparse.Namespace) -> bench_workload.Outcome:
    """BusyBox's ash, sort and gzip on Levitate and the Linux peer
    (scripts/bench_workload.py)."""
    if args.no_workload:
        return bench_workload.Outcome([], ["workload rows: skipped (--no-workload)"])
    log("workload: BusyBox ash loop, sort, gzip")
    kernel = fetch_linux_kernel(repo / ".bench-cache") if setup.linux else None
    params = bench_workload.Params(rounds=args.workload_rounds)
    return bench_workload.measure(repo, work / "workload", setup.levitate.qemu,
                                  kernel if isinstance(kernel, Path) else None,
                                  LINUX_APPEND, params, args.workload_boots, log)


def qemu_version() -> str:
    """QEMU's version line."""
    out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True)
    return out.stdout.splitlines()[0] if out.stdout else "unknown"


def git_head(repo: Path) -> str:
    """HEAD's short hash, with '+dirty' when the tree has changes."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo,
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                           capture_output=True, text=True).stdout.strip()
    return head + ("+dirty" if dirty else "")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--boots", type=int, default=7, help="boots per boot-time figure (default 7)")
    p.add_argument("--runs", type=int, default=7,
                   help="levbench boots per Levitate configuration (default 7)")
    p.add_argument("--linux-runs", type=int, default=5,
                   help="levbench boots of the Linux peer, ~7 s each (default 5)")
    p.add_argument("--no-linux", action="store_true", help="skip the Linux peer")
    p.add_argument("--no-build", action="store_true", help="skip the clean-build timing")
    p.add_argument("--no-workload", action="store_true", help="skip the BusyBox workload rows")
    p.add_argument("--workload-boots", type=int, default=2,
                   help="boots per side for the workload rows, the sides in turn (default 2)")
    p.add_argument("--workload-rounds", type=int, default=bench_workload.ROUNDS,
                   help=f"runs of each workload per boot (default {bench_workload.ROUNDS})")
    p.add_argument("--out", type=Path, default=None, help="JSON output (default build/bench/results.json)")
    return p.parse_args(argv)


def measure_rounds(setup: Setup, args: argparse.Namespace,
                   trace: Path) -> tuple[dict[str, list[BenchRun]], list[Figure]]:
    """levbench boots in rounds, each round one boot of every configuration
    (Levitate tracing off and on, the floor kernel off and on, the Linux
    peer): a loaded host then slows every configuration alike, and the
    ratios stay fair.  Returns the runs per configuration and the floor
    kernel's figures; the trace file is deleted afterwards.  Raises
    BootError for Levitate; a Linux failure marks the peer missing."""
    machines = {"levitate": (setup.levitate, ["/bin/levbench"]),
                "traced": (setup.traced, ["/bin/levbench", "-q"]),
                "floor": (setup.floor, ["/bin/levbench", "floor"]),
                "floor_traced": (setup.floor.with_args("--trace", str(trace)),
                                 ["/bin/levbench", "floor"])}
    runs: dict[str, list[BenchRun]] = {name: [] for name in machines}
    try:
        for i in range(max(args.runs, args.linux_runs if setup.linux else 0)):
            for name, (machine, program) in machines.items():
                if i < args.runs:
                    runs[name].append(run_levbench(machine, program))
            if setup.linux is not None and i < args.linux_runs:
                linux_round(setup, runs)
    finally:
        trace.unlink(missing_ok=True)
    for name, config_runs in runs.items():
        log(f"levbench {name}: {per_key_medians([r.figures for r in config_runs])}")
    floor = floor_figures([r.figures for r in runs.pop("floor")],
                          [r.figures for r in runs.pop("floor_traced")])
    if not runs.get("linux"):
        runs.pop("linux", None)
    return runs, floor


def linux_round(setup: Setup, runs: dict[str, list[BenchRun]]) -> None:
    """One boot of the Linux peer into runs["linux"]; on a failure the peer
    is marked missing (setup says why) and booted no more."""
    assert setup.linux is not None
    try:
        runs.setdefault("linux", []).append(run_levbench(setup.linux, []))
    except BootError as err:
        setup.linux_missing = f"boot failed: {err}"
        setup.linux = None
        log(f"Linux peer: {setup.linux_missing}")


def print_report(figures: list[Figure], setup: Setup, args: argparse.Namespace,
                 notes: list[str]) -> None:
    """The table and its notes on stdout."""
    print(format_table(figures))
    print()
    if setup.linux_missing:
        print(f"Linux peer: missing ({setup.linux_missing})")
    else:
        print(f"Linux peer: {setup.linux_kernel} (Debian linux-image-amd64), levbench as /init")
    for note in notes:
        print(note)
    print(f"Medians of {args.boots} boots for boot figures; of {args.runs} boots per Levitate "
          f"configuration and {args.linux_runs} of Linux for levbench figures (each itself a "
          "median of 5 timed rounds in the guest); traced runs use levbench -q (fewer "
          "iterations); every sample is in the JSON.")
    print(NOTE)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    repo = Path(__file__).resolve().parents[1]
    work = repo / "build" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    out = args.out or work / "results.json"
    t0 = time.monotonic()
    setup = prepare(repo, work, not args.no_linux)
    if setup.linux is None:
        log(f"Linux peer: missing ({setup.linux_missing})")
    try:
        figures = boot_figures(setup, args.boots)
        runs, floor = measure_rounds(setup, args, work / "trace.jsonl")
    except BootError as err:
        print(f"bench: Levitate failed: {err}", file=sys.stderr)
        return 1
    guest = guest_figures(runs)
    figures += guest[:2] + floor + guest[2:]     # the floor rows right after getpid
    workload = workload_rows(repo, work, setup, args)
    figures += workload.figures
    build, build_note = build_figures(repo, os.cpu_count() or 1, not args.no_build)
    figures += build
    print_report(figures, setup, args, workload.notes + ([build_note] if build_note else []))
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "levitate": git_head(repo), "qemu": qemu_version(), "cpus": os.cpu_count(),
            "boots": args.boots, "runs": args.runs, "linux_runs": args.linux_runs,
            "workload_boots": args.workload_boots, "workload_rounds": args.workload_rounds,
            "linux_kernel": setup.linux_kernel, "linux_missing": setup.linux_missing,
            "bench_seconds": round(time.monotonic() - t0, 1)}
    out.write_text(json.dumps(results_json(figures, meta), indent=1) + "\n")
    print(f"JSON: {out.relative_to(repo) if out.is_relative_to(repo) else out}")
    log(f"done in {meta['bench_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
