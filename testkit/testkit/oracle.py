"""`testkit oracle TRACE...`: does Levitate behave as Linux does?

Each trace (a golden, or any recording with its scenario) is run again on
Linux 6.1 under strace (all in one Linux boot, linux_oracle.py) and compared
with it call by call.  Each scenario gets a verdict: identical; the same under
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
from testkit.record import behaviour_diff, scenario_of
from testkit.strace_parse import StraceError
from testkit.trace import Trace, load

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


def run_oracle(root: Path, traces: list[Path], abi: Abi, rules: Rules, out_dir: Path,
               timeout: float = DEFAULT_TIMEOUT) -> list[Verdict]:
    """Record every trace's scenario on Linux (one boot) and judge each."""
    levitate = [load(p) for p in traces]
    names = [p.name.removesuffix(".jsonl") for p in traces]
    scs = [scenario_of(t, n + ".linux") for t, n in zip(levitate, names)]
    recs = record_linux_many(root, scs, out_dir, abi, timeout)
    return [compare_with_linux(t, load(r.trace), abi, rules, n)
            for t, r, n in zip(levitate, recs, names)]


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
    try:
        verdicts = run_oracle(args.root, args.traces, abi, rules, args.out or args.root / "traces",
                              args.timeout)
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
