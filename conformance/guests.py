"""The two guests the battery runs in: Linux 6.1 (Debian's, the bench's
peer kernel) and Levitate, booted through scripts/levitate-qemu, the one
place QEMU's options are chosen: both get the same QEMU and options, only
--kernel, --initrd and --append differ.

Both images hold the same payload (`payload`): BusyBox as /bin/busybox and
/bin/sh (a copy: `#!/bin/sh` scripts need it, and Levitate's initramfs holds
regular files only), the in-guest runner /bin/conform-run, and the battery
under /conf.  Linux's image also has /dev/console and empty /proc, /sys,
/dev, /tmp (conform-run --linux mounts them); Levitate's is its /bin/init
plus the payload (nothing else of build/rootfs).

This module is meant for reuse (e.g. running strace on Linux): `linux_kernel`,
`busybox`, `linux_image` and `linux_command` know nothing about the battery
beyond the files they are given.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from bench_build import fetch_linux_kernel  # noqa: E402
from bench_cpio import Entry, char_device, directory, encode_archive, regular_file  # noqa: E402

LAUNCHER = REPO / "scripts" / "levitate-qemu"
# The bench's Linux options and a quiet console: kernel messages must not cut
# into the runner's records.  linux_command adds rdinit=INIT.
LINUX_APPEND = "console=ttyS0 quiet loglevel=1 panic=-1"
RUNNER = "bin/conform-run"


class GuestError(RuntimeError):
    """Something a guest needs cannot be had (kernel, BusyBox, build)."""


def linux_kernel(repo: Path = REPO) -> Path:
    """Debian's Linux kernel image, fetched once into .bench-cache/ (shared
    with `make bench`)."""
    found = fetch_linux_kernel(repo / ".bench-cache")
    if isinstance(found, str):
        raise GuestError(found)
    return found


def busybox(repo: Path = REPO) -> Path:
    """Debian's static BusyBox, fetched once by scripts/fetch-deb."""
    out = subprocess.run([str(repo / "scripts" / "fetch-deb"), "busybox-static"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise GuestError(out.stderr.strip() or "scripts/fetch-deb busybox-static failed")
    return Path(out.stdout.strip()) / "bin" / "busybox"


@dataclass(frozen=True)
class File:
    """A regular file for a guest image: its path inside (no leading /),
    its bytes and permission bits."""
    path: str
    data: bytes
    perm: int = 0o644


def payload(runner: Path, scenario_dir: Path, names: list[str], box: Path) -> list[File]:
    """The files both guests hold: BusyBox, the runner, /conf/NAME.sh for
    each name, /conf/list (the names in order) and /conf/data/*."""
    boxdata = box.read_bytes()
    files = [File("bin/busybox", boxdata, 0o755), File("bin/sh", boxdata, 0o755),
             File(RUNNER, runner.read_bytes(), 0o755),
             File("conf/list", "".join(n + "\n" for n in names).encode())]
    files += [File(f"conf/{n}.sh", (scenario_dir / f"{n}.sh").read_bytes()) for n in names]
    data = scenario_dir / "data"
    if data.is_dir():
        files += [File(f"conf/data/{p.name}", p.read_bytes()) for p in sorted(data.iterdir())]
    return files


def _dirs_of(files: list[File]) -> list[str]:
    """Every parent directory of the files' paths, parents first."""
    dirs: set[str] = set()
    for f in files:
        parts = f.path.split("/")[:-1]
        dirs.update("/".join(parts[:i + 1]) for i in range(len(parts)))
    return sorted(dirs, key=lambda d: (d.count("/"), d))


def linux_image(files: list[File], out: Path) -> Path:
    """A Linux initramfs at out: the files, their directories, /dev/console
    and empty /proc /sys /dev /tmp."""
    entries: list[Entry] = [directory(d) for d in _dirs_of(files)]
    entries += [directory(d) for d in ("proc", "sys", "dev", "tmp") if d not in
                {e.name for e in entries}]
    entries.append(char_device("dev/console", 5, 1))
    entries += [regular_file(f.path, f.data, f.perm) for f in files]
    out.write_bytes(encode_archive(entries))
    return out


def linux_command(kernel: Path, initrd: Path, init_args: list[str],
                  init: str = "/" + RUNNER) -> list[str]:
    """levitate-qemu's argv to boot Linux with initrd, init as its first
    program (rdinit=), passing it init_args (the words after -- on Linux's
    command line).  init must power the machine off (reboot(RB_POWER_OFF))
    rather than exit: Linux panics when pid 1 ends."""
    return [str(LAUNCHER), "--batch", "--kernel", str(kernel), "--initrd", str(initrd),
            "--append", f"{LINUX_APPEND} rdinit={init}", "--", *init_args]


def levitate_image(files: list[File], work: Path, repo: Path = REPO) -> Path:
    """Levitate's /bin/init (from repo's build/rootfs) plus the files, archived
    as the Makefile archives an initramfs (sorted names, cpio newc,
    reproducible), at work/levitate.cpio.  Nothing else of build/rootfs: its
    /bin/cat, /bin/echo... are Levitate's own programs, which Linux's image
    does not have, and a shell falling back to PATH would run them."""
    init = repo / "build" / "rootfs" / "bin" / "init"
    if not init.is_file():
        raise GuestError(f"no {init}: run `make all` first")
    root = work / "levitate-root"
    if root.exists():
        shutil.rmtree(root)
    for f in [File("bin/init", init.read_bytes(), 0o755), *files]:
        dest = root / f.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(f.data)
        dest.chmod(f.perm)
    names = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    out = work / "levitate.cpio"
    with out.open("wb") as archive:
        subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "--reproducible"], cwd=root,
                       input=("\n".join(names) + "\n").encode(), stdout=archive, check=True,
                       env={**os.environ, "LC_ALL": "C"})
    return out


def levitate_command(initrd: Path, program: list[str], repo: Path = REPO) -> list[str]:
    """levitate-qemu's argv to boot the built Levitate kernel with initrd,
    running program as init's child."""
    kernel = repo / "build" / "kernel.bin"
    if not kernel.is_file():
        raise GuestError("no build/kernel.bin: run `make all` first")
    return [str(LAUNCHER), "--batch", "--kernel", str(kernel), "--initrd", str(initrd),
            "--", *program]

