"""Is the build that record and replay boot up to date with its sources?

A replay of an old build says nothing about the sources in the tree, so the
testkit refuses to judge a stale one: `make -q` (which builds nothing) answers,
and its debug output names the sources that are newer than what was built.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

IMAGES = ("build/kernel.bin", "build/initramfs.cpio")
NEWER = re.compile(r"Prerequisite '([^']+)' is newer than target '([^']+)'")
MISSING = re.compile(r"File '([^']+)' does not exist")


def stale_build(root: Path) -> str | None:
    """None if root's kernel and initramfs are up to date (or root has no Makefile,
    or make is missing); otherwise one line naming what is out of date."""
    if not (root / "Makefile").exists():
        return None
    try:
        q = subprocess.run(["make", "-q", "-d", "-C", str(root), *IMAGES], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, errors="replace", timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if q.returncode == 0:
        return None
    sources = list(dict.fromkeys(m.group(1) for m in NEWER.finditer(q.stdout)
                                 if not m.group(1).startswith("build/")))
    missing = list(dict.fromkeys(m.group(1) for m in MISSING.finditer(q.stdout)
                                 if (m.group(1) in IMAGES or m.group(1).startswith("build/"))
                                 and not _only_looks_missing(root, m.group(1))))
    if not sources and not missing and "Must remake target 'build/" not in _outside_links(root, q.stdout):
        return None
    if sources:
        why = "changed since the last build: " + ", ".join(sources[:5]) + (" ..." if len(sources) > 5 else "")
    elif missing:
        why = "not built: " + ", ".join(missing[:3])
    else:
        why = "make -q says it is out of date"
    return f"the build is out of date ({why}); run make first"


def _only_looks_missing(root: Path, name: str) -> bool:
    """A guest symlink whose target is a guest path (build/rootfs/x -> /etc/y) is
    built, though make, following it on the host, finds nothing; a dependency
    makefile (*.d) of a build not made (make coverage) is not part of the images."""
    return (root / name).is_symlink() or name.endswith(".d")


def _outside_links(root: Path, debug: str) -> str:
    """make's debug output without its lines about such files."""
    return "\n".join(line for line in debug.split("\n")
                     if not any(_only_looks_missing(root, n) for n in re.findall(r"'([^']+)'", line)))
