"""The open -> openat migration's rule (rules/equivalence/open-is-openat.json), in process.

Each golden is turned into what the migrated userspace records (open(p, f, m) = R
becomes openat(AT_FDCWD, p, f, m) = R, and the fcntl(R, F_SETFD, FD_CLOEXEC) musl's
open() adds after an O_CLOEXEC open is gone), which must compare equal to the
golden only through the rule; then small edits of either side (the mutations the
rule must not hide) must each fail.  test_golden.py replays the real migration;
rules/checks/open-is-openat.json holds the same cases for `testkit rules check`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import REPO_ROOT
from testkit.abi import load_abi
from testkit.diff import DiffResult, compare
from testkit.rewrite import BEFORE_EVERY_RULE
from testkit.normalize import load_rules, normalize
from testkit.symbols import resolve_constant
from testkit.trace import load, loads

GOLDEN = REPO_ROOT / "golden"
RULE = "open-is-openat"
ABI, RULES = load_abi(), load_rules()
AT_FDCWD, O_CLOEXEC, O_APPEND, O_TRUNC, F_SETFD, F_GETFD, FD_CLOEXEC = (resolve_constant(n) for n in (
    "AT_FDCWD", "O_CLOEXEC", "O_APPEND", "O_TRUNC", "F_SETFD", "F_GETFD", "FD_CLOEXEC"))
NR = {name: ABI.call(name).nr for name in ("open", "openat", "fcntl", "getpid")}
Rec = dict[str, Any]


def records(golden: str) -> list[Rec]:
    return [json.loads(line) for line in (GOLDEN / f"{golden}.jsonl").read_text().splitlines()]


def text(recs: list[Rec]) -> str:
    """JSONL with seq renumbered from 0 (a trace's seq has no gaps)."""
    seq = 0
    out = []
    for r in recs:
        if "seq" in r:
            r = dict(r, seq=seq)
            seq += 1
        out.append(json.dumps(r))
    return "\n".join(out) + "\n"


def is_syscall(r: Rec, name: str) -> bool:
    return r.get("type") == "syscall" and r.get("name") == name


def next_in_process(recs: list[Rec], i: int) -> int | None:
    """Index of the next record of recs[i]'s process."""
    return next((k for k in range(i + 1, len(recs)) if recs[k].get("pid") == recs[i]["pid"]), None)


def musl_fcntl_after(recs: list[Rec], i: int) -> int | None:
    """Index of the fcntl(R, F_SETFD, FD_CLOEXEC) = 0 musl's open() made right after
    the O_CLOEXEC open recs[i] = R, if it is there."""
    k = next_in_process(recs, i)
    if k is None or not is_syscall(recs[k], "fcntl") or recs[k].get("ret") != 0:
        return None
    want = {"fd": recs[i]["ret"], "cmd": F_SETFD, "arg": FD_CLOEXEC}
    return k if recs[k]["args"] == want else None


def openat_of(r: Rec) -> Rec:
    a = r["args"]
    args = {"dirfd": AT_FDCWD, "path": a["path"], "flags": a["flags"], "mode": a["mode"]}
    return dict(r, nr=NR["openat"], name="openat", args=args)


def as_openat(recs: list[Rec]) -> list[Rec]:
    """The trace as the migrated userspace records it (see the module's doc)."""
    out, drop = [], set()
    for i, r in enumerate(recs):
        if i in drop:
            continue
        if is_syscall(r, "open"):
            if r["args"]["flags"] & O_CLOEXEC and r.get("ret", -1) >= 0:
                k = musl_fcntl_after(recs, i)
                assert k is not None, f"musl's fcntl missing after {r}"
                drop.add(k)
            r = openat_of(r)
        out.append(r)
    return out


def diff_of(golden: list[Rec], current: list[Rec], name: str = "redirections",
            rules: list[Any] | None = None) -> DiffResult:
    g = normalize(loads(text(golden), "golden"), ABI, RULES)
    c = normalize(loads(text(current), "current"), ABI, RULES)
    # The migrated side is made from the golden, so it was recorded when the
    # golden was: rules about old traces (recorded_before) apply to both.
    return compare(g, c, RULES.rewrites if rules is None else rules, name,
                   (BEFORE_EVERY_RULE, BEFORE_EVERY_RULE))


def diff(golden: str, current: list[Rec], rules: list[Any] | None = None) -> DiffResult:
    return diff_of(records(golden), current, golden, rules)


def without_the_rule() -> list[Any]:
    return [r for r in RULES.rewrites if r.id != RULE]


def first(recs: list[Rec], pred: Callable[[Rec], bool]) -> int:
    return next(i for i, r in enumerate(recs) if pred(r))


def edited(recs: list[Rec], i: int, **args: Any) -> list[Rec]:
    out = list(recs)
    out[i] = dict(recs[i], args=dict(recs[i]["args"], **args))
    return out


def cloexec_open(r: Rec) -> bool:
    """The shell's `> /tmp/out` (O_CLOEXEC | O_CREAT | O_TRUNC, musl's fcntl after it)."""
    return r.get("name") in ("open", "openat") and r["args"]["flags"] & O_CLOEXEC \
        and r["args"]["flags"] & O_TRUNC and r.get("ret", -1) >= 0


# --- the migration passes, through the rule and only through it ---------------

@pytest.mark.parametrize("golden", ["redirections", "cat_file", "pipeline", "fs_calls"])
def test_the_migrated_trace_is_the_same_behaviour(golden: str) -> None:
    migrated = as_openat(records(golden))
    assert not any(is_syscall(r, "open") for r in migrated)
    res = diff(golden, migrated)
    assert res.ok, res.render(ABI)
    assert res.rewrites.get(RULE)
    without = diff(golden, migrated, without_the_rule())
    assert not without.ok and "call changed: open → openat" in without.render(ABI)


def test_the_diff_before_the_rule_shows_both_recorded_calls() -> None:
    report = diff("redirections", as_openat(records("redirections")), without_the_rule()).render(ABI)
    assert '- [init] open("/etc/motd", O_RDONLY|O_LARGEFILE (0x8000), 0) = 3' in report
    assert '+ [init] openat(AT_FDCWD (-100), "/etc/motd", O_RDONLY|O_LARGEFILE (0x8000), 0) = 3' in report


def test_traces_that_call_open_are_compared_as_recorded() -> None:
    """The canonical spelling is open's: a golden against itself is rewritten nowhere."""
    res = diff("redirections", records("redirections"))
    assert res.ok and not res.rewrites.get(RULE) and res.render(ABI) == "same behaviour"


# --- mutations of the migrated trace the rule must not hide --------------------

def mutate_flags(recs: list[Rec]) -> list[Rec]:
    i = first(recs, cloexec_open)                         # > becomes >>: O_TRUNC -> O_APPEND
    return edited(recs, i, flags=recs[i]["args"]["flags"] & ~O_TRUNC | O_APPEND)


def mutate_path(recs: list[Rec]) -> list[Rec]:
    return edited(recs, first(recs, cloexec_open), path="/tmp/other")


def mutate_fd_leak(recs: list[Rec]) -> list[Rec]:
    """O_CLOEXEC forgotten: the shell's redirected file would leak into every program it runs."""
    i = first(recs, cloexec_open)
    return edited(recs, i, flags=recs[i]["args"]["flags"] & ~O_CLOEXEC)


def mutate_dirfd(recs: list[Rec]) -> list[Rec]:
    """The same path through a directory descriptor instead of the working directory."""
    return edited(recs, first(recs, cloexec_open), dirfd=0)


def mutate_mode(recs: list[Rec]) -> list[Rec]:
    return edited(recs, first(recs, cloexec_open), mode=0o600)


def mutate_result(recs: list[Rec]) -> list[Rec]:
    i = first(recs, cloexec_open)
    out = list(recs)
    out[i] = dict(recs[i], ret=-13, err="EACCES")
    return out


def own_fcntl_kept(recs: list[Rec]) -> list[Rec]:
    """The migrated program still sets FD_CLOEXEC by hand after its O_CLOEXEC openat."""
    i = first(recs, cloexec_open)
    fcntl = dict(recs[i], nr=NR["fcntl"], name="fcntl",
                 args={"fd": recs[i]["ret"], "cmd": F_SETFD, "arg": FD_CLOEXEC}, ret=0)
    return recs[:i + 1] + [fcntl] + recs[i + 1:]


AT_OPEN = "process init/1: first divergence at event 7 (changed): "
MUTATIONS = {
    "flags changed": (mutate_flags, AT_OPEN + "open argument flags: O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE|"
                      "O_CLOEXEC (0x88241) → O_WRONLY|O_CREAT|O_APPEND|O_LARGEFILE|O_CLOEXEC (0x88441): "
                      "O_TRUNC cleared, O_APPEND set"),
    "path changed": (mutate_path, AT_OPEN + 'open argument path: "/tmp/out" → "/tmp/other"'),
    "fd leak: O_CLOEXEC missing": (mutate_fd_leak, AT_OPEN + "open argument flags: "
                                   "O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE|O_CLOEXEC (0x88241) → "
                                   "O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE (0x8241): O_CLOEXEC cleared"),
    "through a directory fd": (mutate_dirfd, AT_OPEN + "call changed: open → openat"),
    "mode changed": (mutate_mode, AT_OPEN + "open argument mode: 438 → 384"),
    "result changed": (mutate_result, AT_OPEN + "open errno changed: no error → EACCES"),
    "musl's fcntl made by hand too": (own_fcntl_kept, "extra event in current: fcntl()"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_mutation_of_the_migrated_trace_fails(name: str) -> None:
    mutate, what = MUTATIONS[name]
    res = diff("redirections", mutate(as_openat(records("redirections"))))
    assert not res.ok, name
    assert what in res.render(ABI), res.render(ABI)


def test_the_fd_leak_shows_as_recorded_with_the_rule_named() -> None:
    report = diff("redirections", mutate_fd_leak(as_openat(records("redirections")))).render(ABI)
    assert '- [init/1] open("/tmp/out", O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE|O_CLOEXEC (0x88241), 438) = 3' \
        in report
    assert ('+ [init/1] openat(AT_FDCWD (-100), "/tmp/out", O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE (0x8241), '
            f"438) = 3    <- rule {RULE}") in report


# --- musl's fcntl in the golden: only right after its open, on its fd, exactly
# F_SETFD FD_CLOEXEC = 0, is the one the migrated openat stands for.  Each case edits
# it in the golden and compares with the faithful migration.

def golden_fcntl_case(edit: Callable[[list[Rec], int, int], list[Rec]]) -> DiffResult:
    recs = records("redirections")
    migrated = as_openat(recs)
    i = first(recs, cloexec_open)
    return diff_of(edit(recs, i, musl_fcntl_after(recs, i)), migrated)


def set_fcntl(**what: Any) -> Callable[[list[Rec], int, int], list[Rec]]:
    def edit(recs: list[Rec], i: int, k: int) -> list[Rec]:
        out = list(recs)
        out[k] = dict(recs[k], args=dict(recs[k]["args"], **what.get("args", {})),
                      **{key: v for key, v in what.items() if key != "args"})
        return out
    return edit


def fcntl_later(recs: list[Rec], i: int, k: int) -> list[Rec]:
    """Another call between the open and its fcntl."""
    getpid = dict(recs[i], nr=NR["getpid"], name="getpid", args={}, ret=recs[i]["pid"])
    return recs[:k] + [getpid] + recs[k:]


def fcntl_gone(recs: list[Rec], i: int, k: int) -> list[Rec]:
    """An O_CLOEXEC open without musl's fcntl (not musl's open)."""
    return recs[:k] + recs[k + 1:]


FCNTL_CASES = {
    "on another fd": (set_fcntl(args={"fd": 4}), "fcntl argument fd: 4 → 3"),
    "another command": (set_fcntl(args={"cmd": F_GETFD}), "fcntl argument cmd: F_GETFD (1) → F_SETFD (2)"),
    "another value (cloexec cleared)": (set_fcntl(args={"arg": 0}),
                                        "fcntl argument arg: 0 → FD_CLOEXEC (0x1): FD_CLOEXEC set"),
    "failed": (set_fcntl(ret=-9, err="EBADF"), "fcntl errno changed: EBADF → no error"),
    "not right after": (fcntl_later, "event missing from current: getpid()"),
    "missing": (fcntl_gone, f"extra event in current: openat() (rule {RULE}: compared as fcntl())"),
}


@pytest.mark.parametrize("name", FCNTL_CASES)
def test_musls_fcntl_counts_only_right_after_and_on_that_fd(name: str) -> None:
    edit, what = FCNTL_CASES[name]
    res = golden_fcntl_case(edit)
    assert not res.ok, name
    report = res.render(ABI)
    assert report.startswith("process init/1: first divergence at event 8") and what in report, report


def test_a_programs_own_fcntl_after_a_plain_open_stays() -> None:
    """open without O_CLOEXEC, then the program's own fcntl(F_SETFD, FD_CLOEXEC):
    that fcntl is the program's, and the migrated trace must still make it."""
    recs = records("cat_file")
    i = first(recs, lambda r: is_syscall(r, "open") and r["args"]["path"] == "/etc/hello.txt")
    own = dict(recs[i], nr=NR["fcntl"], name="fcntl",
               args={"fd": recs[i]["ret"], "cmd": F_SETFD, "arg": FD_CLOEXEC}, ret=0)
    golden = recs[:i + 1] + [own] + recs[i + 1:]
    migrated = as_openat(golden)
    assert is_syscall(migrated[i + 1], "fcntl")
    assert diff_of(golden, migrated, "cat_file").ok
    gone = diff_of(golden, migrated[:i + 1] + migrated[i + 2:], "cat_file")
    assert not gone.ok and "missing from current: fcntl()" in gone.render(ABI)


def test_a_failed_cloexec_open_has_no_fcntl() -> None:
    """musl's open() adds its fcntl only when it got a descriptor: a failed O_CLOEXEC
    openat stands for the open alone (the shell's `> /tmp/out` made to fail)."""
    recs = records("redirections")
    i = first(recs, cloexec_open)
    k = musl_fcntl_after(recs, i)
    failed = recs[:i] + [dict(recs[i], ret=-2, err="ENOENT")] + recs[i + 1:k] + recs[k + 1:]
    assert diff_of(failed, as_openat(failed)).ok
    assert not diff_of(failed, as_openat(failed), rules=without_the_rule()).ok
    with_fcntl = diff_of(recs[:i] + [dict(recs[i], ret=-2, err="ENOENT")] + recs[i + 1:], as_openat(failed))
    assert not with_fcntl.ok


def test_the_docs_show_what_the_diff_prints() -> None:
    """docs/trace-equivalence.md quotes the fd-leak report; it must stay the real one."""
    doc = (REPO_ROOT / "docs" / "trace-equivalence.md").read_text()
    report = diff("redirections", mutate_fd_leak(as_openat(records("redirections")))).render(ABI)
    lines = report.splitlines()
    quoted = [lines[0]] + [line for line in lines if line.startswith(("  - ", "  + "))]
    assert all(line in doc for line in quoted), quoted
