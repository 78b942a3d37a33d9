"""`testkit record --on linux`: a scenario recorded on Linux 6.1 under strace.

The same scenario as a Levitate recording (program or console input, the
same initramfs tree plus strace for Linux), booted in the same QEMU by
linux_boot.py, and strace's output converted by strace_convert.py into
traces/NAME.jsonl with the usual meta line.  Beside it: NAME.console (what
the program printed) and NAME.strace (strace's own text, for reading).
"""
from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from testkit.abi import Abi
from testkit.linux_boot import (LINUX_APPEND, LinuxBootError, initramfs, kernel_name, linux_kernel,
                                program_console, run_linux)
from testkit.record import Scenario, git_commit, meta_line
from testkit.strace_convert import Conversion, convert, strace_options

DEFAULT_TIMEOUT = 300.0     # Linux boots in ~10 s under TCG; strace slows big outputs down


@dataclass
class LinuxRecording:
    trace: Path
    console: Path
    strace: Path
    status: int
    timed_out: bool
    conversion: Conversion | None


def record_linux(root: Path, sc: Scenario, out_dir: Path, abi: Abi,
                 timeout: float = DEFAULT_TIMEOUT, rootfs: Path | None = None,
                 strace_args: list[str] | None = None) -> LinuxRecording:
    """Record sc on Linux: out_dir/NAME.jsonl, .console, .strace.  rootfs is the
    initramfs tree (default build/initramfs-root, what `make` archived for Levitate).
    LinuxBootError when Linux or strace cannot be had or strace's output never came."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tree = rootfs or root / "build" / "initramfs-root"
    if not (tree / "bin" / "init").exists():
        raise LinuxBootError(f"{tree}/bin/init is missing: run `make all` first")
    vmlinuz = linux_kernel(root)
    paths = [out_dir / f"{sc.name}.{ext}" for ext in ("jsonl", "console", "strace")]
    with tempfile.TemporaryDirectory(prefix="levitate-linux-") as tmp:
        cpio = initramfs(root, tree, strace_args or strace_options(abi), Path(tmp) / "linux.cpio")
        run = run_linux(root, vmlinuz, cpio, sc.run, sc.input, timeout)
    paths[1].write_bytes(program_console(run.console))
    if run.strace is None:
        paths[1].write_bytes(run.console)
        why = "timed out" if run.timed_out else f"status {run.status}"
        raise LinuxBootError(f"no strace output from Linux ({why}); console in {paths[1]}")
    paths[2].write_text(run.strace, encoding="latin-1")
    cmdline = LINUX_APPEND + (" -- " + " ".join(sc.run) if sc.run else "")
    conv = convert(run.strace, abi, kernel_name(vmlinuz), cmdline)
    meta = json.dumps(meta_line(sc, git_commit(root)), ensure_ascii=False)
    paths[0].write_text(meta + "\n" + conv.jsonl(), encoding="utf-8")
    return LinuxRecording(paths[0], paths[1], paths[2], run.status, run.timed_out, conv)


def cmd_record_linux(root: Path, sc: Scenario, out_dir: Path, abi: Abi, timeout: float) -> int:
    """`testkit record --on linux`: print where the recording went; the guest's status."""
    try:
        rec = record_linux(root, sc, out_dir, abi, timeout)
    except LinuxBootError as e:
        print(f"testkit: {e}", file=sys.stderr)
        return 2
    conv = rec.conversion
    assert conv is not None
    note = f", {len(conv.signals)} signals not recorded (format 2 has no signal record)" if conv.signals else ""
    print(f"{rec.trace} (console: {rec.console}, strace: {rec.strace}), guest status {rec.status}{note}")
    return rec.status
