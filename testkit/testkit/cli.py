"""Command line: python3 -m testkit COMMAND ... (docs/testkit.md).

Exit status, every command: 0 fine/same, 1 behaviour differs (or validate found
the trace invalid or incomplete), 2 usage or input that cannot be used (bad
arguments, an unreadable, malformed or incomplete trace, missing abi.json, bad
rules, a stale build); record returns the launcher's status (README, "Exit
statuses").  Every error is one line on stderr.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from testkit.abi import Abi, AbiError, check_trace, load_abi
from testkit.freshness import stale_build
from testkit.bisect import add_parser as add_bisect_parser, cmd_bisect
from testkit.linux_oracle import DEFAULT_TIMEOUT as ORACLE_TIMEOUT, cmd_record_linux
from testkit.linux_rules import load_linux_rules
from testkit.oracle import cmd_oracle
from testkit.normalize import Rules, RulesError, load_rules, normalize
from testkit.procs import build_tree
from testkit.record import (DEFAULT_TIMEOUT, GoldenExists, Scenario, behaviour_diff, bless, lines_to_input,
                            record, replay)
from testkit.rules_check import check
from testkit.show import render_streams, render_tree
from testkit.status import describe
from testkit.trace import INCOMPLETE, Trace, TraceError, load


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="testkit", description="Levitate trace testkit")
    p.add_argument("--abi", type=Path, help="abi.json (default: testkit/testkit/abi.json)")
    p.add_argument("--rules", type=Path, help="rules directory (default: testkit/testkit/rules)")
    p.add_argument("--root", type=Path, default=repo_root(), help="repository root")
    sub = p.add_subparsers(dest="cmd", required=True)

    v = sub.add_parser("validate", help="check traces against the format (and the ABI)")
    v.add_argument("traces", nargs="+", type=Path)

    s = sub.add_parser("show", help="strace-like rendering, per process")
    s.add_argument("trace", type=Path)
    who = s.add_mutually_exclusive_group()
    who.add_argument("--proc", help="only this canonical process (e.g. init/1)")
    who.add_argument("--pid", type=int, help="only the (first) process with this pid")
    s.add_argument("--masked", action="store_true", help="mask pointers as the comparison does")
    s.add_argument("--interleaved", action="store_true", help="in record order, not grouped")
    s.add_argument("--full", action="store_true", help="do not cut long buffers")

    t = sub.add_parser("tree", help="the process tree with canonical names")
    t.add_argument("trace", type=Path)

    d = sub.add_parser("diff", help="behaviour diff of two traces (A = golden)")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)

    r = sub.add_parser("record", help="boot the build and record traces/NAME.jsonl")
    r.add_argument("name")
    src = r.add_mutually_exclusive_group()
    src.add_argument("--input", nargs="+", metavar="LINE", help="console input lines")
    src.add_argument("--input-file", type=Path, help="console input file (one read per line)")
    r.add_argument("--run", help='program instead of the shell, e.g. "/bin/echo hi"')
    r.add_argument("--description", default="")
    r.add_argument("--on", choices=("levitate", "linux"), default="levitate",
                   help="the kernel to record on: the build, or Linux 6.1 under strace (docs/linux-oracle.md)")
    _add_run_options(r)

    rp = sub.add_parser("replay", help="re-run goldens on the current build and compare")
    rp.add_argument("goldens", nargs="+", type=Path)
    _add_run_options(rp)

    b = sub.add_parser("bless", help="promote a trace to golden/, showing what changes")
    b.add_argument("trace", type=Path)
    b.add_argument("--name", help="golden name (default: the trace's file name)")
    b.add_argument("--replace", action="store_true",
                   help="replace the golden of that name (the diff is shown either way)")

    o = sub.add_parser("oracle", help="run traces' scenarios on Linux 6.1 under strace and compare")
    o.add_argument("traces", nargs="*", type=Path, help="traces whose scenarios to run (goldens)")
    o.add_argument("--scenarios", type=Path, help="a scenario list to record on both (testkit/linux/scenarios.json)")
    o.add_argument("--report", type=Path, help="write the verdicts as JSON here")
    o.add_argument("--markdown", type=Path, help="write the verdicts as a markdown table here")
    o.add_argument("--out", type=Path, help="directory for the Linux recordings (default traces/)")
    o.add_argument("--timeout", type=float, default=ORACLE_TIMEOUT, help="seconds per scenario")

    ru = sub.add_parser("rules", help="the equivalence rules: list them, or check none has an idle constraint")
    ru.add_argument("action", choices=("list", "check"),
                    help="list: the rules in order; check: loosen each constraint, a case must notice")
    ru.add_argument("ids", nargs="*", metavar="ID", help="check only these rules")

    add_bisect_parser(sub)
    return p


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds (default 60)")
    p.add_argument("--kernel", type=Path)
    p.add_argument("--initrd", type=Path)
    p.add_argument("--out", type=Path, help="directory for recordings (default traces/)")


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (TraceError, AbiError, RulesError) as e:
        print(f"testkit: {e}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    if args.cmd == "validate":
        return cmd_validate(args.traces, _abi_or_none(args.abi))
    abi, rules = load_abi(args.abi), load_rules(args.rules)
    commands = {"show": cmd_show, "tree": cmd_tree, "diff": cmd_diff,
                "record": cmd_record, "replay": cmd_replay, "bless": cmd_bless,
                "bisect": cmd_bisect, "oracle": cmd_oracle, "rules": cmd_rules}
    return commands[args.cmd](args, abi, rules)


def _abi_or_none(path: Path | None) -> Abi | None:
    try:
        return load_abi(path)
    except AbiError as e:
        print(f"testkit: warning: {e}; checking the format only", file=sys.stderr)
        return None


def cmd_validate(paths: list[Path], abi: Abi | None) -> int:
    """1 if a trace is invalid or incomplete, 2 if one cannot be read at all."""
    bad, unreadable = 0, 0
    for path in paths:
        try:
            trace = load(path)
        except TraceError as e:
            print(e)
            unreadable += e.line == 0
            bad += 1
            continue
        errors = [str(e) for e in check_trace(trace, abi)] if abi else []
        if not trace.complete:
            errors.append(str(TraceError(str(path), 0, INCOMPLETE)))
        for e in errors:
            print(e)
        bad += bool(errors)
        if not errors:
            print(f"{path}: ok, format {trace.version}, {len(trace.records)} records")
    return 2 if unreadable else 1 if bad else 0


def cmd_show(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    trace = load(args.trace)
    streams = normalize(trace, abi, rules, mask_pointers=args.masked)
    only = args.proc
    if args.pid is not None:
        incs = build_tree(trace, rules.creators).by_pid.get(args.pid)
        if not incs:
            print(f"testkit: no process with pid {args.pid}", file=sys.stderr)
            return 2
        only = incs[0].name
    if only is not None and only not in streams:
        print(f"testkit: no process {only}; see `testkit tree`", file=sys.stderr)
        return 2
    for line in render_streams(streams, abi, only, args.interleaved, None if args.full else 64):
        print(line)
    return 0


def cmd_tree(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    for line in render_tree(build_tree(load(args.trace), rules.creators)):
        print(line)
    return 0


def load_complete(path: Path) -> Trace:
    """The trace at path; TraceError if it is malformed or incomplete (nothing to judge)."""
    trace = load(path)
    trace.require_complete()
    return trace


def cmd_diff(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    diff = behaviour_diff(load_complete(args.a), load_complete(args.b), abi, rules)
    print(diff.render(abi))
    return 0 if diff.ok else 1


def refuse_stale(args: argparse.Namespace) -> bool:
    """Print why and say True when the default build is out of date with its sources."""
    if args.kernel or args.initrd:
        return False
    why = stale_build(args.root)
    if why:
        print(f"testkit: {args.cmd}: {why}", file=sys.stderr)
    return why is not None


NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def usage_error(args: argparse.Namespace) -> str | None:
    """What is wrong with record's arguments (one line), or None."""
    if not NAME_RE.match(args.name) or args.name.endswith(".jsonl"):
        return (f"bad name {args.name!r}: letters, digits, '.', '_', '-' "
                "(no '/', not starting with '.'), without .jsonl")
    if args.input is None and args.input_file is None and args.run is None:
        return "nothing to run: give --input LINE..., --input-file FILE or --run PROGRAM"
    if args.run is not None and not args.run.split():
        return "--run needs a program"
    return None


def cmd_record(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    why = usage_error(args)
    if why:
        print(f"testkit: record: {why}", file=sys.stderr)
        return 2
    try:
        data = args.input_file.read_bytes() if args.input_file else lines_to_input(args.input or [])
    except OSError as e:
        print(f"testkit: record: cannot read {args.input_file}: {e.strerror}", file=sys.stderr)
        return 2
    if refuse_stale(args):
        return 2
    sc = Scenario(args.name, data, args.run.split() if args.run else None, args.description)
    if args.on == "linux":
        return cmd_record_linux(args.root, sc, args.out or args.root / "traces", abi, args.timeout)
    rec = record(args.root, sc, args.out or args.root / "traces", args.timeout, args.kernel, args.initrd)
    if rec.result.timed_out:
        print(f"testkit: timed out after {args.timeout:g}s", file=sys.stderr)
    said = rec.console.read_bytes()[-4096:].decode("utf-8", "replace")
    print(f"{rec.trace} (console: {rec.console}), {describe(rec.result.status, said)}")
    try:
        load(rec.trace).require_complete()
    except TraceError as e:
        print(f"testkit: warning: the recording cannot be blessed or replayed: {e}", file=sys.stderr)
    return rec.result.status


def cmd_replay(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    """1 if a golden's behaviour changed, 2 if one could not be judged (or the build is stale)."""
    if refuse_stale(args):
        return 2
    for golden in args.goldens:
        load_complete(golden)         # refuse an unreadable or incomplete golden before any run
    failed = errors = 0
    for golden in args.goldens:
        r = replay(args.root, golden, abi, rules, args.out or args.root / "traces",
                   args.timeout, args.kernel, args.initrd)
        if r.error is not None:
            print(f"ERROR {golden}: {r.error}")
        elif r.diff is not None and r.diff.ok:
            used = r.diff.rules_used()
            print(f"PASS  {golden}" + (f" (under rules: {used})" if used else ""))
        elif r.diff is not None:
            print(f"FAIL  {golden} (recording: {r.recording.trace})\n{r.diff.render(abi)}")
        errors += r.error is not None
        failed += r.error is None and not (r.diff and r.diff.ok)
    return 2 if errors else 1 if failed else 0


def cmd_rules(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    """list: one line per rule in order; check: 0 every constraint noticed, 1 problems (listed)."""
    if args.action == "list":
        sets = [("equivalence", rules.rewrites), ("linux", load_linux_rules(rules.dir))]
        for kind, rs in sets:
            for r in rs:
                scope = f" era_calls={','.join(r.era_calls)}" if r.era_calls else ""
                print(f"{kind:11} {r.order:4d} {r.id}  goldens={','.join(r.goldens)}{scope}  ({len(r.patterns)} patterns)")
        return 0
    problems = check(rules, args.ids)
    for line in problems:
        print(line)
    count = len(args.ids) or len(rules.rewrites) + len(load_linux_rules(rules.dir))
    print(f"rules check: {count} rules, " + (f"{len(problems)} problems" if problems else "every constraint noticed"))
    return 1 if problems else 0


def cmd_bless(args: argparse.Namespace, abi: Abi, rules: Rules) -> int:
    """0 blessed; 2 (with the diff shown) when a golden of that name exists and no --replace."""
    name = args.name or args.trace.name.removesuffix(".jsonl")
    if not NAME_RE.match(name) or name.endswith(".jsonl"):
        print(f"testkit: bless: bad golden name {name!r}", file=sys.stderr)
        return 2
    try:
        print(bless(args.trace, args.root / "golden", name, abi, rules, replace=args.replace))
    except GoldenExists as e:
        print(e.report)
        print(f"testkit: bless: {e.target} exists: pass --replace to replace it", file=sys.stderr)
        return 2
    return 0
