"""Everything `make bench` builds or fetches: levbench, the two initramfs
images, the Linux peer's kernel, and the clean-build timing.

Nothing here touches the user's tree beyond build/bench/ and .bench-cache/:
the Levitate bench image is cut from a copy of build/rootfs/ (build/
initramfs.cpio stays as `make` left it), and the build timing runs in a
temporary git worktree that is removed afterwards.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench_cpio import encode_archive, linux_peer_entries

MUSL_CFLAGS = ["-static", "-O2", "-std=gnu11", "-Wall", "-Wextra", "-Werror"]
LINUX_META_PACKAGE = "linux-image-amd64"


def build_levbench(repo: Path, out_dir: Path) -> tuple[Path, Path]:
    """Compile levbench and levbench-big with musl-gcc into out_dir/bin/;
    returns their paths.  Raises CalledProcessError on a compile error."""
    bin_dir = out_dir / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    outs = []
    for name in ("levbench", "levbench-big"):
        src = repo / "userspace" / "bench" / f"{name}.c"
        out = bin_dir / name
        subprocess.run(["musl-gcc", *MUSL_CFLAGS, "-o", str(out), str(src)], check=True)
        outs.append(out)
    return outs[0], outs[1]


def levitate_initramfs(repo: Path, extra: Path, work: Path) -> Path:
    """build/rootfs/ plus extra's files, archived as `make initramfs EXTRA=`
    does (sorted names, cpio newc, reproducible), into work/levitate.cpio."""
    root = work / "levitate-root"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(repo / "build" / "rootfs", root, symlinks=True)
    shutil.copytree(extra, root, symlinks=True, dirs_exist_ok=True)
    names = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    out = work / "levitate.cpio"
    with out.open("wb") as f:
        subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "--reproducible"],
                       cwd=root, input=("\n".join(names) + "\n").encode(),
                       stdout=f, check=True, env={**os.environ, "LC_ALL": "C"})
    return out


def linux_initramfs(levbench: Path, levbench_big: Path, work: Path) -> Path:
    """The Linux peer's initramfs (levbench as /init, /dev/console) at
    work/linux.cpio."""
    out = work / "linux.cpio"
    out.write_bytes(encode_archive(linux_peer_entries(levbench, levbench_big)))
    return out


def _cached_vmlinuz(cache: Path) -> Path | None:
    """The newest vmlinuz already extracted into cache/boot/, if any."""
    found = sorted((cache / "boot").glob("vmlinuz-*"))
    return found[-1] if found else None


def _linux_image_package() -> str:
    """The versioned package linux-image-amd64 depends on (e.g.
    linux-image-6.1.0-56-amd64), from apt-cache."""
    out = subprocess.run(["apt-cache", "depends", LINUX_META_PACKAGE], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        dep = line.strip().removeprefix("Depends:").strip()
        if line.strip().startswith("Depends:") and dep.startswith("linux-image-"):
            return dep
    raise RuntimeError(f"apt-cache shows no linux-image dependency of {LINUX_META_PACKAGE}")


def fetch_linux_kernel(cache: Path) -> Path | str:
    """The Linux peer's vmlinuz: from cache/boot/ if already there, else
    `apt-get download` the kernel package into cache and pull only
    ./boot/vmlinuz-* out of it (dpkg-deb --fsys-tarfile | tar; the modules
    are not needed), deleting the .deb.  Returns the path, or a reason
    string when it cannot be had."""
    found = _cached_vmlinuz(cache)
    if found:
        return found
    try:
        cache.mkdir(parents=True, exist_ok=True)
        package = _linux_image_package()
        subprocess.run(["apt-get", "download", "-q", package], cwd=cache, check=True,
                       capture_output=True, text=True)
        debs = sorted(cache.glob(f"{package}_*.deb"))
        if not debs:
            return f"apt-get download {package} left no .deb"
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(debs[-1])],
                               stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "--wildcards", "./boot/vmlinuz-*"], cwd=cache,
                       stdin=tar.stdout, check=True)
        tar.wait()
        for deb in debs:
            deb.unlink()
    except (OSError, subprocess.CalledProcessError, RuntimeError) as err:
        detail = getattr(err, "stderr", None) or str(err)
        return f"cannot fetch the Debian kernel: {str(detail).strip()[-200:]}"
    return _cached_vmlinuz(cache) or "the kernel package held no boot/vmlinuz-*"


def clean_build_seconds(repo: Path, jobs: int) -> tuple[float, float] | str:
    """Wall seconds and CPU seconds (user + system of every process the build
    ran) for `make -jJOBS all` (kernel + userspace + initramfs) in a fresh
    detached worktree of HEAD, removed afterwards; a reason string when the
    build fails.  Uncommitted changes are not in HEAD's tree.  The CPU time
    hardly moves with host load, the wall time does."""
    with tempfile.TemporaryDirectory(prefix="levitate-build-") as tmp:
        tree = Path(tmp) / "src"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), "HEAD"],
                       cwd=repo, check=True, capture_output=True)
        try:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            made = subprocess.run(["make", f"-j{jobs}", "all"], cwd=tree,
                                  capture_output=True, text=True)
            elapsed = time.monotonic() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)],
                           cwd=repo, check=False, capture_output=True)
    if made.returncode != 0:
        return f"clean build failed: {made.stderr.strip()[-200:]}"
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu
