"""One bisect step: build the checked-out commit (cached), replay the goldens, judge.

`git bisect run` calls this in the bisect worktree (docs/bisect.md):

    python3 -m testkit.bisect_step --root R --goldens DIR --cache DIR --log FILE ...

Exit status is git bisect run's language: 0 good (every golden replays with the
same behaviour), 1 bad (some golden differs, and every run says so), 125 skip
(the commit does not build, or its runs disagree), 128 trouble (stop bisecting).
Each step appends one JSON line to --log: commit, subject, verdict, why, and the
per-golden reports of a bad commit, which the driver prints at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from testkit.abi import Abi, AbiError, load_abi
from testkit.gitutil import GitError, git, subject
from testkit.normalize import Rules, RulesError, load_rules
from testkit.record import DEFAULT_TIMEOUT, replay
from testkit.trace import TraceError

GOOD, BAD, SKIP, TROUBLE = 0, 1, 125, 128
ARTIFACTS = ("kernel.bin", "initramfs.cpio")
DEFAULT_BUILD = "make all"


@dataclass
class Outcome:
    """One golden's replay in one run: status is "same", "different" or "error"."""
    golden: str
    status: str
    report: str


@dataclass
class Verdict:
    name: str          # "good", "bad", "skip"
    why: str
    reports: dict[str, str]

    @property
    def code(self) -> int:
        return {"good": GOOD, "bad": BAD, "skip": SKIP}[self.name]


def judge(runs: list[list[Outcome]]) -> Verdict:
    """good/bad when every run gives every golden the same status, else skip (flaky).

    A recording that cannot be read ("error") counts as different behaviour, but
    only when every run agrees on it."""
    statuses = [tuple((o.golden, o.status) for o in run) for run in runs]
    if len(set(statuses)) > 1:
        said = "; ".join(f"run {i + 1}: {_summary(run)}" for i, run in enumerate(runs))
        return Verdict("skip", f"replay disagrees with itself ({said})", {})
    differing = [o for o in runs[0] if o.status != "same"]
    agree = f"{len(runs)} run{'s agree' if len(runs) > 1 else ''}"
    if not differing:
        return Verdict("good", f"same behaviour ({agree})", {})
    names = ", ".join(o.golden for o in differing)
    return Verdict("bad", f"different: {names} ({agree})", {o.golden: o.report for o in differing})


def _summary(run: list[Outcome]) -> str:
    return ", ".join(f"{o.golden} {o.status}" for o in run)


def cached_build(tree: Path, cache: Path, commit: str, build_cmd: str) -> tuple[Path | None, Path]:
    """cache/COMMIT with kernel.bin and initramfs.cpio for the commit checked out in tree,
    building it from scratch (after `git clean -fdx`) unless cached; None if it does not build.
    The second value is the build log."""
    done, log = cache / commit, cache / commit / "build.log"
    if all((done / a).is_file() for a in ARTIFACTS):
        return done, log
    # From scratch: make trusts timestamps, and a Makefile change between two
    # commits would otherwise leave objects built with the other commit's flags.
    require_linked_worktree(tree)
    git(tree, "clean", "-fdxq")
    work = cache / f".{commit}.{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with open(work / "build.log", "wb") as out:
        rc = subprocess.run(build_cmd, shell=True, cwd=tree, stdin=subprocess.DEVNULL,
                            stdout=out, stderr=subprocess.STDOUT).returncode
    built = rc == 0 and all((tree / "build" / a).is_file() for a in ARTIFACTS)
    if built:
        for a in ARTIFACTS:
            shutil.copy2(tree / "build" / a, work / a)
    shutil.rmtree(done, ignore_errors=True)   # an earlier failed attempt's log
    os.replace(work, done)                    # whole or not at all
    return (done if built else None), log


def require_linked_worktree(tree: Path) -> None:
    """Raise GitError unless tree is a linked worktree (git worktree add), never a user's
    main tree: cached_build cleans it with git clean -fdx."""
    if git(tree, "rev-parse", "--git-dir") == git(tree, "rev-parse", "--git-common-dir"):
        raise GitError(f"{tree} is a repository's main worktree; bisect steps run in a linked one")


def replay_all(root: Path, goldens: list[Path], build: Path, out: Path, abi: Abi, rules: Rules,
               timeout: float) -> list[Outcome]:
    """Replay every golden once on the build in `build`; recordings go to out/."""
    outcomes = []
    for g in goldens:
        r = replay(root, g, abi, rules, out, timeout, build / "kernel.bin", build / "initramfs.cpio")
        if r.error is not None:
            outcomes.append(Outcome(g.stem, "error", f"ERROR: {r.error}"))
        elif r.diff is not None and r.diff.ok:
            outcomes.append(Outcome(g.stem, "same", ""))
        else:
            assert r.diff is not None
            outcomes.append(Outcome(g.stem, "different", r.diff.render(abi)))
    return outcomes


def step(args: argparse.Namespace, abi: Abi, rules: Rules) -> Verdict:
    """Build and judge the commit checked out in the current directory; logs the verdict."""
    tree = Path.cwd()
    commit = git(tree, "rev-parse", "HEAD")
    build, log = cached_build(tree, args.cache, commit, args.build)
    if build is None:
        verdict = Verdict("skip", f"does not build (log: {log})", {})
    else:
        goldens = sorted(args.goldens.glob("*.jsonl"))
        runs = [replay_all(args.root, goldens, build, build / "replay" / f"run{i + 1}", abi, rules,
                           args.timeout) for i in range(args.runs)]
        verdict = judge(runs)
    entry = {"commit": commit, "subject": subject(tree, commit), "verdict": verdict.name,
             "why": verdict.why, "reports": verdict.reports}
    with open(args.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
    print(format_step(entry), flush=True)
    return verdict


def format_step(entry: dict[str, Any]) -> str:
    """The one-line progress report of a logged step."""
    return f"  {entry['commit'][:12]} {entry['verdict']:4}  {entry['subject']}  [{entry['why']}]"


def _children() -> list[int]:
    """Pids whose parent is this process (from /proc)."""
    me, kids = os.getpid(), []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        # comm may hold spaces and parentheses: the fields start after the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            kids.append(int(d.name))
    return kids


def _stop(signum: int, frame: FrameType | None) -> None:
    """On SIGTERM/SIGINT/SIGHUP: end our children, then exit 128+signum.

    The QEMU launcher runs in its own session (testkit/qemu.py), out of reach of a
    signal sent to our process group, so its group is signalled here."""
    for pid in _children():
        try:
            if os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGTERM)
            else:
                os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    raise SystemExit(128 + signum)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python3 -m testkit.bisect_step",
                                description="one git-bisect-run step (run by testkit bisect)")
    p.add_argument("--root", type=Path, required=True, help="repository with scripts/levitate-qemu")
    p.add_argument("--goldens", type=Path, required=True, help="directory of golden *.jsonl")
    p.add_argument("--cache", type=Path, required=True, help="build cache (one directory per commit)")
    p.add_argument("--log", type=Path, required=True, help="JSON lines, one per step")
    p.add_argument("--build", default=DEFAULT_BUILD, help="build command (default: make all)")
    p.add_argument("--runs", type=int, default=2, help="replays per commit that must agree")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    p.add_argument("--abi", type=Path)
    p.add_argument("--rules", type=Path)
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    """The step's exit status for git bisect run; TROUBLE stops the bisection."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _stop)
    args = parse_args(argv)
    try:
        return step(args, load_abi(args.abi), load_rules(args.rules)).code
    except (GitError, AbiError, RulesError, TraceError, OSError) as e:
        print(f"testkit bisect: step failed: {e}", file=sys.stderr)
        return TROUBLE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
