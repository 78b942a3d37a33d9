"""python3 -m conformance linux | run  (from the repository root; see
docs/conformance.md).

  linux  boot Linux once, run the whole battery, write conformance/linux/results.json;
         then one boot per interactive session -> conformance/linux/interactive.json
  run    run the battery and the sessions on Levitate, compare with Linux's
         data, write docs/conformance.md and conformance/results.json; exit 1
         when a scenario the committed table shows the same no longer is,
         2 when the Linux data is stale
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import compare, guests, interactive, report, results, scenarios
from .guestrun import Outcome, run_battery

RUNNER = guests.REPO / "build" / "conformance" / "conform-run"
LEVITATE_BOOT = 60.0
LINUX_BOOT = 180.0   # seconds Linux may take to its first record (a loaded host is slow)
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
        return run_battery(boot, names, timeout=timeout, boot_timeout=LINUX_BOOT), kernel.name


def run_linux_sessions(sessions: list[interactive.Session], timeout: float
                       ) -> list[interactive.Transcript]:
    """Each session in a Linux boot of its own."""
    kernel = guests.linux_kernel()
    with tempfile.TemporaryDirectory(prefix="conformance-linux-") as tmp:
        image = guests.linux_image(_payload([]), Path(tmp) / "linux.cpio")
        return [interactive.run_session(guests.linux_command(kernel, image, ["--linux", "--tty"]),
                                        s, timeout, boot_timeout=LINUX_BOOT) for s in sessions]


def run_levitate(names: list[str], timeout: float, jobs: int,
                 tree: Path = guests.REPO) -> list[Outcome]:
    """All names on the Levitate built in tree (build/kernel.bin and
    build/rootfs), split into `jobs` consecutive shards that boot in
    parallel; outcomes in names' order."""
    if not names:
        return []
    with tempfile.TemporaryDirectory(prefix="conformance-levitate-") as tmp:
        image = guests.levitate_image(_payload(names), Path(tmp), tree)

        def boot(first: int, count: int) -> list[str]:
            return guests.levitate_command(image, ["/" + guests.RUNNER, "--first", str(first),
                                                   "--count", str(count)], tree)
        size = -(-len(names) // max(1, jobs))
        shards = [(i, names[i:i + size]) for i in range(0, len(names), size)]
        with ThreadPoolExecutor(max_workers=len(shards) or 1) as pool:
            parts = pool.map(lambda s: run_battery(boot, s[1], first=s[0], timeout=timeout),
                             shards)
            return [o for part in parts for o in part]


def _retry_failed(got: list, rerun) -> list:
    """got with each failed item replaced by a second try (rerun(names) gives
    the new items in order): a loaded host may slow a boot past its time."""
    failed = [x.name for x in got if x.failure]
    if not failed:
        return got
    again = {x.name: x for x in rerun(failed)}
    return [again.get(x.name, x) for x in got]


def run_sessions(sessions: list[interactive.Session], command, timeout: float
                 ) -> list[interactive.Transcript]:
    """Each session in a guest of its own: command() boots one (Levitate's
    first prompt may take LEVITATE_BOOT)."""
    return [interactive.run_session(command(), s, timeout, boot_timeout=LEVITATE_BOOT)
            for s in sessions]


def _kept(path: Path, key: str, names: set[str], rerun: set[str]) -> dict:
    """The records of path[key] to keep: those of names still defined that
    are not run again (empty when the file is missing)."""
    if not path.exists():
        return {}
    recs = json.loads(path.read_text())[key]
    return {n: r for n, r in recs.items() if n in names and n not in rerun}


def cmd_linux(args: argparse.Namespace) -> int:
    """Regenerate the Linux results and transcripts (all, or --only some;
    failures get a second try); 1, writing nothing, when Linux still gave
    no result for a scenario or session (a broken scenario: fix it)."""
    all_battery, all_sessions = scenarios.load(), interactive.load()
    battery, sessions = _chosen(all_battery, args.only), _chosen(all_sessions, args.only)
    outcomes, kernel = run_linux([s.name for s in battery], args.timeout)
    outcomes = _retry_failed(outcomes, lambda names: run_linux(names, args.timeout)[0])
    by_session = {s.name: s for s in all_sessions}
    transcripts = run_linux_sessions(sessions, args.timeout)
    transcripts = _retry_failed(transcripts, lambda names: run_linux_sessions(
        [by_session[n] for n in names], args.timeout))
    failed = [(o.name, o.failure) for o in outcomes + transcripts if o.failure]
    for name, why in failed:
        print(f"conformance: Linux gave no result for {name}: {why}", file=sys.stderr)
    if failed:
        print("conformance: nothing written", file=sys.stderr)
        return 1
    meta = {"kernel": kernel, "busybox": _busybox_version(),
            "regenerate": "make conformance-linux",
            "compared": "stdout and exit status (stderr kept for reading)"}
    keep = _kept(results.LINUX_RESULTS, "scenarios", {s.name for s in all_battery},
                 {s.name for s in battery})
    results.save(results.LINUX_RESULTS, meta, outcomes, {s.name: s for s in battery}, keep=keep)
    keep = _kept(interactive.LINUX_TRANSCRIPTS, "sessions", set(by_session),
                 {s.name for s in sessions})
    interactive.save(interactive.LINUX_TRANSCRIPTS, meta, transcripts, by_session, keep=keep)
    print(f"conformance: {len(outcomes)} scenarios and {len(transcripts)} sessions ran on "
          f"Linux ({kernel}); wrote conformance/linux/")
    return 0


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


def linux_transcripts(sessions: list[interactive.Session]) -> dict[str, interactive.Transcript]:
    """Linux's committed transcripts for the sessions; GuestError when stale."""
    if not sessions:
        return {}
    if not interactive.LINUX_TRANSCRIPTS.exists():
        raise guests.GuestError("no conformance/linux/interactive.json: "
                                "run `make conformance-linux`")
    got = interactive.load_transcripts(interactive.LINUX_TRANSCRIPTS)
    stale = [s.name for s in sessions if got.get(s.name, ("", None))[0] != interactive.digest(s)]
    if stale:
        raise guests.GuestError("Linux transcripts are stale for " + ", ".join(stale) +
                                ": run `make conformance-linux` and commit the data")
    return {s.name: got[s.name][1] for s in sessions}


def _levitate_revision(tree: Path = guests.REPO) -> str:
    """The commit of the checkout Levitate was built from, marked when it has changes."""
    rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=tree,
                         capture_output=True, text=True).stdout.strip()
    return rev or "unknown"


def judge_battery(battery: list[scenarios.Scenario], args: argparse.Namespace, tree: Path
                  ) -> tuple[list[compare.Verdict], dict, list[Outcome]]:
    """Run the battery on Levitate and judge it: the verdicts, Linux's meta
    and Levitate's raw outcomes."""
    linux_meta, linux = linux_outcomes(battery)
    rules = compare.load_rules()
    outcomes = run_levitate([s.name for s in battery], args.timeout, args.jobs, tree)
    return [compare.judge(linux[o.name], o, rules) for o in outcomes], linux_meta, outcomes


def judge_sessions(sessions: list[interactive.Session], args: argparse.Namespace,
                   tree: Path) -> list[compare.Verdict]:
    """Run the interactive sessions on Levitate and judge them."""
    linux = linux_transcripts(sessions)
    if not sessions:
        return []
    with tempfile.TemporaryDirectory(prefix="conformance-levitate-") as tmp:
        image = guests.levitate_image(_payload([]), Path(tmp), tree)
        got = run_sessions(sessions, lambda: guests.levitate_command(
            image, ["/" + guests.RUNNER, "--tty"], tree), args.timeout)
    return [interactive.judge(linux[t.name], t) for t in got]


def _chosen(names: list, only: list[str] | None) -> list:
    """The items (with .name) whose names start with one of only (all if None)."""
    return [x for x in names if not only or any(x.name.startswith(p) for p in only)]


def cmd_run(args: argparse.Namespace) -> int:
    """Run on Levitate, judge, write the table; 1 when a scenario that was
    the same in the committed results no longer is (a regression)."""
    tree = Path(args.tree).resolve() if args.tree else guests.REPO
    battery = _chosen(scenarios.load(), args.only)
    sessions = _chosen(interactive.load(), args.only)
    verdicts, linux_meta, outcomes = judge_battery(battery, args, tree)
    results.save(LEVITATE_OUTCOMES, {"levitate": _levitate_revision(tree)}, outcomes,
                 {s.name: s for s in battery}, timings=True)
    verdicts += judge_sessions(sessions, args, tree)
    by_name = {s.name: s for s in battery + [interactive.as_scenario(x) for x in sessions]}
    meta = {"levitate": _levitate_revision(tree), "linux_kernel": linux_meta["kernel"],
            "busybox": linux_meta["busybox"]}
    was_same = report.previous_same()
    regressed = [v for v in verdicts if v.name in was_same and v.result != compare.SAME]
    if not args.only and not args.tree:
        report.write_doc(report.table(verdicts, by_name, meta))
        report.write_results(report.results_doc(verdicts, by_name, meta))
    for v in verdicts:
        if args.verbose or v in regressed:
            print(f"{v.name}: {v.result} {v.detail}")
    _print_summary(report.summary(verdicts, by_name), regressed)
    return 1 if regressed else 0


def _print_summary(s: dict, regressed: list[compare.Verdict]) -> None:
    """The one-line measure, then each regression on stderr."""
    print(f"conformance: {s['same']} same, {s['differs']} differ, {s['fails']} fail of "
          f"{s['total']}; not blocked: {s['not_blocked_same']}/{s['not_blocked']} same "
          f"({s['not_blocked_same_percent']}%)")
    for v in regressed:
        print(f"conformance: REGRESSION {v.name}: was the same, now {v.result}: {v.detail}",
              file=sys.stderr)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python3 -m conformance", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    lin = sub.add_parser("linux", help="regenerate conformance/linux/results.json")
    lin.add_argument("--timeout", type=float, default=60.0,
                     help="seconds one scenario may take (default 60)")
    lin.add_argument("--only", nargs="+", metavar="PREFIX",
                     help="only scenarios and sessions whose names start so (the rest of "
                          "the data is kept as it is)")
    lin.set_defaults(func=cmd_linux)
    run = sub.add_parser("run", help="run on Levitate, compare, write docs/conformance.md")
    run.add_argument("--timeout", type=float, default=10.0,
                     help="seconds one scenario may take before it counts as hung (default 10; Linux's slowest takes 2)")
    run.add_argument("--jobs", type=int, default=2, help="guests booted at once (default 2)")
    run.add_argument("--only", nargs="+", metavar="PREFIX",
                     help="only scenarios whose names start so (writes no table)")
    run.add_argument("--tree", metavar="DIR",
                     help="judge the Levitate built in another checkout (writes no table)")
    run.add_argument("-v", "--verbose", action="store_true", help="print every verdict")
    run.set_defaults(func=cmd_run)
    args = p.parse_args(argv)
    try:
        return int(args.func(args))
    except (guests.GuestError, ValueError) as err:   # ValueError: a bad scenario or rule
        print(f"conformance: {err}", file=sys.stderr)
        return 2

