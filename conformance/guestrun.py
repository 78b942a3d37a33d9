"""Run battery scenarios in a booted guest and read back their results.

The guest's conform-run (conformance/guest/conform-run.c) prints one framed
record per scenario on the serial console ("@@CONF begin NAME", "out HEX",
"err HEX", "status exit N", "end NAME", and "done" after the last).  This
module starts a guest through a caller-given command, reads the console as
it comes, and times every scenario: one that gives no "end" within its time
is a hang, and a guest that stops in the middle of one has crashed.  Either
way that scenario is a failure (never a pass), and the battery goes on in a
fresh boot from the next scenario.  The same code drives Linux and Levitate.
"""
from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import Callable

MARK = "@@CONF "
KILL_GRACE = 5.0


@dataclass
class Outcome:
    """What one scenario did: its output, status ("exit N" / "signal N"),
    or why it has none (failure), and the seconds it took in the guest."""
    name: str
    stdout: bytes = b""
    stderr: bytes = b""
    status: str | None = None
    failure: str | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# A command that boots a guest running scenarios [first, first + count) of the list.
BootCommand = Callable[[int, int], list[str]]


class _Console:
    """Lines from a running launcher's stdout, with deadlines."""

    def __init__(self, cmd: list[str]) -> None:
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.buf = b""
        self.tail = b""          # the last bytes seen, for failure messages

    def line(self, deadline: float) -> str | None:
        """The next line (without \\r\\n), None at EOF; raises TimeoutError
        when the deadline passes first."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                if self.buf:
                    out, self.buf = self.buf, b""
                    return out.decode("latin-1").rstrip("\r")
                return None
            self.buf += chunk
            self.tail = (self.tail + chunk)[-400:]
        out, _, self.buf = self.buf.partition(b"\n")
        return out.decode("latin-1").rstrip("\r")

    def finish(self, wait: float) -> int | None:
        """Wait up to `wait` s for the launcher to end, killing its process
        group if it does not; its status (None when killed)."""
        try:
            return self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        """End the launcher and its QEMU (their own process group)."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=KILL_GRACE)
                break
            except subprocess.TimeoutExpired:
                continue
        if self.proc.stdout:
            self.proc.stdout.close()


def _apply(outcome: Outcome, words: list[str]) -> None:
    """Fold one record line (without the mark) into outcome."""
    kind, rest = words[0], words[1:]
    if kind in ("out", "err") and rest:
        data = bytes.fromhex(rest[0])
        if kind == "out":
            outcome.stdout += data
        else:
            outcome.stderr += data
    elif kind == "status" and len(rest) == 2 and rest[0] in ("exit", "signal"):
        outcome.status = f"{rest[0]} {int(rest[1])}"
    elif kind in ("outtotal", "errtotal", "error"):
        outcome.notes.append(" ".join(words))
    else:
        raise ValueError(f"unknown record {' '.join(words)!r}")


def _guest_status_text(status: int | None) -> str:
    """How the launcher ended, in words.  Its statuses are the launcher's
    (scripts/levitate-qemu says which mean a panic or a reset); the console
    tail that goes with this text carries its one-line reason."""
    if status is None:
        return "the guest did not stop and was killed"
    return f"launcher status {status}"


class _Records:
    """The records of one boot, folded into outcomes as they arrive."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.done: list[Outcome] = []
        self.current: Outcome | None = None
        self.started = 0.0

    def feed(self, words: list[str], line: str) -> bool:
        """Fold one record in; False once the runner says "done".  Raises
        ValueError for a record out of place."""
        kind = words[0]
        if kind == "done":
            return False
        if kind == "begin":
            expected = self.names[len(self.done)] if len(self.done) < len(self.names) else None
            if self.current is not None or words[1:] != [expected]:
                raise ValueError(f"record out of order: {line!r}")
            self.current, self.started = Outcome(str(expected)), time.monotonic()
        elif self.current is None:
            raise ValueError(f"record outside a scenario: {line!r}")
        elif kind == "end":
            self.current.seconds = round(time.monotonic() - self.started, 3)
            self.done.append(self.current)
            self.current = None
        else:
            _apply(self.current, words)
        return True

    def failed(self, why: str) -> list[Outcome]:
        """The outcomes so far, the scenario under way (or the next one) marked
        failed with why; just the outcomes when every scenario ended."""
        if self.current is None and len(self.done) == len(self.names):
            return self.done
        victim = self.current or Outcome(self.names[len(self.done)])
        victim.failure = why
        return self.done + [victim]


def _one_boot(cmd: list[str], names: list[str], timeout: float,
              boot_timeout: float) -> list[Outcome]:
    """Boot once for names (in list order); the outcomes of those it reached:
    all of them, or up to and including the one that failed the guest."""
    con = _Console(cmd)
    recs = _Records(names)
    deadline = time.monotonic() + boot_timeout
    try:
        while (line := con.line(deadline)) is not None:
            at = line.find(MARK)
            words = line[at + len(MARK):].split() if at >= 0 else []
            if words and not recs.feed(words, line):
                break
            if words:
                deadline = time.monotonic() + timeout
    except TimeoutError:
        con.kill()
        return recs.failed(f"hung: no result within {timeout:g} s")
    except ValueError as err:
        con.kill()
        return recs.failed(f"malformed console record ({err})")
    status = con.finish(KILL_GRACE * 2)
    return recs.failed(f"the guest stopped during this scenario: {_guest_status_text(status)}; "
                       f"console tail {con.tail.decode('latin-1')[-200:]!r}")


def run_battery(boot: BootCommand, names: list[str], first: int = 0,
                timeout: float = 30.0, boot_timeout: float = 60.0) -> list[Outcome]:
    """Run names (scenarios first .. first + len(names) - 1 of the guest's
    list) through as many boots as it takes: after a hang or crash, a fresh
    boot goes on from the next scenario.  One outcome per name, in order."""
    outcomes: list[Outcome] = []
    while len(outcomes) < len(names):
        rest = names[len(outcomes):]
        cmd = boot(first + len(outcomes), len(rest))
        got = _one_boot(cmd, rest, timeout, boot_timeout)
        outcomes.extend(got)
    return outcomes
