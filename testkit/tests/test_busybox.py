"""Debian's BusyBox on Levitate: its ash as an interactive shell, driven like a
person at the keyboard (pexpect), and a glibc program built by gcc -static.

BusyBox is fetched from Debian (scripts/fetch-deb busybox-static) when the
test runs, never committed; the initramfs is the project's plus BusyBox, made
in a temporary folder by scripts/busybox-root, as `make run BUSYBOX=1` does.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from conftest import REPO_ROOT
from test_shell import run as run_line

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")
PROMPT = "/ # "


def make_initramfs(tree: Path, out: Path) -> Path:
    """The cpio (newc) archive of tree, as the Makefile makes build/initramfs.cpio."""
    names = sorted(str(p.relative_to(tree)) for p in tree.rglob("*"))
    subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "--reproducible"], cwd=tree, check=True,
                   input="\n".join(names) + "\n", text=True, stdout=out.open("w"))
    return out


def base_tree(tmp: Path) -> Path:
    """A copy of the initramfs tree `make` built."""
    built = REPO_ROOT / "build" / "initramfs-root"
    if not (REPO_ROOT / "build" / "kernel.bin").exists() or not built.is_dir():
        pytest.fail("build/kernel.bin or build/initramfs-root is missing: run make first")
    tree = tmp / "root"
    shutil.copytree(built, tree, symlinks=True)
    return tree


@pytest.fixture(scope="module")
def busybox_initrd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("busybox")
    tree = base_tree(tmp)
    subprocess.run([str(REPO_ROOT / "scripts" / "busybox-root"), str(tree)], check=True)
    return make_initramfs(tree, tmp / "initramfs.cpio")


def boot(initrd: Path, *program: str) -> pexpect.spawn:
    child = pexpect.spawn(QEMU, ["--batch", "--initrd", str(initrd), "--", *program],
                          encoding="latin-1", timeout=60)
    child.delaybeforesend = 0.02
    return child


@pytest.fixture(scope="module")
def ash(busybox_initrd: Path) -> Iterator[pexpect.spawn]:
    child = boot(busybox_initrd, "/bin/busybox", "sh")
    child.expect_exact(PROMPT)
    yield child
    child.terminate(force=True)


def run(ash: pexpect.spawn, line: str) -> str:
    """Type line, wait for ash's prompt; what was printed after the echoed line."""
    return run_line(ash, line, re.escape(PROMPT))


@pytest.mark.qemu
def test_ash_runs_a_command(ash: pexpect.spawn) -> None:
    assert run(ash, "echo hello from ash") == "hello from ash\n"


@pytest.mark.qemu
def test_ash_pipeline(ash: pexpect.spawn) -> None:
    assert run(ash, "printf 'b\\na\\nc\\n' | sort") == "a\nb\nc\n"


@pytest.mark.qemu
def test_ash_command_substitution(ash: pexpect.spawn) -> None:
    assert run(ash, 'a=$(echo x; echo y); echo "[$a]"') == "[x\ny]\n"


@pytest.mark.qemu
def test_ash_line_editing(ash: pexpect.spawn) -> None:
    # ash edits the line itself, in raw mode: the up arrow brings back the
    # last line (a canonical-mode terminal would hand ash the escape bytes).
    assert run(ash, "echo recalled") == "recalled\n"
    ash.send("\x1b[A")
    ash.expect_exact("echo recalled")
    ash.send("\r")
    ash.expect_exact(PROMPT)
    assert ash.before.replace("\r", "").endswith("\nrecalled\n")


@pytest.mark.qemu
def test_ash_exit_status_powers_off(busybox_initrd: Path) -> None:
    child = boot(busybox_initrd, "/bin/busybox", "sh")
    child.expect_exact(PROMPT)
    child.sendline("exit 7")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 7


@pytest.mark.qemu
def test_glibc_static_hello(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.fail("gcc is missing (scripts/setup.sh installs it)")
    src = tmp_path / "hello.c"
    src.write_text('#include <stdio.h>\n#include <unistd.h>\n'
                   'int main(int argc, char **argv) {\n'
                   '    printf("hello from glibc, argc=%d, uid=%d\\n", argc, (int)getuid());\n'
                   '    return 3;\n}\n')
    tree = base_tree(tmp_path)
    subprocess.run([gcc, "-static", "-O2", "-o", str(tree / "bin" / "glibc_hello"), str(src)], check=True)
    initrd = make_initramfs(tree, tmp_path / "initramfs.cpio")
    result = subprocess.run([QEMU, "--batch", "--initrd", str(initrd), "--", "/bin/glibc_hello", "x"],
                            capture_output=True, text=True, timeout=60)
    assert "hello from glibc, argc=2, uid=0\n" in result.stdout.replace("\r", ""), result.stdout
    assert result.returncode == 3
