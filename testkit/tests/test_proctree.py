"""The test plumbing's subprocesses (proctree.py): a command that times out
leaves nothing running, even what it started in a session of its own."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

import proctree


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pids(*files: Path) -> list[int]:
    for _ in range(200):
        if all(f.exists() and f.read_text().strip() for f in files):
            return [int(f.read_text()) for f in files]
        time.sleep(0.05)
    raise AssertionError("the command never started its sleepers")


def test_a_timeout_stops_the_whole_tree_even_other_sessions(tmp_path: Path) -> None:
    """A sleeper in the command's group (as the launcher's QEMU) and one in a session
    of its own (as bisect's git bisect run): subprocess.run(timeout=) leaves both."""
    same, other = tmp_path / "same.pid", tmp_path / "other.pid"
    script = (f"sleep 300 & echo $! > {same}; setsid sleep 300 & echo $! > {other}; wait")
    with pytest.raises(subprocess.TimeoutExpired):
        proctree.run(["bash", "-c", script], timeout=3, grace=1)
    pids = _pids(same, other)
    assert [p for p in pids if _running(p)] == [], "a sleeper outlived the timed-out command"


def test_a_command_that_ends_returns_like_subprocess_run(tmp_path: Path) -> None:
    r = proctree.run(["sh", "-c", "cat; echo err >&2; exit 3"], input="in\n", timeout=30,
                     capture_output=True, text=True)
    assert (r.returncode, r.stdout, r.stderr) == (3, "in\n", "err\n")
    with pytest.raises(subprocess.CalledProcessError):
        proctree.run(["false"], timeout=30, check=True)
