"""Subprocesses that end whole: a command that times out takes every process it
started with it, not only its first one.

subprocess.run(timeout=...) kills only the process it started.  The launcher's
QEMU, a bisect's `git bisect run`, its step, make and the step's own QEMU
live on, some in sessions of their own (the bisect and the launcher start
them so, to stop them as a group), and the test that timed out leaves them
running for minutes.  run() starts the command in a new session and, on a
timeout or an interruption, stops its whole process tree (stop_tree).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

GRACE = 15.0    # seconds the tree gets to end on SIGTERM (a bisect cleans up) before SIGKILL


def _proc_table() -> dict[int, tuple[int, str]]:
    """Every process now: pid -> (parent pid, start time), from /proc."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()     # after "(comm)": state, ppid, ...
        table[int(entry.name)] = (int(fields[1]), fields[19])
    return table


def tree(root: int) -> dict[int, str]:
    """root and its descendants now, whatever their group or session: pid -> start time."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in found:
            found[pid] = table[pid][1]
            todo += children.get(pid, [])
    return found


def _alive(pids: dict[int, str]) -> dict[int, str]:
    """Those of pids still running as the same process (not a zombie, pid not reused)."""
    table = _proc_table()
    return {pid: start for pid, start in pids.items()
            if table.get(pid, (0, ""))[1] == start and _state(pid) not in ("", "Z", "X")}


def _signal(pids: dict[int, str], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _state(pid: int) -> str:
    """The process's state letter (R, S, D, T, Z...), "" when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def _wait_stopped(pids: dict[int, str], limit: float = 2.0) -> None:
    """Wait (at most `limit` seconds) until every one of pids has stopped or ended: kill()
    only queues SIGSTOP, and a process in the middle of fork() finishes it first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all(_state(pid) in ("", "T", "t", "Z", "X") for pid in pids):
            return
        time.sleep(0.01)


def frozen_tree(root: int) -> dict[int, str]:
    """root's tree, stopped (SIGSTOP) until no new process appears in it: a stopped
    process cannot fork, nor leave the tree by ending and orphaning its children."""
    seen: dict[int, str] = {}
    while True:
        new = {pid: start for pid, start in tree(root).items() if pid not in seen}
        if not new:
            return seen
        _signal(new, signal.SIGSTOP)
        _wait_stopped(new)
        seen.update(new)


def stop_tree(proc: subprocess.Popen[Any], grace: float = GRACE) -> None:
    """End proc (started with start_new_session=True) and every process under it.

    The tree is frozen and noted first (a process whose parent ends is no longer
    found under proc); then SIGTERM to proc's group, so that what cleans up on it
    does (bisect removes its worktree and stops its steps' groups), and the tree
    goes on; what it starts meanwhile is noted too.  After `grace` seconds, SIGKILL
    to whatever of it is left."""
    seen = frozen_tree(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    _signal(seen, signal.SIGCONT)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        seen.update(tree(proc.pid))
        if proc.poll() is not None and not _alive(seen):
            return
        time.sleep(0.05)
    seen.update(tree(proc.pid))
    _signal(_alive(seen), signal.SIGSTOP)       # none of it forks or leaves meanwhile
    seen.update(tree(proc.pid))
    _signal(_alive(seen), signal.SIGKILL)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    for _ in range(500):        # kill() only queues SIGKILL: return once it has acted
        if not _alive(seen):
            return
        time.sleep(0.01)


def run(cmd: list[str] | str, *, timeout: float, capture_output: bool = False,
        input: str | bytes | None = None, check: bool = False, grace: float = GRACE,
        **popen: Any) -> subprocess.CompletedProcess[Any]:
    """subprocess.run in a new session; on a timeout (TimeoutExpired is raised as by
    subprocess.run) or an interruption its whole process tree is stopped first."""
    if capture_output:
        popen.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if input is not None:
        popen["stdin"] = subprocess.PIPE
    with subprocess.Popen(cmd, start_new_session=True, **popen) as proc:
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except BaseException:
            stop_tree(proc, grace)
            raise
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if check:
        result.check_returncode()
    return result
