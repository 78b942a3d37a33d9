"""The command line: exit statuses and output of validate, show, tree, diff."""
from __future__ import annotations

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
