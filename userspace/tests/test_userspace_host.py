"""Host tests for Levitate's userspace: the static musl programs run on Linux.

What does not need Levitate's own calls (spawn, spawn_args) is checked
here: levbox's plain applets, the shell's parsing and builtins, the portable
part of suite_test_core (differential: the same tests must pass on Linux),
and the layout of build/rootfs.  Run: make -f userspace/userspace.mk
userspace-test (or /usr/bin/python3 -m pytest userspace/tests).
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HELLO = "Hello from Levitate!\nThis file lives in the initramfs.\n"


@pytest.fixture(scope="session")
def rootfs() -> Path:
    """Build the rootfs tree (incrementally) and return its path."""
    subprocess.run(["make", "-s", "-f", "userspace/userspace.mk", "rootfs"],
                   cwd=REPO, check=True)
    return REPO / "build" / "rootfs"


def run(prog: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run prog natively with args and stdin; capture text output."""
    return subprocess.run([str(prog), *args], input=stdin, capture_output=True,
                          text=True, timeout=20)


def makefile_list(name: str) -> list[str]:
    """A NAME := word list of userspace/userspace.mk."""
    text = (REPO / "userspace" / "userspace.mk").read_text()
    match = re.search(rf"^{name} := ((?:.*\\\n)*.*)$", text, re.M)
    assert match, f"{name} not found"
    return match.group(1).replace("\\\n", " ").split()


def makefile_applets() -> list[str]:
    """The applets userspace.mk installs in /bin."""
    return makefile_list("US_APPLETS")


def test_applet_table_matches_makefile(rootfs: Path) -> None:
    out = run(rootfs / "bin" / "levbox").stdout.splitlines()
    assert sorted(out[1:]) == sorted(makefile_applets() + makefile_list("US_USR_APPLETS"))


def test_applet_copies_are_levbox(rootfs: Path) -> None:
    levbox = (rootfs / "bin" / "levbox").read_bytes()
    for name in makefile_applets():
        copy = rootfs / "bin" / name
        assert not copy.is_symlink()
        assert copy.read_bytes() == levbox, name


def test_rootfs_static_files(rootfs: Path) -> None:
    assert (rootfs / "etc" / "hello.txt").read_text() == HELLO
    assert (rootfs / "etc" / "motd").read_text().strip()
    assert not (rootfs / "bin" / "badelf").read_bytes().startswith(b"\x7fELF")
    trunc = (rootfs / "bin" / "truncelf").read_bytes()
    assert len(trunc) == 100 and trunc.startswith(b"\x7fELF")


def test_echo(rootfs: Path) -> None:
    echo = rootfs / "bin" / "echo"
    assert run(echo, "a", "b  c").stdout == "a b  c\n"
    assert run(echo, "-n", "x").stdout == "x"
    assert run(echo).stdout == "\n"
    assert run(rootfs / "bin" / "levbox", "echo", "via", "levbox").stdout == "via levbox\n"


def test_cat(rootfs: Path) -> None:
    cat = rootfs / "bin" / "cat"
    hello = str(rootfs / "etc" / "hello.txt")
    assert run(cat, hello, hello).stdout == HELLO * 2
    assert run(cat, stdin="from stdin\n").stdout == "from stdin\n"
    missing = run(cat, "/no/such/file", hello)
    assert missing.returncode == 1
    assert missing.stdout == HELLO
    assert "cat: /no/such/file: No such file or directory" in missing.stderr


def test_ls(rootfs: Path, tmp_path: Path) -> None:
    for name in ["b", "a", "c", ".hidden"]:
        (tmp_path / name).write_text("")
    ls = rootfs / "bin" / "ls"
    assert run(ls, str(tmp_path)).stdout == "a\nb\nc\n"
    assert run(ls, str(tmp_path / "a")).stdout == f"{tmp_path / 'a'}\n"
    both = run(ls, str(tmp_path), "/no/such")
    assert both.stdout == f"{tmp_path}:\na\nb\nc\n"
    assert both.returncode == 1
    assert "bin\n" in run(ls).stdout


@pytest.mark.parametrize("args,code", [
    (["true"], 0), (["false"], 1), (["status", "42"], 42), (["status", "0"], 0),
    (["status", "x"], 2), (["status"], 2), (["segv"], -11),
    (["argcheck", "3", "a1", "a2", "a3"], 0), (["argcheck", "3", "a1", "a2", "a4"], 1),
    (["argcheck", "3", "a1"], 1), (["fdcheck", "0", "open"], 0),
    (["fdcheck", "50", "open"], 1), (["fdcheck", "50", "closed"], 0),
    (["nosuch"], 127),
])
def test_exit_codes(rootfs: Path, args: list[str], code: int) -> None:
    assert run(rootfs / "bin" / "levbox", *args).returncode == code


def test_pids_checks_its_ids_silently(rootfs: Path) -> None:
    result = run(rootfs / "bin" / "pids")
    assert result.returncode == 0 and result.stdout == ""


def portable_tests() -> list[str]:
    """Names of suite_test_core tests that must pass on Linux too."""
    suite = REPO / "build" / "rootfs" / "bin" / "suite_test_core"
    if not suite.exists():
        subprocess.run(["make", "-s", "-f", "userspace/userspace.mk", "rootfs"],
                       cwd=REPO, check=True)
    return run(suite, "--list-portable").stdout.split()


def test_suite_lists(rootfs: Path) -> None:
    suite = rootfs / "bin" / "suite_test_core"
    every = run(suite, "--list").stdout.split()
    portable = run(suite, "--list-portable").stdout.split()
    assert len(every) == len(set(every)) >= 30
    assert set(portable) < set(every)
    assert run(suite, "no_such_test").returncode == 2


@pytest.mark.parametrize("name", portable_tests())
def test_suite_portable_passes_on_linux(rootfs: Path, name: str) -> None:
    result = run(rootfs / "bin" / "suite_test_core", name)
    assert result.returncode == 0, result.stdout + result.stderr


def portable_linux_tests() -> list[str]:
    """Names of suite_test_linux tests that must pass on Linux too."""
    portable_tests()    # builds the rootfs when needed
    return run(REPO / "build" / "rootfs" / "usr" / "bin" / "suite_test_linux",
               "--list-portable").stdout.split()


@pytest.mark.parametrize("name", portable_linux_tests())
def test_linux_suite_portable_passes_on_linux(rootfs: Path, name: str) -> None:
    result = run(rootfs / "usr" / "bin" / "suite_test_linux", name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_suite_failure_is_reported(rootfs: Path) -> None:
    # Natively, /bin/status is not there (no chroot): the test must fail and say where and why.
    result = run(rootfs / "bin" / "suite_test_core", "spawn_exit_status")
    assert result.returncode == 1
    assert re.search(r"test_spawn_exit_status line \d+: pid = -2 ", result.stdout)


def shell(rootfs: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run the shell natively with script as its input."""
    return run(rootfs / "bin" / "shell", stdin=script)


def test_shell_exit_and_prompt(rootfs: Path) -> None:
    result = shell(rootfs, "\n   \nexit 3\n")
    assert result.returncode == 3
    assert result.stdout == "$ $ $ "


def test_shell_end_of_input_keeps_status(rootfs: Path) -> None:
    assert shell(rootfs, "").returncode == 0
    assert shell(rootfs, "exit 300").returncode == 300 & 0xFF
    # Natively there is no /bin/anything: "command not found", status 127.
    result = shell(rootfs, "anything\n")
    assert result.returncode == 127
    assert "shell: anything: command not found" in result.stderr


def test_shell_words_quotes_and_status(rootfs: Path) -> None:
    assert shell(rootfs, 'exit "7"\n').returncode == 7
    assert shell(rootfs, "nothing\nexit $?\n").returncode == 127
    result = shell(rootfs, 'x"$?"y "a b"\n')
    assert "shell: x0y: " in result.stderr
    bad = shell(rootfs, 'exit "4 2"\n')
    assert bad.returncode == 2 and "exit: 4 2: number expected" in bad.stderr
    assert "unterminated quote" in shell(rootfs, 'exit "3\n').stderr
    many = shell(rootfs, "x " * 200 + "\n")
    assert many.returncode == 2 and "too many words" in many.stderr


def test_shell_help(rootfs: Path) -> None:
    out = shell(rootfs, "help\n").stdout
    assert "exit [N]" in out and "help" in out and "programs in /bin:" in out
