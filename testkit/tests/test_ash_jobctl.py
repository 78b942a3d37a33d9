"""Signals and job control under Debian BusyBox's ash (issue 15), typed like a
person at the keyboard (pexpect).

ash runs on the launcher's default console (mon:stdio), where QEMU passes
Ctrl-C, Ctrl-Z and Ctrl-\\ to the guest; with --batch's plain stdio the host
pty would turn Ctrl-C into a SIGINT for QEMU itself.  Interactive ash takes the
terminal for job control: it opens /dev/tty, puts itself in its own process
group (setpgid), makes it the foreground one (TIOCSPGRP), and gives each
foreground job its own group and the terminal, taking it back when the job
ends or stops.  So these tests exercise the kernel's groups, the controlling
terminal (ctty.c), the ISIG keys (ldisc.c), stop and continue, and wait4's
WUNTRACED, through an unmodified shell.

One VM serves the module (boots are the expensive part); every test starts
and ends at ash's prompt.
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pexpect
import pytest

from conftest import REPO_ROOT
from test_busybox import PROMPT, base_tree, make_initramfs

QEMU = str(REPO_ROOT / "scripts" / "levitate-qemu")


@pytest.fixture(scope="module")
def ash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pexpect.spawn]:
    tmp = tmp_path_factory.mktemp("ash_jobctl")
    tree = base_tree(tmp)
    subprocess.run([str(REPO_ROOT / "scripts" / "busybox-root"), str(tree)], check=True)
    initrd = make_initramfs(tree, tmp / "initramfs.cpio")
    child = pexpect.spawn(QEMU, ["--initrd", str(initrd), "--", "/bin/busybox", "sh"],
                          encoding="latin-1", timeout=30)
    child.delaybeforesend = 0.02
    child.expect_exact(PROMPT)
    yield child
    child.terminate(force=True)


def run(ash: pexpect.spawn, line: str) -> str:
    """Type line, wait for the next prompt; what was printed after the echoed
    line, without carriage returns or ash's cursor-position query."""
    ash.sendline(line)
    ash.expect_exact(PROMPT)
    out = ash.before.replace("\r", "").replace("\x1b[6n", "")
    return out.split("\n", 1)[1] if "\n" in out else ""


def status(ash: pexpect.spawn) -> int:
    return int(run(ash, "echo $?").strip())


def start_cat(ash: pexpect.spawn, line: str = "cat") -> None:
    """Run line (which starts with cat) and wait until cat is the one reading the
    terminal.  ash reads its line in raw mode without echo or ISIG, so what is
    typed before ash hands the terminal back (a line, a Ctrl-C) may reach cat as
    unechoed data, as on Linux: the first line proves only that cat runs, the
    second (echoed by the terminal, then written by cat) that it is reading."""
    ash.sendline(line)
    ash.sendline("ping")
    ash.expect("ping\r+\n")
    ash.sendline("pong")
    ash.expect("pong\r+\npong\r+\n")


@pytest.mark.qemu
def test_ctrl_c_ends_cat_and_ash_prompts_again(ash: pexpect.spawn) -> None:
    start_cat(ash)
    ash.send("\x03")
    ash.expect(r"\^C")
    ash.expect_exact(PROMPT)
    assert status(ash) == 130                       # 128 + SIGINT
    assert run(ash, "echo alive") == "alive\n"


@pytest.mark.qemu
def test_background_job_killed_by_job_number(ash: pexpect.spawn) -> None:
    # As on Linux (BusyBox ash 1.35 on Debian's kernel), `&` prints no job line.
    assert run(ash, "sleep 5 &") == ""
    assert re.fullmatch(r"\[1\]\+ +Running +sleep 5\n", run(ash, "jobs"))
    # One line: at a prompt in between, ash could report the job and forget it.
    # wait4 reports the job killed by SIGTERM: 128 + 15.
    out = run(ash, "kill %1; wait %1; echo status=$?")
    assert re.fullmatch(r"Terminated\nstatus=143\n\[1\]\+ +Terminated +sleep 5\n", out), out
    assert run(ash, "jobs") == ""


@pytest.mark.qemu
def test_wait_reaps_a_finished_background_job(ash: pexpect.spawn) -> None:
    out = run(ash, "(exit 7) & wait $!; echo status=$?")
    assert re.fullmatch(r"status=7\n\[1\]\+ +Done\(7\) +\(exit 7\)\n", out), out


@pytest.mark.qemu
def test_trap_int_runs_at_ctrl_c(ash: pexpect.spawn) -> None:
    run(ash, "trap 'echo caught' INT")
    # At the prompt: ash reads ^C as a key (ISIG off in its raw mode) and
    # raises SIGINT on itself; the trap runs.
    ash.send("\x03")
    ash.expect_exact("caught")
    ash.expect_exact(PROMPT)
    # While a foreground job runs: the job's group gets SIGINT from the
    # terminal, cat dies of it, and ash (which saw its job die of SIGINT)
    # runs its trap, then goes on with the line, as on Linux.
    start_cat(ash, "cat; echo after-cat")
    ash.send("\x03")
    ash.expect(r"\^Ccaught\r+\nafter-cat\r+\n")
    ash.expect_exact(PROMPT)
    run(ash, "trap - INT")


@pytest.mark.qemu
def test_ctrl_z_stops_a_job_and_fg_continues_it(ash: pexpect.spawn) -> None:
    start_cat(ash)
    ash.send("\x1a")
    ash.expect(r"\^Z")
    ash.expect(r"\[1\]\+ +Stopped +cat")
    ash.expect_exact(PROMPT)
    assert re.fullmatch(r"\[1\]\+ +Stopped +cat\n", run(ash, "jobs"))
    # fg: ash gives the job's group the terminal (TIOCSPGRP) and sends SIGCONT;
    # cat reads again (a read from a background group would get SIGTTIN).
    ash.sendline("fg")
    ash.expect("fg\r+\ncat\r+\n")
    ash.sendline("again")
    ash.expect("again\r+\nagain\r+\n")
    ash.send("\x04")
    ash.expect_exact(PROMPT)
    assert status(ash) == 0
    assert run(ash, "jobs") == ""


# A job that says when it runs: from then on the terminal is the job's, in
# canonical mode with ISIG (see start_cat).
SLEEPER = "sh -c 'echo running; exec sleep 1'"


@pytest.mark.qemu
def test_ctrl_z_then_bg_then_wait(ash: pexpect.spawn) -> None:
    ash.sendline(SLEEPER)
    ash.expect("running\r+\n")
    ash.send("\x1a")
    ash.expect(r"\[1\]\+ +Stopped +sh -c")
    ash.expect_exact(PROMPT)
    # One line, so the job cannot end before the shell gets to wait.
    out = run(ash, "bg; wait; echo status=$?")
    assert re.fullmatch(r"\[1\] sh -c .*\nstatus=0\n\[1\]\+ +Done +sh -c .*\n", out), out


@pytest.mark.qemu
def test_yes_into_head_ends_quietly(ash: pexpect.spawn) -> None:
    # head exits after 3 lines; yes gets SIGPIPE on its next write and dies of
    # it, without a message; the pipeline's status is head's.
    assert run(ash, "yes | head -3") == "y\ny\ny\n"
    assert status(ash) == 0
    # yes's own end, seen by a subshell: killed by SIGPIPE, 128 + 13.
    assert run(ash, "(yes; echo yes-status=$? >&2) | head -1") == "y\nyes-status=141\n"
