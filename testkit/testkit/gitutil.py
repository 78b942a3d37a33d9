"""Running git for bisect: one helper, one error type."""
from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """A git command failed; the message is git's own stderr."""


def git(tree: Path, *args: str, check: bool = True) -> str:
    """Run `git -C tree ARGS`; its stdout without the trailing newline.

    Raises GitError with git's stderr when it fails and check is set."""
    proc = subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {proc.stderr.strip() or 'exit %d' % proc.returncode}")
    return proc.stdout.rstrip("\n")


def git_ok(tree: Path, *args: str) -> bool:
    """Whether `git -C tree ARGS` succeeds (its output is dropped)."""
    return subprocess.run(["git", "-C", str(tree), *args], capture_output=True,
                          stdin=subprocess.DEVNULL).returncode == 0


def show_file(tree: Path, rev: str, path: str) -> bytes:
    """The bytes of path as it is in rev; GitError when rev has no such file."""
    proc = subprocess.run(["git", "-C", str(tree), "show", f"{rev}:{path}"], capture_output=True,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode(errors="replace").strip())
    return proc.stdout


def resolve_commit(tree: Path, rev: str) -> str:
    """The full hash of the commit rev names in tree's repository; GitError if it names none."""
    try:
        return git(tree, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"{rev!r} is not a commit in {tree}") from None


def subject(tree: Path, commit: str) -> str:
    """The first line of commit's message."""
    return git(tree, "log", "-1", "--format=%s", commit)
