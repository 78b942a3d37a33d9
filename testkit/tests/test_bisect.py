"""testkit bisect on a throwaway clone with a made-up history (docs/bisect.md).

The history (module fixture, built once; its build cache is shared by the tests):

    base  clone of this repository's HEAD            (behaves like the golden)
    c1    docs: bisect note 1
    c2    docs: bisect note 2
    c3    kernel: break the build                    (does not compile)
    c4    kernel: repair the build
    c5    echo: end with '.' instead of a newline    (the behaviour change)
    c6    docs: bisect note 3
    c7    golden: echo-hi, recorded on base          (only BAD has the golden)

The slow tests build commits (a few seconds each) and boot QEMU; deselect them
with -m "not slow".  The others check the step's judgement and the log parsing.
They share one history and one build cache, so under pytest-xdist they run on one
worker (xdist_group), and the commits build through ccache (scripts/setup.sh) in
the cache `make test` fills as it builds the tree (its TEST_CCACHE_DIR): a commit
costs only the files it changed.  Commits that change only the note or the golden build as
the commit before them: their build is copied (reusing_build), so the history
costs two builds, base and c5, and c3's failing one.  The naming and skipping
tests read one bisect of the whole history (whole_history_run).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import proctree
from conftest import REPO_ROOT, TESTKIT_DIR
from testkit.abi import load_abi
from testkit.bisect_step import Outcome, judge
from testkit.normalize import load_rules
from testkit.record import Scenario, bless, lines_to_input, record

TOOLS = ("git", "make", "musl-gcc", "qemu-system-x86_64")
BUILD = ("make all KCC='ccache gcc' US_CC='ccache musl-gcc'" if shutil.which("ccache")
         else "make all")
# What no build reads, and all that some commits of the history change.
UNBUILT = ("docs/bisect-note.txt", "golden/echo-hi.jsonl")
EOL = 'printf("\\n");'
GOLDEN = "golden/echo-hi.jsonl"


@dataclass
class History:
    clone: Path
    cache: Path
    base: str
    commits: dict[str, str]      # c1..c7 -> hash
    build: str = BUILD           # the bisect's --build


def reusing_build(builds: Path) -> str:
    """BUILD, run once per set of sources: commits whose trees differ only in UNBUILT
    (c1, c2 and c4 build as base, c6 and c7 as c5) copy the kernel and initramfs built
    for the first of them from `builds`.  The bisect still builds every commit it
    judges through its step (clean worktree, this command, its own per-commit cache);
    only make's work, identical for identical sources, is not done again."""
    keep = " && ".join(f'$4 != "{path}"' for path in UNBUILT)
    out = f"{builds}/$key"
    return (f"key=$(git ls-tree -r HEAD | awk '{keep}' | sha1sum | cut -c1-40); "
            f"if [ -f {out}/initramfs.cpio ]; then "
            f"mkdir -p build && cp {out}/kernel.bin {out}/initramfs.cpio build/; "
            f"else {BUILD} && mkdir -p {out}.part && "
            f"cp build/kernel.bin build/initramfs.cpio {out}.part/ && mv {out}.part {out}; fi")


# make test fills this cache as it builds the tree (Makefile, TEST_CCACHE_DIR, which
# it passes on as LEVITATE_CCACHE_DIR), so the clone's first build, of the same
# sources, is all cache hits; ccache locks its files, and a run on its own starts
# the cache.
CCACHE_DIR = Path(os.environ.get("LEVITATE_CCACHE_DIR") or
                  Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "levitate" / "ccache")


def build_env() -> dict[str, str]:
    """The tree's ccache; the tree's, the clone's and the worktree's paths hash alike."""
    return dict(os.environ, CCACHE_DIR=str(CCACHE_DIR), CCACHE_NOHASHDIR="1",
                PYTHONPATH=str(TESTKIT_DIR))


def sh(cwd: Path, *args: str) -> str:
    """Run a command in cwd, failing the test with its output if it fails."""
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=build_env())
    assert p.returncode == 0, f"{' '.join(args)}: {p.stdout}{p.stderr}"
    return p.stdout.strip()


def commit(clone: Path, message: str) -> str:
    sh(clone, "git", "add", "-A")
    sh(clone, "git", "-c", "user.name=bisect test", "-c", "user.email=bisect@test",
       "commit", "-q", "-m", message)
    return sh(clone, "git", "rev-parse", "HEAD")


def note(clone: Path, text: str) -> None:
    with open(clone / "docs" / "bisect-note.txt", "a") as f:
        f.write(text + "\n")


def record_golden(clone: Path, build: str) -> Path:
    """Build base and record `/bin/echo hi` as golden/echo-hi.jsonl (not committed yet)."""
    sh(clone, "sh", "-c", build)
    out = clone / "traces"
    rec = record(clone, Scenario("echo-hi", lines_to_input([]), ["/bin/echo", "hi"]), out)
    assert not rec.result.timed_out
    bless(rec.trace, clone / "golden", "echo-hi", load_abi(), load_rules())
    shutil.rmtree(clone / "build")
    return clone / "golden" / "echo-hi.jsonl"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """The clone and its history (above); skips without the build tools."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (make deps)")
    tmp = tmp_path_factory.mktemp("bisect")
    clone = tmp / "clone"
    sh(tmp, "git", "clone", "-q", "--local", str(REPO_ROOT), str(clone))
    build = reusing_build(tmp / "builds")
    golden = record_golden(clone, build)
    held = golden.read_bytes()
    golden.unlink()
    c: dict[str, str] = {"base": sh(clone, "git", "rev-parse", "HEAD")}
    note(clone, "one")
    c["c1"] = commit(clone, "docs: bisect note 1")
    note(clone, "two")
    c["c2"] = commit(clone, "docs: bisect note 2")
    main_c = clone / "kernel" / "main.c"
    good_main = main_c.read_text()
    main_c.write_text(good_main + "\nthis is not C\n")
    c["c3"] = commit(clone, "kernel: break the build")
    main_c.write_text(good_main)
    c["c4"] = commit(clone, "kernel: repair the build")
    echo = clone / "userspace" / "levbox" / "echo.c"
    assert EOL in echo.read_text(), "echo.c changed: update this test's culprit"
    echo.write_text(echo.read_text().replace(EOL, 'printf(".");'))
    c["c5"] = commit(clone, "echo: end with '.' instead of a newline")
    note(clone, "three")
    c["c6"] = commit(clone, "docs: bisect note 3")
    golden.write_bytes(held)
    c["c7"] = commit(clone, "golden: echo-hi, recorded on base")
    return History(clone, tmp / "cache", c["base"], c, build)


def bisect_cmd(h: History, *args: str) -> list[str]:
    return [sys.executable, "-m", "testkit", "--root", str(h.clone), "bisect",
            "--cache", str(h.cache), "--build", h.build, *args]


def run_bisect(h: History, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The bisect's result; on a timeout its whole process tree is stopped (proctree)."""
    return proctree.run(bisect_cmd(h, *args), capture_output=True, text=True,
                        env=build_env(), timeout=timeout)


def repo_state(clone: Path) -> list[str]:
    """What must not change: HEAD, status, index, worktrees, bisect refs and log."""
    return [sh(clone, "git", "rev-parse", "HEAD"),
            sh(clone, "git", "status", "--porcelain", "--ignored"),
            sh(clone, "git", "ls-files", "--stage"),
            sh(clone, "git", "worktree", "list", "--porcelain"),
            sh(clone, "git", "for-each-ref", "refs/bisect"),
            str(sorted(p.name for p in (clone / ".git").iterdir()))]


def first_line_with(text: str, prefix: str) -> str:
    return next((l for l in text.splitlines() if l.startswith(prefix)), "")


@dataclass
class Run:
    before: list[str]      # repo_state before the bisect
    result: subprocess.CompletedProcess[str]
    after: list[str]       # and after


@pytest.fixture(scope="module")
def whole_history_run(history: History) -> Run:
    """One bisect over the whole history (base..c7: a commit that does not build,
    then the culprit), one replay per commit: that the default two replays must agree
    is test_step_answers_good_bad_and_skips_a_flaky_commit's (a real step, its default
    --runs) and test_judge_good_bad_and_flaky's.  Two tests read it: building and
    booting every commit is the suite's longest step, so it runs once."""
    before = repo_state(history.clone)
    r = run_bisect(history, "--good", history.base, "--bad", history.commits["c7"],
                   "--runs", "1", GOLDEN)
    return Run(before, r, repo_state(history.clone))


@pytest.mark.slow
@pytest.mark.xdist_group("bisect-history")
def test_bisect_names_the_commit_that_changed_behaviour(history: History,
                                                        whole_history_run: Run) -> None:
    c, r = history.commits, whole_history_run.result
    assert r.returncode == 0, r.stdout + r.stderr
    found = first_line_with(r.stdout, "first commit whose behaviour differs:")
    assert found.split()[5:6] == [c["c5"]], r.stdout
    assert "echo: end with '.' instead of a newline" in found
    # The divergence, in the show rendering, under the golden's name.
    assert "golden echo-hi:" in r.stdout
    assert re.search(r'^    - \[init[/0-9]*\] writev\(1, "hi\\n", 2\) = 3$', r.stdout, re.M), r.stdout
    assert re.search(r'^    \+ \[init[/0-9]*\] writev\(1, "hi\.", 2\) = 3$', r.stdout, re.M), r.stdout
    assert whole_history_run.after == whole_history_run.before


@pytest.mark.slow
@pytest.mark.xdist_group("bisect-history")
def test_bisect_reads_goldens_from_a_given_revision(history: History) -> None:
    c = history.commits
    # One replay per commit: the default two (judged alike) is whole_history_run's.
    r = run_bisect(history, "--good", c["c4"], "--bad", c["c6"], "--goldens-from", c["c7"],
                   "--runs", "1", GOLDEN)
    assert r.returncode == 0, r.stdout + r.stderr
    assert first_line_with(r.stdout, "first commit").split()[5:6] == [c["c5"]], r.stdout
    # Without it, the goldens come from BAD (c6), which does not have this one.
    r = run_bisect(history, "--good", c["c4"], "--bad", c["c6"], GOLDEN)
    assert r.returncode == 2 and f"{GOLDEN} is not in {c['c6'][:12]}" in r.stderr, r.stdout + r.stderr


@pytest.mark.slow
@pytest.mark.xdist_group("bisect-history")
def test_bisect_skips_a_commit_that_does_not_build(history: History,
                                                   whole_history_run: Run) -> None:
    c, r = history.commits, whole_history_run.result
    assert r.returncode == 0, r.stdout + r.stderr
    assert first_line_with(r.stdout, "first commit").split()[5:6] == [c["c5"]], r.stdout
    skipped = r.stdout.split("skipped (not judged):\n", 1)[1]
    assert f"{c['c3'][:12]} skip  kernel: break the build  [does not build" in skipped, r.stdout
    assert whole_history_run.after == whole_history_run.before


@pytest.mark.slow
@pytest.mark.xdist_group("bisect-history")
def test_bisect_interrupted_leaves_repository_as_found(history: History, tmp_path: Path) -> None:
    """SIGINT while a step builds: the step's build ends, the worktree goes, nothing else moves."""
    before = repo_state(history.clone)
    started, pidfile = tmp_path / "started", tmp_path / "sleep.pid"
    # Hang only inside git bisect run (the endpoint checks are not bisecting).
    build = (f"if git bisect log >/dev/null 2>&1; then touch {started}; "
             f"sleep 300 & echo $! > {pidfile}; wait; fi; make all")
    env = build_env()
    c = history.commits
    # SIGINT as at a terminal, even when this test runs where SIGINT is ignored (a
    # background job's children inherit that, and Python then keeps it ignored).
    proc = subprocess.Popen(bisect_cmd(history, "--good", history.base, "--bad", c["c7"],
                                        "--build", build, "--runs", "1", GOLDEN),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for _ in range(1200):
        if started.exists() and pidfile.exists() or proc.poll() is not None:
            break
        subprocess.run(["sleep", "0.5"])
    assert proc.poll() is None and pidfile.exists(), "the build never started"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err
    assert repo_state(history.clone) == before
    sleeper = int(pidfile.read_text())
    assert not Path(f"/proc/{sleeper}").exists() or "Z" in _proc_state(sleeper), \
        "the step's build still runs"


def test_a_timed_out_bisect_leaves_no_step_running(tmp_path: Path) -> None:
    """A test's timeout on a bisect (run_bisect: proctree.run, which calls stop_tree)
    stops what the bisect started: `git bisect run`, the step and its build live in
    a session of their own, which subprocess.run's timeout (it kills the bisect alone)
    left running for minutes."""
    repo = tmp_path / "repo"
    (repo / "golden").mkdir(parents=True)
    sh(repo, "git", "init", "-q")
    (repo / "golden" / "g.jsonl").write_text("{}\n")
    good = commit(repo, "good")
    (repo / "file").write_text("x\n")
    bad = commit(repo, "bad")
    h = History(repo, tmp_path / "cache", good, {"bad": bad})
    before = repo_state(repo)
    pidfile = tmp_path / "build.pid"
    # What run_bisect does when its timeout expires, once the step's build runs.
    proc = subprocess.Popen(bisect_cmd(h, "--good", good, "--bad", bad, "--build",
                                       f"sleep 300 & echo $! > {pidfile}; wait", "golden/g.jsonl"),
                            env=build_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):
        if pidfile.exists() and pidfile.read_text().strip() or proc.poll() is not None:
            break
        subprocess.run(["sleep", "0.1"])
    assert proc.poll() is None, "the bisect ended before its step's build started"
    proctree.stop_tree(proc)
    assert _proc_state(int(pidfile.read_text())) in ("gone", "Z"), "the step's build still runs"
    assert repo_state(repo) == before


def _proc_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def outcomes(*statuses: str) -> list[Outcome]:
    return [Outcome(f"g{i}", s, f"report {i}") for i, s in enumerate(statuses)]


def test_judge_good_bad_and_flaky() -> None:
    assert judge([outcomes("same", "same"), outcomes("same", "same")]).name == "good"
    bad = judge([outcomes("same", "different"), outcomes("same", "different")])
    assert (bad.name, bad.code, bad.reports) == ("bad", 1, {"g1": "report 1"})
    flaky = judge([outcomes("same", "different"), outcomes("same", "same")])
    assert (flaky.name, flaky.code) == ("skip", 125)
    assert "disagrees with itself" in flaky.why and "run 2: g0 same, g1 same" in flaky.why
    # An unreadable recording is not "different" in one run and "error" in the next.
    assert judge([outcomes("error"), outcomes("different")]).name == "skip"
    assert judge([outcomes("error"), outcomes("error")]).name == "bad"


# One step on its own, with a stand-in for scripts/levitate-qemu (no build, no QEMU).
FAKE_LAUNCHER = r"""#!/bin/sh
# Stand-in for levitate-qemu: "boots" by copying canned-a or canned-b as $root/mode says.
root=$(cd "$(dirname "$0")/.." && pwd)
while [ $# -gt 0 ]; do
	case $1 in
	--trace) t=$2; shift 2 ;;
	--batch) shift ;;
	--) shift; break ;;
	*) shift 2 ;;
	esac
done
mode=$(cat "$root/mode")
if [ "$mode" = hang ]; then echo $$ > "$root/launcher.pid"; exec sleep 300; fi
n=$(( $(cat "$root/count" 2>/dev/null || echo 0) + 1 )); echo $n > "$root/count"
case $mode in
same) f=a ;;
different) f=b ;;
alternate) if [ $((n % 2)) = 1 ]; then f=a; else f=b; fi ;;
esac
cp "$root/canned-$f.jsonl" "$t"
"""


@dataclass
class FakeStep:
    repo: Path        # where the step runs (its HEAD is the commit judged)
    root: Path        # holds the fake launcher
    args: list[str]
    log: Path
    cache: Path


@pytest.fixture
def fake_step(tmp_path: Path) -> FakeStep:
    """A committed repository whose build is already cached, a golden, a fake launcher."""
    from synth import PIDS_A, PIDS_B, build, shell_scenario
    repo, root, cache, goldens = (tmp_path / d for d in ("repo", "root", "cache", "goldens"))
    for d in (repo, root / "scripts", goldens):
        d.mkdir(parents=True)
    sh(repo, "git", "init", "-q")
    (repo / "file").write_text("x\n")
    head = commit(repo, "the commit judged")
    (cache / head).mkdir(parents=True)
    for artifact in ("kernel.bin", "initramfs.cpio"):
        (cache / head / artifact).write_bytes(b"")
    (goldens / "g.jsonl").write_text(build(shell_scenario(), PIDS_A))
    (root / "canned-a.jsonl").write_text(build(shell_scenario(), PIDS_B))
    (root / "canned-b.jsonl").write_text(build(shell_scenario(echo_text="ho"), PIDS_B))
    launcher = root / "scripts" / "levitate-qemu"
    launcher.write_text(FAKE_LAUNCHER)
    launcher.chmod(0o755)
    log = tmp_path / "steps.jsonl"
    args = [sys.executable, "-m", "testkit.bisect_step", "--root", str(root), "--goldens",
            str(goldens), "--cache", str(cache), "--log", str(log), "--timeout", "30",
            "--abi", str(TESTKIT_DIR / "tests" / "fixtures" / "abi.json")]
    return FakeStep(repo, root, args, log, cache)


def run_step(f: FakeStep, mode: str) -> tuple[int, dict[str, Any]]:
    """The step's exit status with the launcher in `mode`, and its log entry."""
    (f.root / "mode").write_text(mode)
    f.log.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(TESTKIT_DIR))
    p = proctree.run(f.args, cwd=f.repo, env=env, capture_output=True, text=True, timeout=120)
    entry = json.loads(f.log.read_text()) if f.log.exists() else {}
    return p.returncode, entry


def test_step_answers_good_bad_and_skips_a_flaky_commit(fake_step: FakeStep) -> None:
    assert run_step(fake_step, "same")[0] == 0
    code, entry = run_step(fake_step, "different")
    assert (code, entry["verdict"]) == (1, "bad")
    assert '- [init/1/1] write(1, "hi\\n", 3) = 3' in entry["reports"]["g"], entry
    assert '+ [init/1/1] write(1, "ho\\n", 3) = 3' in entry["reports"]["g"], entry
    code, entry = run_step(fake_step, "alternate")
    assert (code, entry["verdict"]) == (125, "skip")
    assert "disagrees with itself" in entry["why"]
    assert "run 1: g same; run 2: g different" in entry["why"]


def test_step_stops_its_launcher_when_terminated(fake_step: FakeStep) -> None:
    """The launcher runs in its own session: a signal to the step's group misses it."""
    (fake_step.root / "mode").write_text("hang")
    env = dict(os.environ, PYTHONPATH=str(TESTKIT_DIR))
    proc = subprocess.Popen(fake_step.args, cwd=fake_step.repo, env=env)
    pidfile = fake_step.root / "launcher.pid"
    for _ in range(600):
        if pidfile.exists() and pidfile.read_text().strip() or proc.poll() is not None:
            break
        subprocess.run(["sleep", "0.1"])
    assert proc.poll() is None, "the step ended before its launcher started"
    launcher = int(pidfile.read_text())
    proc.terminate()
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    for _ in range(100):
        if _proc_state(launcher) in ("gone", "Z"):
            break
        subprocess.run(["sleep", "0.1"])
    assert _proc_state(launcher) in ("gone", "Z"), "the launcher outlived the step"


def test_step_refuses_to_build_in_a_main_worktree(fake_step: FakeStep) -> None:
    """Building starts with git clean -fdx: never in a user's own tree."""
    shutil.rmtree(fake_step.cache)
    (fake_step.repo / "precious.txt").write_text("untracked work\n")
    code, entry = run_step(fake_step, "same")
    assert code == 128 and entry == {}
    assert (fake_step.repo / "precious.txt").exists()
