"""Trace validation: every malformed trace is refused with file:line: what."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth import PIDS_A, build, shell_scenario
from testkit.trace import TraceError, load, loads


def good() -> list[str]:
    return build(shell_scenario(), PIDS_A).splitlines(keepends=True)


def write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "t.jsonl"
    p.write_text("".join(lines))
    return p


def error_of(tmp_path: Path, lines: list[str]) -> str:
    p = write(tmp_path, lines)
    with pytest.raises(TraceError) as e:
        load(p)
    assert str(e.value).startswith(f"{p}:"), str(e.value)
    return str(e.value)


def edit(line: str, **changes: object) -> str:
    rec = json.loads(line)
    for k, v in changes.items():
        if v is None:
            del rec[k]
        else:
            rec[k] = v
    return json.dumps(rec) + "\n"


def test_good_trace_loads(tmp_path: Path) -> None:
    t = load(write(tmp_path, good()))
    assert t.version == 1 and t.complete
    assert [r["seq"] for r in t.records] == list(range(len(good())))


def test_bad_json_names_line(tmp_path: Path) -> None:
    lines = good()
    lines[3] = '{"seq":3,"type":"syscall",\n'
    assert ":4: malformed JSON" in error_of(tmp_path, lines)


def test_seq_gap_names_line(tmp_path: Path) -> None:
    lines = good()
    del lines[5]
    msg = error_of(tmp_path, lines)
    assert ":6: seq 6, expected 5" in msg and "lost" in msg


def test_missing_field_names_line_and_field(tmp_path: Path) -> None:
    lines = good()
    lines[2] = edit(lines[2], pid=None)
    assert ":3: syscall record: missing field 'pid'" in error_of(tmp_path, lines)


def test_wrong_type_names_field(tmp_path: Path) -> None:
    lines = good()
    lines[2] = edit(lines[2], pid="2")
    assert ":3: syscall record: field 'pid' should be integer" in error_of(tmp_path, lines)


def test_boolean_is_not_an_integer(tmp_path: Path) -> None:
    lines = good()
    lines[-1] = edit(lines[-1], status=True)
    assert "field 'status' should be integer" in error_of(tmp_path, lines)


def test_truncated_last_line(tmp_path: Path) -> None:
    lines = good()
    lines[-1] = lines[-1][:10]
    assert f":{len(lines)}: truncated last line" in error_of(tmp_path, lines)


def test_unknown_version(tmp_path: Path) -> None:
    lines = good()
    lines[0] = edit(lines[0], format=4)
    msg = error_of(tmp_path, lines)
    assert ":1: unknown trace format version 4" in msg and "reads 1, 2, 3" in msg


def test_error_ret_needs_err(tmp_path: Path) -> None:
    lines = good()
    i = next(i for i, l in enumerate(lines) if '"err"' in l)
    lines[i] = edit(lines[i], err=None)
    assert f":{i + 1}: syscall open: ret -2 is an error but 'err' is missing" in error_of(tmp_path, lines)


def test_unknown_field_and_type(tmp_path: Path) -> None:
    lines = good()
    lines[1] = edit(lines[1], colour="red")
    assert ":2: syscall record: unknown field 'colour'" in error_of(tmp_path, lines)
    lines = good()
    lines[1] = edit(lines[1], type="bogus")
    assert ":2: unknown record type 'bogus'" in error_of(tmp_path, lines)


def test_record_after_halt(tmp_path: Path) -> None:
    lines = good()
    lines.append(json.dumps({"seq": len(lines), "type": "halt", "status": 0}) + "\n")
    assert f":{len(lines)}: halt record after the halt record" in error_of(tmp_path, lines)


def test_meta_line_is_skipped_for_seq_and_checked(tmp_path: Path) -> None:
    meta = {"type": "meta", "scenario": "s", "description": "", "recorded_from": "x",
            "input": ["echo hi"], "run": None}
    t = load(write(tmp_path, [json.dumps(meta) + "\n"] + good()))
    assert t.meta == meta and t.lines[0] == 2
    meta["run"] = "oops"
    assert ":1: meta record: field 'run'" in error_of(tmp_path, [json.dumps(meta) + "\n"] + good())


def test_meta_only_on_first_line(tmp_path: Path) -> None:
    lines = good()
    lines.insert(2, json.dumps({"type": "meta"}) + "\n")
    assert ":3: " in error_of(tmp_path, lines)


def test_incomplete_trace_loads_but_says_so() -> None:
    t = loads("".join(good()[:-1]), "x")
    assert not t.complete


def with_signals(version: int, *extra: dict) -> list[str]:
    """good() as format `version`, with extra records inserted before halt."""
    lines = good()
    lines[0] = edit(lines[0], format=version)
    halt = lines.pop()
    seq = len(lines)
    for rec in extra:
        lines.append(json.dumps({"seq": seq, **rec}) + "\n")
        seq += 1
    lines.append(edit(halt, seq=seq))
    return lines


SENT = {"type": "signal", "pid": 1, "to": 2, "sig": 2, "code": 0}
DELIVERED = {"type": "sigdeliver", "pid": 2, "sig": 2, "action": "handler"}


def test_v3_reads_signal_records(tmp_path: Path) -> None:
    t = load(write(tmp_path, with_signals(3, SENT, DELIVERED,
                                          {"type": "signal", "to": 1, "sig": 17, "code": 1, "ignored": True})))
    assert t.version == 3
    assert [r["type"] for r in t.records[-4:-1]] == ["signal", "sigdeliver", "signal"]


def test_v2_has_no_signal_records(tmp_path: Path) -> None:
    msg = error_of(tmp_path, with_signals(2, SENT))
    assert "unknown record type 'signal'" in msg


def test_v3_signal_number_checked(tmp_path: Path) -> None:
    msg = error_of(tmp_path, with_signals(3, dict(SENT, sig=65)))
    assert "signal 65 not in 1..64" in msg


def test_v3_sigdeliver_action_checked(tmp_path: Path) -> None:
    msg = error_of(tmp_path, with_signals(3, dict(DELIVERED, action="explode")))
    assert "unknown action 'explode'" in msg


def test_v3_signal_needs_target(tmp_path: Path) -> None:
    msg = error_of(tmp_path, with_signals(3, {k: v for k, v in SENT.items() if k != "to"}))
    assert "signal record: missing field 'to'" in msg
