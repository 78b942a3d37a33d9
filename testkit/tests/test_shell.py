"""The real shell in QEMU, driven like a person at the keyboard (pexpect).

Each test types at the serial console and reads what comes back; the kernel's
line discipline echoes, the shell prints its prompt "$ ".  A module-scoped
machine keeps the suite fast; tests that end the machine boot their own.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from conftest import REPO_ROOT
from guest_suite import run_guest_suite

PROMPT = "\\$ "
QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")


def boot(*args: str) -> pexpect.spawn:
    if not (REPO_ROOT / "build" / "kernel.bin").exists():
        pytest.skip("build/kernel.bin is missing: build Levitate first (make)")
    child = pexpect.spawn(QEMU, ["--batch", *args], encoding="latin-1", timeout=30)
    child.delaybeforesend = 0.01
    return child


@pytest.fixture(scope="module")
def shell() -> Iterator[pexpect.spawn]:
    child = boot()
    child.expect(PROMPT)
    yield child
    child.terminate(force=True)


def run(shell: pexpect.spawn, line: str, prompt: str = PROMPT) -> str:
    """Type a line, wait for the next prompt (a pattern), return what was
    printed in between, the echoed line left out."""
    shell.sendline(line)
    shell.expect(prompt)
    out = shell.before.replace("\r", "")
    echoed = out.split("\n", 1)
    return echoed[1] if len(echoed) > 1 else ""


@pytest.mark.qemu
def test_echo_with_arguments(shell: pexpect.spawn) -> None:
    assert run(shell, 'echo one  two "three  four"') == "one two three  four\n"


@pytest.mark.qemu
def test_cat_a_file(shell: pexpect.spawn) -> None:
    expected = (REPO_ROOT / "userspace" / "rootfs" / "etc" / "hello.txt").read_text()
    assert run(shell, "cat /etc/hello.txt") == expected


@pytest.mark.qemu
def test_ls_lists_initramfs_directory(shell: pexpect.spawn) -> None:
    names = run(shell, "ls /etc").split()
    assert names == sorted(p.name for p in (REPO_ROOT / "userspace" / "rootfs" / "etc").iterdir())
    assert "levbox" in run(shell, "ls /bin").split()


@pytest.mark.qemu
def test_missing_program(shell: pexpect.spawn) -> None:
    assert "nosuchprog: command not found" in run(shell, "nosuchprog")
    assert run(shell, "echo $?") == "127\n"


@pytest.mark.qemu
def test_bad_executable(shell: pexpect.spawn) -> None:
    assert "exec format error" in run(shell, "/bin/badelf")
    assert run(shell, "echo $?") == "126\n"
    assert run(shell, "echo still here") == "still here\n"


@pytest.mark.qemu
def test_exit_status(shell: pexpect.spawn) -> None:
    run(shell, "status 42")
    assert run(shell, "echo $?") == "42\n"
    run(shell, "true")
    assert run(shell, "echo $?") == "0\n"


@pytest.mark.qemu
def test_segfault_is_139(shell: pexpect.spawn) -> None:
    assert re.search(r"segv: killed by signal 11", run(shell, "segv"))
    assert run(shell, "echo $?") == "139\n"


@pytest.mark.qemu
def test_backspace_edits_the_line(shell: pexpect.spawn) -> None:
    shell.send("echo abX\x7fc\r")
    shell.expect(PROMPT)
    assert shell.before.replace("\r", "").endswith("\nabc\n")


@pytest.mark.qemu
def test_exit_powers_off_with_status() -> None:
    child = boot()
    child.expect(PROMPT)
    child.sendline("exit 5")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 5


@pytest.mark.qemu
def test_in_guest_suite_passes() -> None:
    run_guest_suite("suite_test_core", None, at_least=30, timeout=120)


@pytest.mark.qemu
def test_pipeline_feeds_each_command_the_last_ones_output(shell: pexpect.spawn) -> None:
    assert run(shell, "echo hello world | cat") == "hello world\n"
    assert run(shell, "ls /etc | cat | cat").split() == sorted(
        p.name for p in (REPO_ROOT / "userspace" / "rootfs" / "etc").iterdir())


@pytest.mark.qemu
def test_input_redirection(shell: pexpect.spawn) -> None:
    expected = (REPO_ROOT / "userspace" / "rootfs" / "etc" / "hello.txt").read_text()
    assert run(shell, "cat < /etc/hello.txt") == expected
    assert "No such file or directory" in run(shell, "cat < /etc/nothere")
    assert run(shell, "echo $?") == "1\n"


@pytest.mark.qemu
def test_pipeline_status_is_the_last_commands(shell: pexpect.spawn) -> None:
    assert "nope: command not found" in run(shell, "echo a | nope")
    assert run(shell, "echo $?") == "127\n"
    run(shell, "false | true")
    assert run(shell, "echo $?") == "0\n"


@pytest.mark.qemu
def test_quoted_operators_are_plain_characters(shell: pexpect.spawn) -> None:
    assert run(shell, 'echo "a|b" "<c"') == "a|b <c\n"
    assert "empty command" in run(shell, "| cat")


@pytest.mark.qemu
def test_cd_changes_where_relative_paths_start() -> None:
    child = boot()
    child.expect(PROMPT)
    assert run(child, "pwd") == "/\n"
    assert run(child, "cd /etc") == ""
    assert run(child, "pwd") == "/etc\n"
    assert run(child, "cat hello.txt") == (REPO_ROOT / "userspace" / "rootfs" / "etc" / "hello.txt").read_text()
    assert run(child, "cat ../etc/./motd | cat").startswith("Welcome to Levitate.")
    assert "cd: /nope: No such file or directory" in run(child, "cd /nope")
    assert "cd: /etc/motd: Not a directory" in run(child, "cd /etc/motd")
    assert run(child, "echo $?") == "1\n"
    run(child, "cd ..")
    assert run(child, "pwd") == "/\n"
    assert "hello.txt: No such file or directory" in run(child, "cat hello.txt")
    child.terminate(force=True)
