"""record, replay and bless: the workflows that produce and promote traces."""
from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testkit.abi import Abi
from testkit.formats import as_format
from testkit.diff import DiffResult, compare
from testkit.linux_rules import apply_linux_rules, is_linux, load_linux_rules
from testkit.normalize import Rules, normalize
from testkit.rulelang import Rule
from testkit.qemu import RunResult, launcher_command, run_levitate
from testkit.status import describe
from testkit.trace import Trace, TraceError, load

DEFAULT_TIMEOUT = 60.0


@dataclass
class Scenario:
    """What a run is: its name, the console input bytes, and the program (None = shell)."""
    name: str
    input: bytes
    run: list[str] | None
    description: str = ""

    def input_lines(self) -> list[str]:
        text = self.input.decode("latin-1")
        return text[:-1].split("\n") if text.endswith("\n") else text.split("\n") if text else []


@dataclass
class Recording:
    scenario: Scenario
    trace: Path
    console: Path
    result: RunResult


def lines_to_input(lines: list[str]) -> bytes:
    """Console input file for typed lines: one line per console read."""
    return "".join(line + "\n" for line in lines).encode("latin-1")


def git_commit(root: Path) -> str:
    """HEAD's hash (with '-dirty' when the tree has changes), or 'unknown'."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0:
            return "unknown"
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "-uno"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
        return head.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def meta_line(sc: Scenario, commit: str) -> dict[str, Any]:
    return {"type": "meta", "scenario": sc.name, "description": sc.description,
            "recorded_from": commit, "input": sc.input_lines(), "run": sc.run}


def record(root: Path, sc: Scenario, out_dir: Path, timeout: float = DEFAULT_TIMEOUT,
           kernel: Path | None = None, initrd: Path | None = None) -> Recording:
    """Boot the build with sc's input and program; write out_dir/NAME.jsonl (meta line first)
    and out_dir/NAME.console."""
    out_dir.mkdir(parents=True, exist_ok=True)
    trace_path, console = out_dir / f"{sc.name}.jsonl", out_dir / f"{sc.name}.console"
    with tempfile.TemporaryDirectory(prefix="levitate-") as tmp:
        raw, input_file = Path(tmp) / "trace.jsonl", Path(tmp) / "input.txt"
        input_file.write_bytes(sc.input)
        raw.touch()
        cmd = launcher_command(root, raw, input_file, sc.run, kernel, initrd, timeout)
        result = run_levitate(cmd, console, timeout)
        meta = json.dumps(meta_line(sc, git_commit(root)), ensure_ascii=False)
        trace_path.write_bytes(meta.encode() + b"\n" + raw.read_bytes())
    return Recording(sc, trace_path, console, result)


def scenario_of(trace: Trace, name: str) -> Scenario:
    """Rebuild a run from a trace: program from meta (or the boot cmdline after ' -- '),
    input from the data of its console-input reads."""
    data = "".join(_input_data(r) for r in trace.records if r.get("input"))
    if trace.meta is not None:
        run = trace.meta["run"]
        desc = trace.meta.get("description", "")
    else:
        cmdline = trace.boot()["cmdline"]
        run = cmdline.split(" -- ", 1)[1].split() if " -- " in cmdline else None
        desc = ""
    return Scenario(name, data.encode("latin-1"), run, desc)


def _input_data(rec: dict[str, Any]) -> str:
    for v in rec["args"].values():
        if isinstance(v, dict) and isinstance(v.get("data"), str):
            return v["data"]
    return ""


def behaviour_diff(golden: Trace, current: Trace, abi: Abi, rules: Rules) -> DiffResult:
    """Compare two traces on behaviour (normalized, rewritten), each seen as the
    older of the two formats could record it (see formats.py)."""
    g, c = normalize(golden, abi, rules), normalize(current, abi, rules)
    linux: list[Rule] = []
    counts: dict[str, int] = {}
    if is_linux(golden) or is_linux(current):      # intended Linux differences (linux_rules.py)
        linux = load_linux_rules(rules.dir)
        g, c = apply_linux_rules(g, linux, counts), apply_linux_rules(c, linux, counts)
    oldest = min(golden.version, current.version)
    diff = compare(as_format(g, oldest, abi), as_format(c, oldest, abi), rules.rewrites,
                   golden_name(golden), (recorded_from(golden), recorded_from(current)))
    diff.rules[:0] = [r.id for r in linux]          # the report names them in force too
    diff.rewrites.update(counts)
    return diff


def recorded_from(trace: Trace) -> str | None:
    """The commit the trace's meta line says it was recorded from, if any."""
    return (trace.meta or {}).get("recorded_from")


def golden_name(trace: Trace) -> str:
    """The name a rule's applies_to.goldens globs match: the file name without .jsonl."""
    name = Path(trace.path).name
    return name[:-len(".jsonl")] if name.endswith(".jsonl") else name


@dataclass
class Replay:
    golden: Path
    recording: Recording
    diff: DiffResult | None
    error: str | None        # the recording could not be read


def replay(root: Path, golden_path: Path, abi: Abi, rules: Rules, out_dir: Path,
           timeout: float = DEFAULT_TIMEOUT, kernel: Path | None = None,
           initrd: Path | None = None) -> Replay:
    """Record the golden's scenario on the current build as out_dir/replay-NAME.jsonl and compare.

    TraceError if the golden is malformed or incomplete; a recording that is
    either is the Replay's error (with the launcher's verdict)."""
    golden = load(golden_path)
    golden.require_complete()
    sc = scenario_of(golden, "replay-" + golden_path.stem)
    rec = record(root, sc, out_dir, timeout, kernel, initrd)
    return judge_recording(golden_path, golden, rec, abi, rules)


def judge_recording(golden_path: Path, golden: Trace, rec: Recording, abi: Abi,
                    rules: Rules) -> Replay:
    """replay's verdict on rec, a recording of the golden's scenario (scenario_of): several
    goldens of one scenario (a spawn-era golden and its fork-era twin) can share one."""
    try:
        current = load(rec.trace)
        current.require_complete()
    except TraceError as e:
        said = rec.console.read_bytes()[-4096:].decode("utf-8", "replace")
        return Replay(golden_path, rec, None, f"{e} ({describe(rec.result.status, said)})")
    return Replay(golden_path, rec, behaviour_diff(golden, current, abi, rules), None)


class GoldenExists(Exception):
    """bless without replace found a golden of that name; report is the diff against it."""

    def __init__(self, target: Path, report: str) -> None:
        super().__init__(f"{target} exists")
        self.target = target
        self.report = report


def replacement_report(target: Path, trace: Trace, abi: Abi, rules: Rules) -> str:
    """What replacing the golden at target with trace changes: behaviour, and format."""
    old = load(target)
    diff = behaviour_diff(old, trace, abi, rules)
    report = f"{target}: " + ("same behaviour" if diff.ok else "behaviour changed:\n" + diff.render(abi))
    if old.version != trace.version:
        report += (f"\n{target}: format {old.version} golden would become format {trace.version}"
                   " (what it judges changes: docs/trace-format.md)")
    return report


def bless(trace_path: Path, golden_dir: Path, name: str, abi: Abi, rules: Rules,
          replace: bool = False) -> str:
    """Copy a complete, valid trace to golden_dir/NAME.jsonl; returns "new golden ..." or
    the report of what replacing the existing golden changed.  An existing golden is
    replaced only with replace=True, else GoldenExists (carrying that report).
    A trace without a meta line gets one."""
    trace = load(trace_path)
    if not trace.complete:
        raise TraceError(str(trace_path), 0, "incomplete trace (no halt or panic record); not blessing it")
    target = golden_dir / f"{name}.jsonl"
    report = f"new golden {target}"
    if target.exists():
        report = replacement_report(target, trace, abi, rules)
        if not replace:
            raise GoldenExists(target, report)
        report = "replaced " + report
    meta = dict(trace.meta) if trace.meta else meta_line(scenario_of(trace, name), "unknown")
    meta["scenario"] = name
    body = trace_path.read_text(encoding="utf-8").split("\n", 1 if trace.meta else 0)[-1]
    golden_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(meta, ensure_ascii=False) + "\n" + body, encoding="utf-8")
    return report
