"""Exit statuses of scripts/levitate-qemu, the one QEMU launcher (README.md,
"Exit statuses").  0-255 are the program's own (128+N: killed by signal N);
the launcher's own verdicts collide with program statuses by necessity (a
status is 8 bits), so each comes with one "levitate-qemu: ..." line on stderr.
"""
from __future__ import annotations

USAGE = 2          # bad launcher command line
TIMEOUT = 251      # --timeout expired; QEMU stopped
PANIC = 252        # kernel panic
RESET = 253        # the guest reset the machine (a triple fault)
QEMU_FAILED = 254  # QEMU could not start, or ended without the guest powering off

LAUNCHER_STATUSES = {USAGE: "bad command line", TIMEOUT: "timed out", PANIC: "kernel panic",
                     RESET: "guest reset (triple fault)",
                     QEMU_FAILED: "QEMU failed or ended without the guest powering off"}


def describe(status: int, stderr: str = "") -> str:
    """The status in words; the launcher's own line (from stderr) decides what a
    colliding number means."""
    for line in stderr.splitlines():
        if line.startswith("levitate-qemu: "):
            return f"status {status}: {line[len('levitate-qemu: '):]}"
    if status > 128:
        return f"status {status}: killed by signal {status - 128}, or exit code {status}"
    return f"exit code {status}"
