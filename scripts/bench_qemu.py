"""Boot QEMU for `make bench` and time it from the host.

Every boot goes through scripts/levitate-qemu, the one place QEMU's options
are chosen, so Levitate and the Linux peer run in the same QEMU with the
same options (-accel tcg -cpu max -m 128M -display none -serial stdio
-no-reboot ...); only --kernel, --initrd and --append differ.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pexpect

from bench_report import START_MARKER, parse_bench_line

PROMPT = r"\$ "


class BootError(RuntimeError):
    """A boot that did not give what the benchmark needs (no prompt, no BENCH
    line, a failure status); the message carries the console's tail."""


@dataclass(frozen=True)
class Machine:
    """How to boot one configuration: the wrapper script and the arguments
    that come before any '-- program'."""
    qemu: Path
    args: tuple[str, ...]

    def with_args(self, *more: str) -> "Machine":
        """The same machine with more wrapper arguments."""
        return Machine(self.qemu, self.args + more)


def _spawn(machine: Machine, program: list[str], timeout: float) -> pexpect.spawn:
    """Start QEMU on a pty (as a person's terminal would be)."""
    argv = ["--batch", *machine.args] + (["--", *program] if program else [])
    return pexpect.spawn(str(machine.qemu), argv, encoding="latin-1", timeout=timeout)


def _finish(child: pexpect.spawn, what: str) -> tuple[str, float]:
    """Wait for QEMU to end; return everything after the last match and the
    time.monotonic() of the console's end (QEMU's exit: close() itself
    sleeps).  A non-zero exit status (the guest's) is a BootError."""
    _expect(child, pexpect.EOF, what)
    ended = time.monotonic()
    child.close()
    if child.exitstatus != 0:
        raise BootError(f"{what}: exit status {child.exitstatus}, "
                        f"signal {child.signalstatus}: {child.before[-400:]!r}")
    return child.before, ended


def _expect(child: pexpect.spawn, pattern: object, what: str) -> None:
    """Wait for pattern; on timeout or EOF stop QEMU and raise a BootError."""
    try:
        child.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF) as err:
        tail = child.before[-400:] if isinstance(child.before, str) else ""
        child.terminate(force=True)
        raise BootError(f"{what}: no {pattern!r} ({type(err).__name__}): {tail!r}") from None


def time_to_prompt(machine: Machine, timeout: float = 30.0) -> float:
    """Seconds from spawning QEMU to the shell's first "$ "; then type exit
    and wait for the machine to power off."""
    t0 = time.monotonic()
    child = _spawn(machine, [], timeout)
    _expect(child, PROMPT, "boot to prompt")
    elapsed = time.monotonic() - t0
    child.delaybeforesend = 0
    child.sendline("exit")
    _finish(child, "shell exit")
    return elapsed


def time_to_exit(machine: Machine, program: list[str], timeout: float = 30.0) -> float:
    """Seconds from spawning QEMU to its exit, running program as init's
    child (with /bin/true: QEMU's floor plus Levitate's boot)."""
    t0 = time.monotonic()
    child = _spawn(machine, program, timeout)
    _, ended = _finish(child, " ".join(program))
    return ended - t0


@dataclass(frozen=True)
class BenchRun:
    """One levbench boot: seconds to levbench's first output, its figures."""
    start_s: float
    figures: dict[str, float]


def run_levbench(machine: Machine, program: list[str], timeout: float = 120.0) -> BenchRun:
    """Boot, time the "LEVBENCH start" marker, wait for the machine to end,
    and parse the BENCH line.  program is empty when levbench is the
    kernel's init (the Linux peer)."""
    t0 = time.monotonic()
    child = _spawn(machine, program, timeout)
    _expect(child, START_MARKER, "levbench start")
    start_s = time.monotonic() - t0
    out, _ = _finish(child, "levbench")
    figures = parse_bench_line(out)
    if figures is None:
        raise BootError(f"levbench: no BENCH line: {out[-400:]!r}")
    return BenchRun(start_s, figures)
