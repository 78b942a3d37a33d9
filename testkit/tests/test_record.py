"""record / replay / bless plumbing, with a stand-in for scripts/levitate-qemu (no QEMU)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth import PIDS_A, PIDS_B, build, shell_scenario
from testkit.abi import Abi
from testkit.normalize import Rules
from testkit import qemu, status
from testkit.record import GoldenExists, Scenario, bless, lines_to_input, record, replay, scenario_of
from testkit.trace import TraceError, load, loads

FAKE_LAUNCHER = r"""#!/bin/sh
# Stand-in for levitate-qemu: records its arguments, "boots" by copying canned.jsonl.
root=$(cd "$(dirname "$0")/.." && pwd)
while [ $# -gt 0 ]; do
	case $1 in
	--trace) t=$2; shift 2 ;;
	--input) cp "$2" "$root/last-input"; shift 2 ;;
	--batch) shift ;;
	--) shift; break ;;
	*) shift 2 ;;
	esac
done
echo "$*" > "$root/last-run"
cp "$root/canned.jsonl" "$t"
echo "console output"
[ -f "$root/hang" ] && exec sleep 30
exit 3
"""


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    launcher = tmp_path / "scripts" / "levitate-qemu"
    launcher.write_text(FAKE_LAUNCHER)
    launcher.chmod(0o755)
    (tmp_path / "canned.jsonl").write_text(build(shell_scenario(), PIDS_B))
    return tmp_path


def test_record_writes_meta_trace_and_console(fake_root: Path) -> None:
    sc = Scenario("hello", lines_to_input(["echo hi", "exit"]), ["/bin/echo", "hi"], "says hi")
    rec = record(fake_root, sc, fake_root / "traces", timeout=20)
    assert rec.result.status == 3 and not rec.result.timed_out
    assert (fake_root / "last-input").read_text() == "echo hi\nexit\n"
    assert (fake_root / "last-run").read_text() == "/bin/echo hi\n"
    assert rec.console.read_text() == "console output\n"
    t = load(rec.trace)
    assert t.meta is not None
    assert (t.meta["scenario"], t.meta["input"], t.meta["run"]) == ("hello", ["echo hi", "exit"], ["/bin/echo", "hi"])


def test_record_times_out(fake_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A launcher that does not stop at its own --timeout is killed a grace period later."""
    monkeypatch.setattr(qemu, "LAUNCHER_GRACE", 0.5)
    (fake_root / "hang").touch()
    rec = record(fake_root, Scenario("slow", b"", None), fake_root / "traces", timeout=1)
    assert rec.result.timed_out and rec.result.status == status.TIMEOUT


def test_scenario_from_input_reads_and_cmdline() -> None:
    text = build(shell_scenario(), PIDS_A).replace('"cmdline": "trace"', '"cmdline": "trace -- /bin/sh -x"')
    sc = scenario_of(loads(text), "x")
    assert sc.input == b"echo hi\n" and sc.run == ["/bin/sh", "-x"]
    assert sc.input_lines() == ["echo hi"]


def test_replay_same_and_different(fake_root: Path, fixture_abi: Abi, rules: Rules) -> None:
    golden = fake_root / "golden.jsonl"
    golden.write_text(build(shell_scenario(), PIDS_A))
    r = replay(fake_root, golden, fixture_abi, rules, fake_root / "traces", timeout=20)
    assert r.error is None and r.diff is not None and r.diff.ok
    assert (fake_root / "last-input").read_text() == "echo hi\n"
    (fake_root / "canned.jsonl").write_text(build(shell_scenario(exit_code=2), PIDS_B))
    r = replay(fake_root, golden, fixture_abi, rules, fake_root / "traces", timeout=20)
    assert r.diff is not None and not r.diff.ok
    assert "exit_group argument status: 0 → 2" in "\n".join(r.diff.messages())


def test_replay_of_broken_recording_is_an_error(fake_root: Path, fixture_abi: Abi, rules: Rules) -> None:
    golden = fake_root / "golden.jsonl"
    golden.write_text(build(shell_scenario(), PIDS_A))
    (fake_root / "canned.jsonl").write_text(build(shell_scenario(), PIDS_A)[:-5])
    r = replay(fake_root, golden, fixture_abi, rules, fake_root / "traces", timeout=20)
    assert r.error is not None and "truncated last line" in r.error


def test_bless_new_then_replacing(tmp_path: Path, fixture_abi: Abi, rules: Rules) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(build(shell_scenario(), PIDS_A))
    second.write_text(build(shell_scenario(echo_text="ho"), PIDS_A))
    gdir = tmp_path / "golden"
    assert bless(first, gdir, "echo", fixture_abi, rules).startswith("new golden")
    g = load(gdir / "echo.jsonl")
    assert g.meta is not None and g.meta["scenario"] == "echo" and g.meta["input"] == ["echo hi"]
    with pytest.raises(GoldenExists) as refused:
        bless(second, gdir, "echo", fixture_abi, rules)
    assert "read argument buf: data byte 6 changed" in refused.value.report
    assert load(gdir / "echo.jsonl").records == load(first).records, "replaced without --replace"
    report = bless(second, gdir, "echo", fixture_abi, rules, replace=True)
    assert report.startswith(f"replaced {gdir / 'echo.jsonl'}") and "read argument buf: data byte 6 changed" in report
    assert load(gdir / "echo.jsonl").records == load(second).records
    assert "same behaviour" in bless(second, gdir, "echo", fixture_abi, rules, replace=True)


def test_bless_says_when_a_golden_would_change_format(tmp_path: Path, fixture_abi: Abi, rules: Rules) -> None:
    v1, v2 = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    v1.write_text(build(shell_scenario(), PIDS_A))
    v2.write_text(build(shell_scenario(), PIDS_A).replace('"format": 1', '"format": 2'))
    gdir = tmp_path / "golden"
    bless(v1, gdir, "echo", fixture_abi, rules)
    with pytest.raises(GoldenExists) as refused:
        bless(v2, gdir, "echo", fixture_abi, rules)
    assert "format 1 golden would become format 2" in refused.value.report
    assert load(gdir / "echo.jsonl").version == 1


def test_bless_refuses_incomplete_trace(tmp_path: Path, fixture_abi: Abi, rules: Rules) -> None:
    t = tmp_path / "t.jsonl"
    t.write_text("".join(build(shell_scenario(), PIDS_A).splitlines(keepends=True)[:-1]))
    with pytest.raises(TraceError, match="incomplete trace"):
        bless(t, tmp_path / "golden", "t", fixture_abi, rules)
    assert not (tmp_path / "golden").exists()


def test_meta_line_is_json_object(fake_root: Path) -> None:
    rec = record(fake_root, Scenario("m", b"", None), fake_root / "traces", timeout=20)
    first = json.loads(rec.trace.read_text().split("\n", 1)[0])
    assert first["type"] == "meta" and first["run"] is None and first["input"] == []
