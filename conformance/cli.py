"""python3 -m conformance linux | run  (from the repository root; see
docs/conformance.md).

  linux  boot Linux once, run the whole battery, write conformance/linux/results.json
  run    run the battery on Levitate, compare with Linux's results, write
         docs/conformance.md and conformance/results.json; exit 1 when the
         Linux data is stale
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import compare, guests, report, results, scenarios
from .guestrun import Outcome, run_battery

RUNNER = guests.REPO / "build" / "conformance" / "conform-run"
# Levitate's raw outcomes (stdout, stderr, status) of the last run, for reading.
LEVITATE_OUTCOMES = guests.REPO / "build" / "conformance" / "levitate-results.json"


def _payload(names: list[str]) -> list[guests.File]:
    """The guest files for the named scenarios (the runner must be built)."""
    if not RUNNER.is_file():
        raise guests.GuestError(f"no {RUNNER.relative_to(guests.REPO)}: "
                                "run `make build/conformance/conform-run`")
    return guests.payload(RUNNER, scenarios.SCENARIO_DIR, names, guests.busybox())


def _busybox_version() -> str:
    """BusyBox's own banner line (the version the data was made with)."""
    out = subprocess.run([str(guests.busybox())], capture_output=True, text=True)
    return out.stdout.split("\n", 1)[0].strip()


def run_linux(names: list[str], timeout: float) -> tuple[list[Outcome], str]:
    """All names in one Linux boot (more only if a scenario hangs Linux);
    the outcomes and the kernel's file name."""
    kernel = guests.linux_kernel()
    with tempfile.TemporaryDirectory(prefix="conformance-linux-") as tmp:
        image = guests.linux_image(_payload(names), Path(tmp) / "linux.cpio")

        def boot(first: int, count: int) -> list[str]:
            return guests.linux_command(kernel, image, ["--linux", "--first", str(first),
                                                        "--count", str(count)])
        return run_battery(boot, names, timeout=timeout), kernel.name


def run_levitate(names: list[str], timeout: float, jobs: int) -> list[Outcome]:
    """All names on Levitate, split into `jobs` consecutive shards that boot
    in parallel; outcomes in names' order."""
    with tempfile.TemporaryDirectory(prefix="conformance-levitate-") as tmp:
        image = guests.levitate_image(_payload(names), Path(tmp))

        def boot(first: int, count: int) -> list[str]:
            return guests.levitate_command(image, ["/" + guests.RUNNER, "--first", str(first),
                                                   "--count", str(count)])
        size = -(-len(names) // max(1, jobs))
        shards = [(i, names[i:i + size]) for i in range(0, len(names), size)]
        with ThreadPoolExecutor(max_workers=len(shards) or 1) as pool:
            parts = pool.map(lambda s: run_battery(boot, s[1], first=s[0], timeout=timeout),
                             shards)
            return [o for part in parts for o in part]


def cmd_linux(args: argparse.Namespace) -> int:
    """Regenerate the Linux results; 1 when a scenario has no result on Linux."""
    battery = scenarios.load()
    outcomes, kernel = run_linux([s.name for s in battery], args.timeout)
    meta = {"kernel": kernel, "busybox": _busybox_version(),
            "regenerate": "make conformance-linux",
            "compared": "stdout and exit status (stderr kept for reading)"}
    results.save(results.LINUX_RESULTS, meta, outcomes, {s.name: s for s in battery})
    failed = [o for o in outcomes if o.failure]
    for o in failed:
        print(f"conformance: Linux gave no result for {o.name}: {o.failure}", file=sys.stderr)
    print(f"conformance: {len(outcomes) - len(failed)}/{len(outcomes)} scenarios ran on "
          f"Linux ({kernel}); wrote {results.LINUX_RESULTS.relative_to(guests.REPO)}")
    return 1 if failed else 0


def linux_outcomes(battery: list[scenarios.Scenario]) -> tuple[dict, dict[str, Outcome]]:
    """Linux's committed results for the battery; GuestError naming the
    scenarios whose data is missing or older than their script."""
    if not results.LINUX_RESULTS.exists():
        raise guests.GuestError("no conformance/linux/results.json: run `make conformance-linux`")
    meta, recs = results.load(results.LINUX_RESULTS)
    stale = [s.name for s in battery if s.name not in recs or recs[s.name]["sha256"] != s.sha256]
    if stale:
        raise guests.GuestError("Linux results are stale for " + ", ".join(stale) +
                                ": run `make conformance-linux` and commit the data")
    return meta, {s.name: results.outcome_from_record(s.name, recs[s.name]) for s in battery}


def _levitate_revision() -> str:
    """The commit Levitate was built from, marked when the tree has changes."""
    rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=guests.REPO,
                         capture_output=True, text=True).stdout.strip()
    return rev or "unknown"


def cmd_run(args: argparse.Namespace) -> int:
    """Run on Levitate, judge, write the table; 1 when a scenario that was
    the same in the committed results no longer is (a regression)."""
    battery = scenarios.load()
    if args.only:
        battery = [s for s in battery if any(s.name.startswith(p) for p in args.only)]
    linux_meta, linux = linux_outcomes(battery)
    rules = compare.load_rules()
    outcomes = run_levitate([s.name for s in battery], args.timeout, args.jobs)
    by_name = {s.name: s for s in battery}
    results.save(LEVITATE_OUTCOMES, {"levitate": _levitate_revision()}, outcomes, by_name)
    verdicts = [compare.judge(linux[o.name], o, rules) for o in outcomes]
    meta = {"levitate": _levitate_revision(), "linux_kernel": linux_meta["kernel"],
            "busybox": linux_meta["busybox"]}
    was_same = report.previous_same()
    regressed = [v for v in verdicts if v.name in was_same and v.result != compare.SAME]
    if not args.only:
        report.write_doc(report.table(verdicts, by_name, meta))
        report.write_results(report.results_doc(verdicts, by_name, meta))
    for v in verdicts:
        if args.verbose or v in regressed:
            print(f"{v.name}: {v.result} {v.detail}")
    s = report.summary(verdicts, by_name)
    print(f"conformance: {s['same']} same, {s['differs']} differ, {s['fails']} fail of "
          f"{s['total']}; not blocked: {s['not_blocked_same']}/{s['not_blocked']} same "
          f"({s['not_blocked_same_percent']}%)")
    for v in regressed:
        print(f"conformance: REGRESSION {v.name}: was the same, now {v.result}: {v.detail}",
              file=sys.stderr)
    return 1 if regressed else 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python3 -m conformance", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    lin = sub.add_parser("linux", help="regenerate conformance/linux/results.json")
    lin.add_argument("--timeout", type=float, default=60.0,
                     help="seconds one scenario may take (default 60)")
    lin.set_defaults(func=cmd_linux)
    run = sub.add_parser("run", help="run on Levitate, compare, write docs/conformance.md")
    run.add_argument("--timeout", type=float, default=30.0,
                     help="seconds one scenario may take before it counts as hung (default 30)")
    run.add_argument("--jobs", type=int, default=2, help="guests booted at once (default 2)")
    run.add_argument("--only", nargs="+", metavar="PREFIX",
                     help="only scenarios whose names start so (writes no table)")
    run.add_argument("-v", "--verbose", action="store_true", help="print every verdict")
    run.set_defaults(func=cmd_run)
    args = p.parse_args(argv)
    try:
        return int(args.func(args))
    except guests.GuestError as err:
        print(f"conformance: {err}", file=sys.stderr)
        return 2

