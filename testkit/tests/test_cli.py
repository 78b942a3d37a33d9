"""The command line: exit statuses and output of validate, show, tree, diff."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from synth import FIXTURES, PIDS_A, PIDS_B, build, shell_scenario
from testkit.cli import main

ABI = ["--abi", str(FIXTURES / "abi.json")]


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.jsonl", build(shell_scenario(), PIDS_A))
    bad = write(tmp_path, "bad.jsonl", build(shell_scenario(), PIDS_A).replace('"nr": 1,', '"nr": 7,'))
    assert main(ABI + ["validate", good]) == 0
    assert "ok, format 1" in capsys.readouterr().out
    assert main(ABI + ["validate", good, bad]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:" in out and "syscall write: nr 7, the ABI says 1" in out


def test_show_per_process_and_one_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = write(tmp_path, "t.jsonl", build(shell_scenario(), PIDS_B))
    assert main(ABI + ["show", t]) == 0
    out = capsys.readouterr().out.splitlines()
    assert '[init/1] spawn_args("/bin/echo", ["echo", "hi"]) = init/1/1' in out
    assert '[init/1] open("/nope", 0, 0) = -1 ENOENT' in out
    assert '[init/1] read(0, "echo hi\\n", 256) = 8  <console input>' in out
    assert '[init/1/1] write(1, "hi\\n", 3) = 3' in out
    assert "[init/1/1] +++ exited with 0 (status 0) +++" in out
    assert "[kernel] === halt: init exited with 0 (status 0) ===" in out
    assert main(ABI + ["show", t, "--pid", "5"]) == 0
    only = capsys.readouterr().out.splitlines()
    assert only and all(line.startswith("[init/1/1] ") for line in only)
    assert main(ABI + ["show", t, "--proc", "init/9"]) == 2


def test_show_masked_hides_pointers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = write(tmp_path, "t.jsonl", build(shell_scenario(), PIDS_B))
    main(ABI + ["show", t, "--proc", "init/1/1"])
    assert "[init/1/1] brk(NULL) = 0x" in capsys.readouterr().out
    main(ABI + ["show", t, "--proc", "init/1/1", "--masked"])
    assert "[init/1/1] brk(NULL) = <ptr>" in capsys.readouterr().out


def test_tree_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, "a.jsonl", build(shell_scenario(), PIDS_A))
    b = write(tmp_path, "b.jsonl", build(shell_scenario(), PIDS_B))
    c = write(tmp_path, "c.jsonl", build(shell_scenario(echo_text="ho"), PIDS_B))
    assert main(ABI + ["tree", b]) == 0
    assert "    init/1/1  (pid 5)  echo hi  [exited with 0]" in capsys.readouterr().out
    assert main(ABI + ["diff", a, b]) == 0
    assert capsys.readouterr().out.strip() == "same behaviour"
    assert main(ABI + ["diff", a, c]) == 1
    assert "process init/1: first divergence at event 3 (changed)" in capsys.readouterr().out


def test_unreadable_trace_is_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "bad.jsonl", "{nope\n")
    assert main(ABI + ["show", bad]) == 2
    assert f"{bad}:1: malformed JSON" in capsys.readouterr().err


def incomplete(tmp_path: Path, name: str = "cut.jsonl") -> str:
    """A trace cut at a line boundary before its halt record (as Ctrl-A x leaves one)."""
    lines = build(shell_scenario(), PIDS_A).splitlines(keepends=True)
    return write(tmp_path, name, "".join(lines[:-1]))


def test_validate_fails_an_incomplete_trace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = incomplete(tmp_path)
    assert main(ABI + ["validate", cut]) == 1
    assert f"{cut}: incomplete trace: no halt or panic record" in capsys.readouterr().out


def test_diff_and_replay_refuse_an_incomplete_trace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut, good = incomplete(tmp_path), write(tmp_path, "good.jsonl", build(shell_scenario(), PIDS_A))
    for args in (["diff", good, cut], ["diff", cut, good],
                 ["--root", str(tmp_path), "replay", cut]):
        assert main(ABI + args) == 2, args
        err = capsys.readouterr().err
        assert err.strip() == f"testkit: {cut}: incomplete trace: no halt or panic record " \
            "(cut short, or the run ended without the guest powering off, e.g. Ctrl-A x)", err


def test_unopenable_file_has_no_line_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nope.jsonl")
    assert main(ABI + ["validate", missing]) == 2
    assert capsys.readouterr().out.strip() == f"{missing}: cannot read: No such file or directory"
    assert main(ABI + ["show", missing]) == 2
    assert ":0:" not in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    (["x", "--input-file", "/no/such/file"], "cannot read /no/such/file: No such file or directory"),
    (["sub/dir", "--input", "echo hi"], "bad name 'sub/dir'"),
    (["../escape", "--input", "echo hi"], "bad name '../escape'"),
    (["", "--input", "echo hi"], "bad name ''"),
    (["x.jsonl", "--input", "echo hi"], "bad name 'x.jsonl'"),
    (["x"], "nothing to run: give --input LINE..., --input-file FILE or --run PROGRAM"),
    (["x", "--run", "  "], "--run needs a program"),
])
def test_record_bad_input_is_one_line_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   args: list[str], words: str) -> None:
    """Refused at once, before any boot: the root has no launcher to run."""
    assert main(ABI + ["--root", str(tmp_path), "record", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("testkit: record: ") and words in err, err
    assert not (tmp_path / "traces").exists()


STALE_MAKEFILE = """build/kernel.bin: kernel.c
\tmkdir -p build && cp kernel.c $@
build/initramfs.cpio: init.c
\tmkdir -p build && cp init.c $@
"""


def test_record_and_replay_refuse_a_stale_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A source newer than what was built: nothing is booted, and the message names it."""
    (tmp_path / "Makefile").write_text(STALE_MAKEFILE)
    for f in ("kernel.c", "init.c"):
        (tmp_path / f).write_text("x\n")
    subprocess.run(["make", "-s", "-C", str(tmp_path), "build/kernel.bin", "build/initramfs.cpio"], check=True)
    os.utime(tmp_path / "init.c", (2e9, 2e9))
    golden = write(tmp_path, "g.jsonl", build(shell_scenario(), PIDS_A))
    for args in (["record", "x", "--input", "echo hi"], ["replay", golden]):
        assert main(ABI + ["--root", str(tmp_path), *args]) == 2, args
        err = capsys.readouterr().err
        assert "the build is out of date (changed since the last build: init.c); run make first" in err, err
    assert not (tmp_path / "traces").exists()


def test_bless_over_a_golden_needs_replace_and_shows_the_diff(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path, "echo.jsonl", build(shell_scenario(), PIDS_A))
    second = write(tmp_path, "echo2.jsonl", build(shell_scenario(echo_text="ho"), PIDS_A))
    root = ["--root", str(tmp_path)]
    assert main(ABI + root + ["bless", first]) == 0
    golden = tmp_path / "golden" / "echo.jsonl"
    before = golden.read_text()
    assert main(ABI + root + ["bless", second, "--name", "echo"]) == 2
    out = capsys.readouterr()
    assert "behaviour changed" in out.out and "data byte 6 changed" in out.out
    assert f"{golden} exists: pass --replace to replace it" in out.err
    assert golden.read_text() == before
    assert main(ABI + root + ["bless", second, "--name", "echo", "--replace"]) == 0
    assert "replaced" in capsys.readouterr().out and golden.read_text() != before
