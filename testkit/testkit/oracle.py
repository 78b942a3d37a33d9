"""`testkit oracle`: does Levitate behave as Linux does?

Each scenario (a trace's: a golden, or any recording; or one of a scenario
list, testkit/linux/scenarios.json, recorded on the current build first) is
run again on Linux 6.1 under strace (all in one Linux boot, linux_oracle.py)
and compared with Levitate's recording call by call.  Each scenario gets a verdict: identical; the same under
the declared Linux rules (naming the rules that hid something); or differs
(the first divergence per process, as `testkit diff` prints it).  The report
is printed and, with --report, written as JSON.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit.abi import Abi
from testkit.diff import DiffResult
from testkit.linux_boot import LinuxBootError
from testkit.linux_oracle import DEFAULT_TIMEOUT, record_linux_many
from testkit.linux_rules import apply_linux_rules, load_linux_rules
from testkit.normalize import Rules, normalize
from testkit.record import Scenario, behaviour_diff, lines_to_input, record, scenario_of
from testkit.strace_parse import StraceError
from testkit.trace import Trace, TraceError, load

ALWAYS = ("drop_launch",)     # rule kinds that describe the oracle itself, not a difference


@dataclass
class Verdict:
    scenario: str
    verdict: str                        # "identical", "same under rules", "differs"
    rules: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    report: str = ""


def compare_with_linux(levitate: Trace, linux: Trace, abi: Abi, rules: Rules, name: str) -> Verdict:
    """The verdict for one scenario recorded on both kernels."""
    diff: DiffResult = behaviour_diff(levitate, linux, abi, rules)
    if not diff.ok:
        return Verdict(name, "differs", differences=diff.messages(), report=diff.render(abi))
    used = rules_that_hide(levitate, linux, abi, rules)
    return Verdict(name, "same under rules" if used else "identical", rules=used)


def rules_that_hide(a: Trace, b: Trace, abi: Abi, rules: Rules) -> list[str]:
    """Ids of the Linux rules (but the oracle's own) that change either side."""
    sides = [normalize(a, abi, rules), normalize(b, abi, rules)]
    return [r["id"] for r in load_linux_rules(rules.dir) if r["kind"] not in ALWAYS
            and any(apply_linux_rules(s, [r]) != s for s in sides)]


def run_oracle(root: Path, levitate: list[Trace], names: list[str], abi: Abi, rules: Rules,
               out_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Verdict]:
    """Record every trace's scenario on Linux (one boot) and judge each."""
    scs = [scenario_of(t, n + ".linux") for t, n in zip(levitate, names)]
    recs = record_linux_many(root, scs, out_dir, abi, timeout)
    return [compare_with_linux(t, load(r.trace), abi, rules, n)
            for t, r, n in zip(levitate, recs, names)]


def load_scenarios(path: Path) -> list[Scenario]:
    """A scenario list: [{"name", "run": [words] (or absent: the shell), "input": [lines]}]."""
    try:
        rows = json.loads(path.read_text())
        return [Scenario(r["name"], lines_to_input(r.get("input", [])), r.get("run"),
                         r.get("description", "")) for r in rows]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise LinuxBootError(f"{path}: not a scenario list ({e})") from None


def record_levitate(root: Path, scs: list[Scenario], out_dir: Path, timeout: float) -> list[Trace]:
    """Each scenario recorded on the current build (out_dir/NAME.jsonl)."""
    out = []
    for sc in scs:
        rec = record(root, sc, out_dir, timeout)
        try:
            out.append(load(rec.trace))
        except TraceError as e:
            raise LinuxBootError(f"the Levitate recording of {sc.name} is not a trace: {e}") from None
    return out


def summary(verdicts: list[Verdict]) -> list[str]:
    """A table, the counts, and the most common divergences (process names and
    event positions taken out, so one kernel gap counts once per scenario)."""
    lines = [f"{v.verdict:<17} {v.scenario}" + (f"  [{', '.join(v.rules)}]" if v.rules else "")
             + (f"  {v.differences[0]}" if v.differences else "") for v in verdicts]
    counts = Counter(v.verdict for v in verdicts)
    lines.append(", ".join(f"{counts[k]} {k}" for k in ("identical", "same under rules", "differs")))
    common = Counter(_shape(d) for v in verdicts for d in set(map(_shape, v.differences)))
    lines += [f"  {n}x {what}" for what, n in common.most_common(3)]
    return lines


def _shape(message: str) -> str:
    return re.sub(r"^process \S+: event \d+: ", "", message)


def cmd_oracle(args: Any, abi: Abi, rules: Rules) -> int:
    """`testkit oracle`: print the verdicts; 1 if any scenario differs, 2 on trouble."""
    out = args.out or args.root / "traces"
    try:
        if args.scenarios:
            scs = load_scenarios(args.scenarios)
            levitate, names = record_levitate(args.root, scs, out, 60.0), [sc.name for sc in scs]
        else:
            levitate, names = [load(p) for p in args.traces], [p.name.removesuffix(".jsonl") for p in args.traces]
        verdicts = run_oracle(args.root, levitate, names, abi, rules, out, args.timeout)
    except (LinuxBootError, StraceError) as e:
        print(f"testkit: {e}")
        return 2
    for v in verdicts:
        if v.report:
            print(f"--- {v.scenario}\n{v.report}")
    print("\n".join(summary(verdicts)))
    if args.report:
        args.report.write_text(json.dumps([v.__dict__ for v in verdicts], indent=1) + "\n")
    return 1 if any(v.verdict == "differs" for v in verdicts) else 0
