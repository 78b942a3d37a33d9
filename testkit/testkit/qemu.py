"""Run Levitate through scripts/levitate-qemu, the one QEMU launcher, with a timeout."""
from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from testkit import status

KILL_GRACE = 5.0     # seconds between SIGTERM and SIGKILL for a timed-out QEMU
LAUNCHER_GRACE = 15.0  # past the launcher's own --timeout before we kill it


@dataclass
class RunResult:
    """How the run ended: the launcher's mapped status, or timed_out."""
    status: int
    timed_out: bool
    command: list[str]


def launcher_command(root: Path, trace: Path, input_file: Path | None,
                     run: list[str] | None, kernel: Path | None = None,
                     initrd: Path | None = None, timeout: float | None = None) -> list[str]:
    """argv for scripts/levitate-qemu in batch mode with tracing on (and its --timeout)."""
    cmd = [str(root / "scripts" / "levitate-qemu"), "--batch", "--trace", str(trace)]
    if timeout:
        cmd += ["--timeout", f"{timeout:g}"]
    if kernel:
        cmd += ["--kernel", str(kernel)]
    if initrd:
        cmd += ["--initrd", str(initrd)]
    if input_file:
        cmd += ["--input", str(input_file)]
    if run:
        cmd += ["--", *run]
    return cmd


def run_levitate(cmd: list[str], console: Path, timeout: float) -> RunResult:
    """Run cmd with the serial console (and the launcher's stderr) into `console`.

    The status is levitate-qemu's (testkit/status.py).  The launcher stops QEMU
    itself after its --timeout; should it not end LAUNCHER_GRACE seconds later,
    its process group is killed.  Either way the result says timed_out."""
    with open(console, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout + LAUNCHER_GRACE)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return RunResult(status.TIMEOUT, True, cmd)
    said = console.read_bytes()[-4096:].decode("utf-8", "replace")
    return RunResult(code, code == status.TIMEOUT and "levitate-qemu: timed out" in said, cmd)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """End the launcher and its QEMU (its own session, so its own process group)."""
    for sig, wait in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
