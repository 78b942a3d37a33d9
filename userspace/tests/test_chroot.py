"""The userspace on the host: init, shell, test_runner in a chroot.

The rootfs tree is copied to a temporary directory with init, shell and
levbox (and its applet copies) replaced by the userspace-host builds (the
same code; libsyscall starts programs with fork + execve, which Linux runs
natively).  Running it with chroot makes the programs' absolute /bin and
/etc paths resolve inside the tree.  Needs root (chroot); skipped otherwise.
This checks the userspace's own logic; the kernel's side is checked in the guest.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Free memory on a busy Linux host moves by itself: these may fail here.
# Tests that judge Levitate-only rules (Linux allows these clone flags and
# argument sizes) or need a quiet machine (exact free memory, process counts).
HOST_NOISY = {"sysinfo_noleak", "spawn_fail_noleak", "fork_exec_noleak", "orphan_reparented",
              "clone_flags_einval", "exec_e2big", "exec_fail_noleak"}

CHROOT = shutil.which("chroot") or "chroot"

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("chroot"),
                                reason="needs root and chroot(8)")


@pytest.fixture(scope="module")
def hostroot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of build/rootfs with the host builds of init, shell and levbox."""
    subprocess.run(["make", "-s", "-f", "userspace/userspace.mk", "rootfs",
                    "userspace-host"], cwd=REPO, check=True)
    root = tmp_path_factory.mktemp("hostroot") / "root"
    shutil.copytree(REPO / "build" / "rootfs", root, symlinks=True)
    host_bin = REPO / "build" / "userspace-host" / "bin"
    levbox = (REPO / "build" / "rootfs" / "bin" / "levbox").read_bytes()
    for prog in (root / "bin").iterdir():
        if prog.read_bytes() == levbox:
            shutil.copy(host_bin / "levbox", prog)
    for name in ["init", "shell"]:
        shutil.copy(host_bin / name, root / "bin" / name)
    return root


def chroot(root: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run argv inside root with an empty environment, as Levitate would."""
    return subprocess.run([CHROOT, str(root), *argv], input=stdin,
                          capture_output=True, text=True, timeout=60, env={})


def test_runner_runs_suite(hostroot: Path) -> None:
    result = chroot(hostroot, "/bin/test_runner")
    lines = result.stdout.splitlines()
    names = chroot(hostroot, "/bin/suite_test_core", "--list").stdout.split()
    # A failing test prints why on the same stdout, before its verdict line.
    verdicts = {m[2]: m[1] for m in re.finditer(r"^(PASS|FAIL) (\S+)", result.stdout, re.M)}
    assert list(verdicts) == names
    failed = {name for name, verdict in verdicts.items() if verdict != "PASS"}
    assert failed <= HOST_NOISY, result.stdout
    assert lines[-1] == f"suite_test_core: {len(names) - len(failed)} passed, {len(failed)} failed"
    assert result.returncode == (1 if failed else 0)


def test_runner_reports_failure(hostroot: Path, tmp_path: Path) -> None:
    broken = tmp_path / "root"
    shutil.copytree(hostroot, broken, symlinks=True)
    shutil.copy(broken / "bin" / "true", broken / "bin" / "badelf")
    result = chroot(broken, "/bin/test_runner")
    assert "FAIL spawn_badelf (status 1)\n" in result.stdout
    assert re.search(r"test_spawn_badelf line \d+: start_program\(\"/bin/badelf\"\) = \d+, "
                     r"expected -8", result.stdout)
    assert re.search(r"^suite_test_core: \d+ passed, [1-9]\d* failed$",
                     result.stdout, re.M)
    assert result.returncode == 1


@pytest.mark.parametrize("suite,message", [
    ("no_such_suite", "cannot run /bin/no_such_suite: No such file or directory"),
    ("false", "/bin/false --list failed (status 1)"),
    ("argcheck", "/bin/argcheck lists no tests"),
])
def test_runner_bad_suite(hostroot: Path, suite: str, message: str) -> None:
    result = chroot(hostroot, "/bin/test_runner", suite)
    assert result.returncode == 1
    assert message in result.stderr


@pytest.mark.parametrize("argv,code,err", [
    (["/bin/status", "7"], 7, ""),
    (["/bin/segv"], 139, ""),
    (["/bin/nothere"], 127, "init: cannot run /bin/nothere: No such file or directory"),
    (["/bin/badelf"], 127, "init: cannot run /bin/badelf: Exec format error"),
])
def test_init_runs_program(hostroot: Path, argv: list[str], code: int, err: str) -> None:
    result = chroot(hostroot, "/bin/init", *argv)
    assert result.returncode == code
    assert err in result.stderr


def test_init_spawnwait_reports_children(hostroot: Path) -> None:
    result = chroot(hostroot, "/bin/init", "/bin/spawnwait", "/bin/segv")
    assert result.stdout == "spawnwait: child killed by signal 11\n"
    assert result.returncode == 139
    result = chroot(hostroot, "/bin/spawnwait", "/bin/status", "9")
    assert result.stdout == "spawnwait: child exited 9\n"
    assert result.returncode == 9


SESSION = """echo hi "a  b" $?
status 5
echo $?
segv
echo $?
nothere
echo $?
badelf
echo $?
ls /etc
status 6
"""

SESSION_OUT = """$ hi a  b 0
$ $ 5
$ $ 139
$ $ 127
$ $ 126
$ hello.txt
motd
$ $ """

SESSION_ERR = """shell: segv: killed by signal 11 (Segmentation fault)
shell: nothere: command not found
shell: badelf: exec format error
"""


def test_init_shell_session(hostroot: Path) -> None:
    result = chroot(hostroot, "/bin/init", stdin=SESSION)
    motd = (hostroot / "etc" / "motd").read_text()
    assert result.stdout == motd + SESSION_OUT
    assert result.stderr == SESSION_ERR
    assert result.returncode == 6  # end of input: the last status


def test_shell_help_lists_bin(hostroot: Path) -> None:
    out = chroot(hostroot, "/bin/shell", stdin="help\n").stdout
    listed = set(re.findall(r"[\w.]+", out.split("programs in /bin:")[1]))
    assert listed == {p.name for p in (hostroot / "bin").iterdir()}
