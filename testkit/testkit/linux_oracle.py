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
from testkit.linux_boot import (LINUX_APPEND, LinuxBootError, ScenarioOutput, initramfs, kernel_name,
                                linux_kernel, run_linux)
from testkit.record import Scenario, git_commit, meta_line
from testkit.strace_convert import Conversion, convert, strace_options
from testkit.strace_parse import StraceError

DEFAULT_TIMEOUT = 300.0     # Linux boots in ~10 s under TCG; strace slows big outputs down


@dataclass
class LinuxRecording:
    trace: Path
    console: Path
    strace: Path
    status: int              # the guest's status code for this scenario, as Levitate's would be
    conversion: Conversion


def record_linux(root: Path, sc: Scenario, out_dir: Path, abi: Abi,
                 timeout: float = DEFAULT_TIMEOUT, rootfs: Path | None = None,
                 strace_args: list[str] | None = None) -> LinuxRecording:
    """Record sc on Linux: out_dir/NAME.jsonl, .console, .strace (one boot)."""
    return record_linux_many(root, [sc], out_dir, abi, timeout, rootfs, strace_args)[0]


def record_linux_many(root: Path, scs: list[Scenario], out_dir: Path, abi: Abi,
                      timeout: float = DEFAULT_TIMEOUT, rootfs: Path | None = None,
                      strace_args: list[str] | None = None) -> list[LinuxRecording]:
    """Record every scenario in one Linux boot (they share its RAM filesystem:
    a file one writes, the next sees).  rootfs is the initramfs tree (default
    build/initramfs-root, what `make` archived for Levitate).  LinuxBootError
    when Linux or strace cannot be had, or a scenario's output never came."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tree = rootfs or root / "build" / "initramfs-root"
    if not (tree / "bin" / "init").exists():
        raise LinuxBootError(f"{tree}/bin/init is missing: run `make all` first")
    vmlinuz = linux_kernel(root)
    with tempfile.TemporaryDirectory(prefix="levitate-linux-") as tmp:
        cpio = initramfs(root, tree, strace_args or strace_options(abi), [sc.run for sc in scs],
                         Path(tmp) / "linux.cpio")
        run = run_linux(root, vmlinuz, cpio, [sc.input for sc in scs], timeout * len(scs))
    if len(run.scenarios) < len(scs):
        dump = out_dir / f"{scs[len(run.scenarios)].name}.console"
        dump.write_bytes(run.console)
        why = "timed out" if run.timed_out else f"status {run.status}"
        raise LinuxBootError(f"no strace output from Linux for {len(scs) - len(run.scenarios)} "
                             f"scenario(s) ({why}); console in {dump}")
    return [_write(root, sc, out, out_dir, abi, kernel_name(vmlinuz))
            for sc, out in zip(scs, run.scenarios)]


def _write(root: Path, sc: Scenario, out: ScenarioOutput, out_dir: Path, abi: Abi,
           kernel: str) -> LinuxRecording:
    """Convert one scenario's strace output and write its three files."""
    paths = [out_dir / f"{sc.name}.{ext}" for ext in ("jsonl", "console", "strace")]
    paths[1].write_bytes(out.console)
    paths[2].write_text(out.strace, encoding="latin-1")
    conv = convert(out.strace, abi, kernel, LINUX_APPEND)
    meta = json.dumps(meta_line(sc, git_commit(root)), ensure_ascii=False)
    paths[0].write_text(meta + "\n" + conv.jsonl(), encoding="utf-8")
    return LinuxRecording(paths[0], paths[1], paths[2], status_code(out.status), conv)


def status_code(wstatus: int) -> int:
    """What the launcher reports for init's wait status (scripts/levitate-qemu): the
    exit code 0-255, 128+N for a death by signal N; 126 when strace did not run."""
    if wstatus < 0:
        return 126
    if wstatus & 0x7F:
        return 128 + (wstatus & 0x7F)
    return (wstatus >> 8) & 0xFF


def cmd_record_linux(root: Path, sc: Scenario, out_dir: Path, abi: Abi, timeout: float) -> int:
    """`testkit record --on linux`: print where the recording went; the guest's status."""
    try:
        rec = record_linux(root, sc, out_dir, abi, timeout)
    except (LinuxBootError, StraceError) as e:
        print(f"testkit: {e}", file=sys.stderr)
        return 2
    print(f"{rec.trace} (console: {rec.console}, strace: {rec.strace}), guest status {rec.status}")
    return rec.status
