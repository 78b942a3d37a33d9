"""testkit bisect: find the commit that changed a golden's behaviour (docs/bisect.md).

The user's tree, index, HEAD and bisect state are never touched: everything runs
in a temporary linked worktree (`git worktree add`), whose bisect state (refs/bisect,
BISECT_LOG) is its own and goes away with it.  Goldens are copied out of one
revision first, so older commits are judged by them.  Each step is
`python3 -m testkit.bisect_step` (build cached per commit, replay, judge), driven
by `git bisect run`.

Exit status: 0 the first differing commit was found, 1 it could not be (skipped
commits hide it, or the endpoints do not behave as named), 2 bad arguments or git
trouble, 130 interrupted.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, Iterator

from testkit.abi import Abi
from testkit.bisect_step import BAD, DEFAULT_BUILD, GOOD, SKIP, format_step
from testkit.gitutil import GitError, git, git_ok, resolve_commit, show_file, subject
from testkit.normalize import Rules
from testkit.record import DEFAULT_TIMEOUT

STOP_GRACE = 10.0      # seconds a stopped step gets to clean up before SIGKILL
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# What is shown of git bisect run's output: git's "Bisecting: N revisions left" and
# the steps' lines (bisect_step.format_step); not its "running" lines nor its commit dump.
PROGRESS = re.compile(r"^(Bisecting: |  [0-9a-f]{12} (good|bad |skip) )")


def add_parser(sub: Any) -> None:
    """Register `bisect` on the CLI's subparsers."""
    b = sub.add_parser("bisect", help="find the commit that changed the goldens' behaviour")
    b.add_argument("--good", required=True, help="a revision that behaves like the goldens")
    b.add_argument("--bad", required=True, help="a later revision that does not")
    b.add_argument("goldens", nargs="*", type=Path, metavar="GOLDEN",
                   help="golden paths in the goldens' revision (default: every golden/*.jsonl)")
    b.add_argument("--goldens-from", metavar="REV", help="read the goldens from REV (default: BAD)")
    b.add_argument("--cache", type=Path, help="build cache (default: ROOT/.bisect-cache)")
    b.add_argument("--build", default=DEFAULT_BUILD,
                   help="build command run in the worktree (default: make all)")
    b.add_argument("--runs", type=int, default=2, help="replays per commit that must agree (default 2)")
    b.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per replay")


@dataclass
class Plan:
    """What to bisect, resolved: full hashes and the directories the steps share."""
    root: Path
    good: str
    bad: str
    goldens_from: str
    goldens: Path          # copied goldens
    cache: Path
    log: Path              # the steps' JSON lines
    step: list[str]        # argv of one step
    env: dict[str, str]


def cmd_bisect(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    """Bisect GOOD..BAD on the goldens; print the first differing commit and its divergence."""
    if args.runs < 1:
        print("testkit bisect: --runs must be at least 1", file=sys.stderr)
        return 2
    root = args.root.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="levitate-bisect-"))
    try:
        with _signals_interrupt():
            plan = make_plan(args, root, tmp)
            return bisect(plan, tmp / "worktree")
    except GitError as e:
        print(f"testkit bisect: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("testkit bisect: interrupted; worktree removed, repository as it was", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def make_plan(args: argparse.Namespace, root: Path, tmp: Path) -> Plan:
    """Resolve the revisions, copy the goldens into tmp, build the step's command line."""
    good, bad = resolve_commit(root, args.good), resolve_commit(root, args.bad)
    source = resolve_commit(root, args.goldens_from) if args.goldens_from else bad
    goldens = tmp / "goldens"
    names = copy_goldens(root, source, [_repo_path(root, g) for g in args.goldens], goldens)
    cache = (args.cache or root / ".bisect-cache").resolve()
    log = tmp / "steps.jsonl"
    step = [sys.executable, "-m", "testkit.bisect_step", "--root", str(root),
            "--goldens", str(goldens), "--cache", str(cache), "--log", str(log),
            "--build", args.build, "--runs", str(args.runs), "--timeout", str(args.timeout)]
    step += ["--abi", str(args.abi.resolve())] if args.abi else []
    step += ["--rules", str(args.rules.resolve())] if args.rules else []
    # The steps run this testkit, not the bisected commit's (which may have none).
    here = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=here + os.pathsep + os.environ.get("PYTHONPATH", ""))
    n = int(git(root, "rev-list", "--count", f"{good}..{bad}"))
    print(f"bisecting {good[:12]}..{bad[:12]} ({n} commit{'s' if n != 1 else ''}) "
          f"on {', '.join(names)} from {source[:12]}; builds cached in {cache}")
    return Plan(root, good, bad, source, goldens, cache, log, step, env)


def _repo_path(root: Path, path: Path) -> str:
    """A golden argument as a path inside the repository (it may be given from any directory)."""
    full = Path.cwd() / path
    try:
        return full.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def copy_goldens(root: Path, rev: str, paths: list[str], dest: Path) -> list[str]:
    """Copy the goldens at `paths` (default: every golden/*.jsonl) as they are in rev into
    dest; their names.  GitError when one is missing there or there are none."""
    if not paths:
        listed = git(root, "ls-tree", "--name-only", rev, "golden/").splitlines()
        paths = [p for p in listed if p.endswith(".jsonl")]
        if not paths:
            raise GitError(f"no golden/*.jsonl in {rev[:12]}; name goldens or use --goldens-from")
    dest.mkdir(parents=True)
    for p in paths:
        target = dest / Path(p).name
        if target.exists():
            raise GitError(f"two goldens named {target.name}")
        try:
            target.write_bytes(show_file(root, rev, p))
        except GitError:
            raise GitError(f"{p} is not in {rev[:12]} (commit it, or use --goldens-from)") from None
    return sorted(Path(p).stem for p in paths)


@contextmanager
def _signal_handlers(signals: tuple[signal.Signals, ...], handler: Any) -> Iterator[None]:
    """Install handler for signals for the block; the old handlers come back after it."""
    old = {s: signal.signal(s, handler) for s in signals}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _signals_interrupt() -> Any:
    """SIGTERM and SIGHUP raise KeyboardInterrupt like SIGINT, so that cleanup runs."""
    return _signal_handlers((signal.SIGTERM, signal.SIGHUP), _raise_interrupt)


def _cleanup_shielded() -> Any:
    """Ignore the stop signals while cleaning up: a second Ctrl-C must not leave a worktree."""
    return _signal_handlers(tuple(STOP_SIGNALS), signal.SIG_IGN)


@contextmanager
def temporary_worktree(root: Path, path: Path, commit: str) -> Iterator[Path]:
    """A linked worktree of root at path, detached at commit; removed (and pruned) on exit,
    however the block ends."""
    try:
        git(root, "worktree", "add", "--detach", "--quiet", str(path), commit)
        yield path
    finally:
        with _cleanup_shielded():
            remove_worktree(root, path)


def remove_worktree(root: Path, path: Path) -> None:
    """Remove the linked worktree at path and its administrative files in root's .git."""
    if not git_ok(root, "worktree", "remove", "--force", str(path)) or path.exists():
        shutil.rmtree(path, ignore_errors=True)
    git_ok(root, "worktree", "prune")


def bisect(plan: Plan, path: Path) -> int:
    """Check the endpoints, run git bisect in a temporary worktree, report."""
    with temporary_worktree(plan.root, path, plan.bad) as wt:
        if not endpoints_ok(plan, wt):
            return 1
        started = git(wt, "bisect", "start", plan.bad, plan.good)
        for line in started.splitlines():
            if PROGRESS.match(line):
                print(line)
        if not bisect_log_result(wt)[1]:
            run_grouped(["git", "bisect", "run", *plan.step], wt, plan.env)
        kind, commits = bisect_log_result(wt)
    return report(plan, kind, commits)


def endpoints_ok(plan: Plan, wt: Path) -> bool:
    """Whether BAD differs and GOOD behaves like the goldens (else bisecting would blame
    the wrong commit); says what is wrong."""
    print("checking that BAD differs and GOOD does not:")
    for commit, want, name in ((plan.bad, BAD, "BAD"), (plan.good, GOOD, "GOOD")):
        git(wt, "checkout", "--quiet", "--detach", commit)
        got = run_grouped(plan.step, wt, plan.env)
        if got == want:
            continue
        entry = last_entry(plan.log, commit)
        if got == SKIP:
            print(f"cannot judge {name} {commit[:12]}: {entry['why'] if entry else 'step failed'}")
        elif got == GOOD:
            print(f"{name} {commit[:12]} behaves like the goldens: nothing to bisect")
        elif got == BAD:
            print(f"{name} {commit[:12]} already differs from the goldens:")
            print(_reports(entry))
        else:
            print(f"the step failed on {name} {commit[:12]} (status {got})")
        return False
    return True


def run_grouped(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run cmd in its own process group, forwarding its progress lines; its exit status.

    On any interruption the whole group (git, the step, make) gets SIGTERM, then
    SIGKILL after STOP_GRACE; the step ends its QEMU itself."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if PROGRESS.match(line):
                print(line.rstrip("\n"), flush=True)
        return proc.wait()
    except BaseException:
        with _cleanup_shielded():
            _stop_group(proc)
        raise


def _stop_group(proc: subprocess.Popen[str]) -> None:
    """SIGTERM proc's process group, SIGKILL it if it has not ended after STOP_GRACE."""
    for sig, wait in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


FIRST_BAD = re.compile(r"^# (first|possible first) bad commit: \[([0-9a-f]{40})\]")


def bisect_log_result(wt: Path) -> tuple[str, list[str]]:
    """From the worktree's bisect log: ("found", [hash]), ("ambiguous", [hashes]) when
    skipped commits hide the answer, or ("none", []) while unfinished."""
    found: dict[str, list[str]] = {"first": [], "possible first": []}
    for line in git(wt, "bisect", "log", check=False).splitlines():
        m = FIRST_BAD.match(line)
        if m:
            found[m.group(1)].append(m.group(2))
    if found["first"]:
        return "found", found["first"][-1:]
    if found["possible first"]:
        return "ambiguous", found["possible first"]
    return "none", []


def last_entry(log: Path, commit: str) -> dict[str, Any] | None:
    """The last step logged for commit, or None."""
    entry = None
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            if e["commit"] == commit:
                entry = e
    return entry


def skipped_steps(log: Path) -> list[dict[str, Any]]:
    """Every logged step that was skipped, once per commit, in order."""
    seen: dict[str, dict[str, Any]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            if e["verdict"] == "skip":
                seen.setdefault(e["commit"], e)
    return list(seen.values())


def _reports(entry: dict[str, Any] | None) -> str:
    """The per-golden divergence reports of a logged bad step, indented under each golden."""
    if not entry or not entry["reports"]:
        return "  (no report logged)"
    return "\n".join(f"golden {g}:\n" + "\n".join("  " + l for l in text.splitlines())
                     for g, text in entry["reports"].items())


def report(plan: Plan, kind: str, commits: list[str]) -> int:
    """Print the result: the first differing commit with its divergence, or the candidates."""
    if kind == "found":
        c = commits[0]
        print(f"first commit whose behaviour differs: {c} {subject(plan.root, c)}")
        print(_reports(last_entry(plan.log, c)))
    elif kind == "ambiguous":
        print("skipped commits hide the first differing commit; it is one of:")
        for c in commits:
            print(f"  {c} {subject(plan.root, c)}")
    else:
        print("git bisect did not finish (see the messages above)")
    skipped = skipped_steps(plan.log)
    if skipped:
        print("skipped (not judged):")
        for e in skipped:
            print(format_step(e))
    return 0 if kind == "found" else 1
